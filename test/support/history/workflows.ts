import type { IDataObject } from 'n8n-workflow';

/**
 * A seeded generator of workflows for the history checker (history.ts): a few contacts, many
 * items each, one operation that writes, and the settings that change how items travel — batch
 * sizes 1 and 100, Created At or not, Concurrency, Max Retries, Retry On Fail, On Error — with
 * the emulator's seeded faults. The same seed always gives the same workflow (as long as this
 * file is unchanged): a workflow is plain data, so one that failed is kept as it was printed.
 */

/** What one item of a workflow is about: the key its data is checked by. */
export type Kind =
	| 'upsert'
	| 'updateById'
	| 'updateByEmail'
	| 'delete'
	| 'propertyUpdate'
	| 'propertyCreate'
	| 'propertyDelete'
	| 'event'
	| 'email'
	| 'formSubmit'
	| 'broadcastCreate'
	| 'broadcastSchedule'
	| 'broadcastCancel'
	| 'broadcastTest'
	| 'flow';

export interface Workflow {
	seed: number;
	kind: Kind;
	/** Each item: `n` (its index, in every value it writes: `v${n}`), `email`, and what the kind needs. */
	items: IDataObject[];
	/** The node's Options (its other parameters follow from `kind`: parametersFor). */
	options: IDataObject;
	/** The contacts that exist before the run (Update needs them). */
	contacts: string[];
	continueOnFail: boolean;
	errorOutput: boolean;
	retryOnFail: boolean;
	/** n8n's Max Tries under Retry On Fail (its default: 3). */
	maxTries: number;
	/** Flows: When Unsure If the Flow Started = fail (At Most Once). */
	atMostOnce: boolean;
	/** The emulator's seeded faults (emulator/faults.js, Chaos). */
	chaos: { seed: number; rate: number; itemRate: number };
}

/** mulberry32: a small seeded generator, enough to pick settings. */
export function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const KINDS: Kind[] = [
	'upsert',
	'upsert',
	'updateById',
	'updateByEmail',
	'delete',
	'propertyUpdate',
	'propertyCreate',
	'propertyDelete',
	'event',
	'email',
	'formSubmit',
	'broadcastCreate',
	'broadcastSchedule',
	'broadcastCancel',
	'broadcastTest',
	'flow',
];
/** The broadcasts a broadcast workflow's workspace has (drafts; scheduled ones for Cancel): one per item at most. */
export const BROADCASTS = Array.from({ length: 12 }, (_, i) => `bcs_history${i}`);
/** Property names a Create picks from: two items of one name create it once. */
export const NEW_PROPERTIES = ['Shoe size', 'Favourite colour'];
const PROPERTIES = ['prop_plan', 'prop_seats'];

/** Every kind a seed can give. */
export const ALL_KINDS: readonly Kind[] = [...new Set(KINDS)];

