import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { SmashsendApi } from '../../../credentials/SmashsendApi.credentials';
import type { createEmulator } from '../../../emulator/server';
import { Smashsend } from '../../../nodes/Smashsend/Smashsend.node';
import { executeContext } from '../executeContext';
import { authenticatedHttpRequest } from '../n8nHttp';
import { EDITOR } from '../restNode';
import { BROADCASTS, parametersFor, type Workflow } from './workflows';

/**
 * The history checker: runs a generated workflow (workflows.ts) against the emulator under its
 * seeded faults, as n8n would (Retry On Fail included), then checks the emulator's record
 * against what every output item says, as databases are tested against their histories:
 *
 * - per contact (and property), the writes of one try come in item order, and the data that
 *   stays is the last item's that says it was saved, or a later one's that says it may have been;
 * - per event, email and flow run: exactly one for an item that says it went through, none for
 *   one that says it did not; a second flow run only after an answer was lost (At Least Once);
 * - per form sign-up: one entry per email at most (SMASHSEND keeps the first), there when an
 *   item says it signed up, and not made by items that all say they did not;
 * - per broadcast: a draft or a test at most once per item (SMASHSEND recognises no repeat),
 *   there when the item says so, not when it says not; scheduled (cancelled) when an item says
 *   it scheduled (cancelled) it, and not when every item for it says it did not;
 * - every item says something true: "saved" only when SMASHSEND did it, "not saved" only when it
 *   did not (in this try, and not in an earlier one the node knew of).
 */

type Emulator = ReturnType<typeof createEmulator>;

/** What an item says of itself at the end: done, not done, or that it may have been done. */
export type Claim = 'done' | 'not-done' | 'maybe';

interface Try {
	/** Where this try's part of the emulator's records starts. */
	history: number;
	received: number;
	output?: INodeExecutionData[];
	error?: Error & { description?: string };
}

export interface Story {
	workflow: Workflow;
	tries: Try[];
	claims: Claim[];
}

const MAYBE = /may or may not|did not confirm|not confirmed|stopped before smashsend confirmed/i;

/** Runs the workflow as n8n would run its node: again on failure under Retry On Fail (the same execution and run). */
export async function runWorkflow(emulator: Emulator, workflow: Workflow): Promise<Story> {
	emulator.reset();
	emulator.setRestRateLimit({ limit: 0, windowMs: 1000 });
	// Ids of their own: a seed then sends the same requests, and meets the same faults, every time.
	const idOf = (email: unknown) => `ctc_history${String(email).replace(/\W/g, '')}`;
	emulator.rest.seedContacts(workflow.contacts.map((email) => ({ email, firstName: 'seed', id: idOf(email) })));
	const items = workflow.items.map((item) => ({ ...item, id: idOf(item.email) }));
	// Broadcasts to schedule, cancel or test: drafts, or scheduled ones for Cancel.
	if (workflow.kind.startsWith('broadcast')) {
		const status = workflow.kind === 'broadcastCancel' ? 'SCHEDULED' : 'DRAFT';
		for (const id of BROADCASTS) {
			emulator.rest.broadcasts.items.push({
				id,
				name: id,
				subject: id,
				status,
				fromEmail: 'news@acme.example',
				html: '<p>x</p>',
				audience: { all: true },
				createdAt: new Date().toISOString(),
			});
		}
	}
	emulator.rest.recordHistory();
	emulator.setChaos(workflow.chaos);
	const executionId = `history-${workflow.seed}-${Date.now()}`;
	const tries: Try[] = [];
	try {
		for (let attempt = 1; attempt <= (workflow.retryOnFail ? workflow.maxTries : 1); attempt++) {
			const now: Try = { history: emulator.rest.history?.length ?? 0, received: emulator.received.length };
			tries.push(now);
			try {
				now.output = await execute(emulator, workflow, items, executionId);
			} catch (error) {
				now.error = error as Try['error'];
			}
			// n8n tries again after a thrown error, or when the first output item carries one.
			if (now.output && !now.output[0]?.json.error) break;
		}
	} finally {
		emulator.setChaos(undefined);
	}
	return { workflow, tries, claims: claimsOf(workflow, tries.at(-1) as Try) };
}