export function generate(seed: number): Workflow {
	const next = random(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
	const kind = pick(KINDS);
	const contacts = Array.from({ length: 1 + Math.floor(next() * 3) }, (_, i) => `c${i}@example.com`);
	const count = 3 + Math.floor(next() * 8);
	const dated = kind === 'upsert' && next() < 0.5;
	const items: IDataObject[] = Array.from({ length: count }, (_, n) => {
		const item: IDataObject = { n, email: pick(contacts), value: `v${n}` };
		if (dated && next() < 0.4) item.createdAt = `2020-01-${String(1 + (n % 28)).padStart(2, '0')}T00:00:00Z`;
		if (kind === 'propertyUpdate' || kind === 'propertyDelete') item.property = pick(PROPERTIES);
		if (kind === 'propertyCreate') item.name = pick(NEW_PROPERTIES);
		if (kind === 'delete') item.by = pick(['id', 'email']);
		// Several items per broadcast where order matters (schedule, cancel); one broadcast each for tests.
		if (kind === 'broadcastSchedule' || kind === 'broadcastCancel') item.broadcast = pick(BROADCASTS.slice(0, 2));
		if (kind === 'broadcastTest') item.broadcast = BROADCASTS[n];
		// Mostly by email (looked up first), sometimes the same contact by ID: a failed lookup must not reorder them.
		if (kind === 'updateByEmail') item.by = pick(['email', 'email', 'id']);
		return item;
	});
	const onError = pick(['stop', 'continue', 'errorOutput'] as const);
	const options: IDataObject = {
		rateLimit: 0,
		concurrency: pick([0, 1, 2, 4]),
		retryAndTimeout: { settings: { maxRetries: pick([0, 1, 2, 4]), maxRetryWait: 0 } },
	};
	if (kind === 'upsert' || kind === 'event') options.batchSize = pick([1, 100]);
	const atMostOnce = kind === 'flow' && next() < 0.5;
	if (atMostOnce) options.ambiguousFailure = 'fail';
	return {
		seed,
		kind,
		items,
		options,
		contacts,
		continueOnFail: onError !== 'stop',
		errorOutput: onError === 'errorOutput',
		retryOnFail: next() < 0.5,
		maxTries: 3,
		atMostOnce,
		chaos: { seed, rate: pick([0.1, 0.25, 0.4]), itemRate: pick([0, 0.2]) },
	};
}

const fromItem = (field: string) => (json: IDataObject) => json[field];
const rl = (mode: string, field: string) => (json: IDataObject) => ({ __rl: true, mode, value: json[field] });

/** The node's parameters (version 3) for a kind of workflow, with expressions that read each item. */
export function parametersFor(kind: Kind): IDataObject {
	switch (kind) {
		case 'upsert':
			return {
				resource: 'contact',
				operation: 'upsert',
				email: fromItem('email'),
				contactFields: { firstName: fromItem('value'), createdAt: (json: IDataObject) => json.createdAt ?? '' },
			};
		case 'updateById':
			return { resource: 'contact', operation: 'update', contact: rl('id', 'id'), contactFields: { firstName: fromItem('value') } };
		case 'updateByEmail':
			return {
				resource: 'contact',
				operation: 'update',
				contact: (json: IDataObject) => ({ __rl: true, mode: json.by ?? 'email', value: json.by === 'id' ? json.id : json.email }),
				contactFields: { firstName: fromItem('value') },
			};
		case 'delete':
			return {
				resource: 'contact',
				operation: 'delete',
				contact: (json: IDataObject) => ({ __rl: true, mode: json.by, value: json.by === 'id' ? json.id : json.email }),
			};
		case 'propertyCreate':
			return { resource: 'contactProperty', operation: 'create', displayName: fromItem('name'), propertyType: 'NUMBER' };
		case 'propertyUpdate':
			return {
				resource: 'contactProperty',
				operation: 'update',
				property: rl('id', 'property'),
				updateFields: { displayName: fromItem('value') },
			};
		case 'propertyDelete':
			return { resource: 'contactProperty', operation: 'delete', property: rl('id', 'property') };
		case 'event':
			return {
				resource: 'event',
				operation: 'send',
				email: fromItem('email'),
				event: 'history_check',
				properties: (json: IDataObject) => JSON.stringify({ n: json.n }),
			};
		case 'email':
			return {
				resource: 'email',
				operation: 'send',
				content: 'raw',
				to: fromItem('email'),
				sender: { __rl: true, mode: 'list', value: 'hello@acme.example' },
				subject: fromItem('value'),
				html: '<p>History check</p>',
			};
		case 'formSubmit':
			return {
				resource: 'form',
				operation: 'submit',
				formKey: 'pk_your_form_key',
				email: fromItem('email'),
				answers: { mappingMode: 'defineBelow', value: { firstName: fromItem('value') } },
			};
		case 'broadcastCreate':
			return {
				resource: 'broadcast',
				operation: 'create',
				subject: fromItem('value'),
				sender: { __rl: true, mode: 'address', value: 'news@acme.example' },
				html: '<p>History check</p>',
			};
		case 'broadcastSchedule':
			return { resource: 'broadcast', operation: 'schedule', broadcast: rl('id', 'broadcast'), sendAt: '2030-01-01T09:00:00Z' };
		case 'broadcastCancel':
			return { resource: 'broadcast', operation: 'cancel', broadcast: rl('id', 'broadcast') };
		case 'broadcastTest':
			return { resource: 'broadcast', operation: 'sendTest', broadcast: rl('id', 'broadcast'), emails: 'owner@acme.example' };
		case 'flow':
			return { resource: 'flow', operation: 'trigger' };
	}
}