async function execute(emulator: Emulator, workflow: Workflow, items: IDataObject[], executionId: string): Promise<INodeExecutionData[]> {
	const rest = { apiKey: EDITOR, baseUrl: `${emulator.url}/v1/` };
	const credentials = workflow.kind === 'flow' ? { webhookUrl: emulator.webhookUrl() } : rest;
	const context = executeContext({
		items,
		typeVersion: 3,
		parameters: { ...parametersFor(workflow.kind), options: workflow.options },
		credentials,
		continueOnFail: workflow.continueOnFail,
		...(workflow.errorOutput ? { onError: 'continueErrorOutput' as const } : {}),
		retryOnFail: workflow.retryOnFail,
		executionId,
		...(workflow.kind === 'flow' ? {} : { httpRequestWithAuthentication: authenticatedHttpRequest(new SmashsendApi().authenticate, rest) }),
	});
	const [output] = await new Smashsend().execute.call(context);
	return output;
}

/** What each item says at the end: from its output item, or, when the node stopped, from the error that stopped it. */
function claimsOf(workflow: Workflow, last: Try): Claim[] {
	const claims: Claim[] = workflow.items.map(() => 'maybe');
	if (last.output) {
		for (const item of last.output) {
			const paired = item.pairedItem as { item: number } | undefined;
			if (paired === undefined) continue;
			const { error } = item.json;
			const said = `${String(error ?? '')} ${String(item.json.errorDescription ?? item.json.message ?? '')}`;
			claims[paired.item] = error === undefined ? 'done' : MAYBE.test(said) ? 'maybe' : 'not-done';
		}
		return claims;
	}
	const error = last.error;
	if (!error) return claims;
	const description = error.description ?? '';
	const failed = /\[item (\d+)\]$/.exec(error.message);
	// Under Stop Workflow the error names its item and lists what happened to the others.
	const own: string[] = [];
	for (const sentence of description.split(/(?<=\.) /)) {
		const listed = /^(.*?) items? ([\d–, ]+)(?: \(|\.)/.exec(sentence);
		if (!listed) {
			own.push(sentence);
			continue;
		}
		const claim: Claim | undefined = /^Not sent:/.test(listed[1])
			? 'not-done'
			: /^Also failed:|^Stopped before/.test(listed[1])
				? 'maybe'
				: /for$/.test(listed[1])
					? 'done'
					: undefined;
		if (claim === undefined) continue;
		for (const index of expand(listed[2])) claims[index] = claim;
	}
	// What the stopping item says of itself: its message and its own sentences, not those about the others.
	if (failed) claims[Number(failed[1])] = MAYBE.test(`${error.message} ${own.join(' ')}`) ? 'maybe' : 'not-done';
	return claims;
}

/** "0–3, 5" → [0, 1, 2, 3, 5]. */
function expand(ranges: string): number[] {
	return ranges.split(', ').flatMap((part) => {
		const [from, to = from] = part.split('–').map(Number);
		return Array.from({ length: to - from + 1 }, (_, i) => from + i);
	});
}

/** The item a value written in the workflow came from (`v7` → 7); undefined for anything else. */
const itemOf = (value: unknown): number | undefined =>
	typeof value === 'string' && /^v\d+$/.test(value) ? Number(value.slice(1)) : undefined;

/** What in the emulator's record contradicts the story's claims: a list of sentences, empty when none does. */
export function check(emulator: Emulator, story: Story): string[] {
	const { workflow, tries, claims } = story;
	const problems: string[] = [];
	const last = tries.at(-1) as Try;
	const history = emulator.rest.history ?? [];
	// The node throws only under Stop Workflow, and then for an item it names.
	if (last.error && workflow.continueOnFail) problems.push(`the node threw under On Error: continue: ${last.error.message}`);
	if (last.error && !/\[item \d+\]$/.test(last.error.message))
		problems.push(`the node threw an error that names no item: ${last.error.message}`);
	const outputs = last.output;
	if (outputs) {
		const paired = outputs.map((item) => (item.pairedItem as { item: number } | undefined)?.item);
		if (paired.some((index) => index === undefined)) problems.push('an output item has no pairedItem');
		if (outputs.length !== workflow.items.length) problems.push(`${outputs.length} output items for ${workflow.items.length} input items`);
	}

	if (
		workflow.kind === 'upsert' ||
		workflow.kind === 'updateById' ||
		workflow.kind === 'updateByEmail' ||
		workflow.kind === 'propertyUpdate'
	) {
		const isProperty = workflow.kind === 'propertyUpdate';
		const keyOf = (n: number) => String(isProperty ? workflow.items[n].property : workflow.items[n].email);
		// The writes of each try, per contact (or property), must come in item order.
		tries.forEach((attempt, t) => {
			const end = tries[t + 1]?.history ?? history.length;
			const seen = new Map<string, number>();
			for (const write of history.slice(attempt.history, end)) {
				const n = itemOf(isProperty ? write.displayName : write.properties?.firstName);
				if (n === undefined) continue;
				const key = keyOf(n);
				const before = seen.get(key);
				if (before !== undefined && n < before) problems.push(`${key}: try ${t + 1} wrote item ${n}'s data after item ${before}'s`);
				seen.set(key, n);
			}
		});
		const written = new Set(history.flatMap((write) => itemOf(isProperty ? write.displayName : write.properties?.firstName) ?? []));
		for (const key of new Set(workflow.items.map((_item, n) => keyOf(n)))) {
			const mine = workflow.items.map((_item, n) => n).filter((n) => keyOf(n) === key);
			const lastSaved = Math.max(-1, ...mine.filter((n) => claims[n] === 'done'));
			const held = isProperty
				? emulator.rest.properties.find((p) => (p.id ?? `prop_${p.apiSlug}`) === key)?.displayName
				: emulator.rest.contacts.find((c) => c.properties.email === key)?.properties.firstName;
			const j = itemOf(held);
			if (lastSaved >= 0 && (j === undefined || j < lastSaved)) {
				problems.push(
					`${key} ends with ${j === undefined ? `"${String(held)}"` : `item ${j}'s data`}, older than item ${lastSaved}'s, which says it was saved`,
				);
			}
			if (j !== undefined && j > lastSaved && claims[j] === 'not-done') {
				problems.push(`${key} ends with item ${j}'s data, but item ${j} says it was not saved`);
			}
		}
		workflow.items.forEach((_item, n) => {
			if (claims[n] === 'done' && !written.has(n)) problems.push(`item ${n} says it was saved, but SMASHSEND never wrote its data`);
			if (claims[n] === 'not-done' && written.has(n)) problems.push(`item ${n} says it was not saved, but SMASHSEND wrote its data`);
		});
	}

	if (workflow.kind === 'delete' || workflow.kind === 'propertyDelete') {
		const isProperty = workflow.kind === 'propertyDelete';
		const keyOf = (item: IDataObject) => String(isProperty ? item.property : item.email);
		for (const key of new Set(workflow.items.map(keyOf))) {
			const mine = workflow.items.map((_item, n) => n).filter((n) => keyOf(workflow.items[n]) === key);
			const exists = isProperty
				? emulator.rest.properties.some((p) => (p.id ?? `prop_${p.apiSlug}`) === key)
				: emulator.rest.contacts.some((c) => c.properties.email === key);
			const said = mine.map((n) => claims[n]);
			if (exists && said.includes('done')) problems.push(`${key} still exists, but item ${mine[said.indexOf('done')]} says it was deleted`);
			if (!exists && said.every((claim) => claim === 'not-done'))
				problems.push(`${key} was deleted, but every item for it says it was not`);
		}
	}

	if (workflow.kind === 'propertyCreate') {
		for (const name of new Set(workflow.items.map((item) => String(item.name)))) {
			const made = emulator.rest.properties.filter((p) => p.displayName === name).length;
			const mine = workflow.items.map((_item, n) => n).filter((n) => workflow.items[n].name === name);
			if (made > 1) problems.push(`"${name}" was created ${made} times`);
			const done = mine.find((n) => claims[n] === 'done');
			if (made === 0 && done !== undefined) problems.push(`item ${done} says "${name}" was created, but SMASHSEND has no such property`);
			if (made === 1 && mine.every((n) => claims[n] === 'not-done'))
				problems.push(`"${name}" was created, but every item for it says it was not`);
		}
	}

	if (workflow.kind === 'formSubmit') {
		for (const email of new Set(workflow.items.map((item) => String(item.email)))) {
			const entries = emulator.rest.forms.entries.filter((e) => e.email === email).length;
			const mine = workflow.items.map((_item, n) => n).filter((n) => workflow.items[n].email === email);
			if (entries > 1) problems.push(`${email} has ${entries} entries in the form`);
			const done = mine.find((n) => claims[n] === 'done');
			if (entries === 0 && done !== undefined) problems.push(`item ${done} says ${email} signed up, but the form has no entry for it`);
			if (entries === 1 && mine.every((n) => claims[n] === 'not-done'))
				problems.push(`${email} signed up, but every item for it says it did not`);
		}
	}

	if (workflow.kind === 'broadcastCreate' || workflow.kind === 'broadcastTest') {
		const isTest = workflow.kind === 'broadcastTest';
		workflow.items.forEach((item, n) => {
			const made = isTest
				? emulator.rest.broadcasts.tests.filter((t) => t.broadcastId === item.broadcast).length
				: emulator.rest.broadcasts.items.filter((b) => b.subject === `v${n}`).length;
			const what = isTest ? 'tests' : 'drafts';
			if (made > 1) problems.push(`item ${n}: ${made} ${what}, at most 1 allowed`);
			if (claims[n] === 'done' && made === 0) problems.push(`item ${n} says it went through, but SMASHSEND has no ${what} for it`);
			if (claims[n] === 'not-done' && made > 0)
				problems.push(`item ${n} says it did not go through, but SMASHSEND has ${made} ${what} for it`);
		});
	}

	if (workflow.kind === 'broadcastSchedule' || workflow.kind === 'broadcastCancel') {
		const target = workflow.kind === 'broadcastSchedule' ? 'SCHEDULED' : 'CANCELLED';
		for (const id of new Set(workflow.items.map((item) => String(item.broadcast)))) {
			const status = emulator.rest.broadcasts.items.find((b) => b.id === id)?.status;
			const mine = workflow.items.map((_item, n) => n).filter((n) => workflow.items[n].broadcast === id);
			const done = mine.find((n) => claims[n] === 'done');
			if (done !== undefined && status !== target)
				problems.push(`item ${done} says ${id} is ${target.toLowerCase()}, but it is ${String(status)}`);
			if (status === target && mine.every((n) => claims[n] === 'not-done'))
				problems.push(`${id} is ${target.toLowerCase()}, but every item for it says it did not do that`);
		}
	}

	if (workflow.kind === 'event' || workflow.kind === 'email' || workflow.kind === 'flow') {
		const count = new Map<number, number>();
		const lost = new Map<number, number>();
		const add = (map: Map<number, number>, n: number | undefined) => n !== undefined && map.set(n, (map.get(n) ?? 0) + 1);
		if (workflow.kind === 'event')
			for (const event of emulator.rest.events) add(count, (event.properties as IDataObject | undefined)?.n as number);
		if (workflow.kind === 'email') for (const email of emulator.rest.emails) add(count, itemOf(email.subject));
		if (workflow.kind === 'flow') {
			for (const run of emulator.accepted) add(count, (run.body as IDataObject).n as number);
			for (const request of emulator.received)
				if (request.fault?.startsWith('accept-then')) add(lost, (request.body as IDataObject).n as number);
		}
		const what = workflow.kind === 'flow' ? 'flow runs' : `${workflow.kind}s`;
		workflow.items.forEach((_item, n) => {
			const made = count.get(n) ?? 0;
			const most = workflow.kind === 'flow' && !workflow.atMostOnce ? 1 + (lost.get(n) ?? 0) : 1;
			if (made > most) problems.push(`item ${n}: ${made} ${what}, at most ${most} allowed`);
			if (claims[n] === 'done' && made === 0) problems.push(`item ${n} says it went through, but SMASHSEND has no ${what} for it`);
			if (claims[n] === 'not-done' && made > 0)
				problems.push(`item ${n} says it did not go through, but SMASHSEND has ${made} ${what} for it`);
		});
	}
	return problems;
}

/** The workflow in a few words, for a failure's message. */
export function describe(workflow: Workflow): string {
	const { kind, items, continueOnFail, errorOutput, retryOnFail, atMostOnce, chaos, options } = workflow;
	const onError = errorOutput ? 'error output' : continueOnFail ? 'continue' : 'stop';
	return `${kind}, ${items.length} items over ${workflow.contacts.length} contacts, options ${JSON.stringify(options)}, On Error ${onError}, Retry On Fail ${retryOnFail ? 'on' : 'off'}${kind === 'flow' ? `, ${atMostOnce ? 'At Most Once' : 'At Least Once'}` : ''}, faults at ${chaos.rate} (items ${chaos.itemRate})`;
}
