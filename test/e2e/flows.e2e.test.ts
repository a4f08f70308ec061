import type { IDataObject } from 'n8n-workflow';

import { createEmulator } from '../../emulator/server';
import { selectedVersion } from '../../n8n-runtime/install';
import { N8nSession, packPackage } from '../../n8n-runtime/session';
import { flowCredential } from '../support/e2eCredentials';
import autoConcurrency from './workflows/auto-concurrency.workflow.json';
import continueOnFail from './workflows/continue-on-fail.workflow.json';
import errorOutput from './workflows/error-output.workflow.json';
import fieldMapping from './workflows/field-mapping.workflow.json';
import manyItems from './workflows/many-items.workflow.json';
import retries from './workflows/retries.workflow.json';

/**
 * The packed package installed in a real n8n, executing the workflow files next to this
 * test against the SMASHSEND emulator. Asserts on n8n's run data and on what the emulator
 * recorded.
 */

const FLOW = { flowId: 'flw_E2eS3cretFlow', workspaceId: 'wrk_E2eS3cretWs' };
const emulator = createEmulator({ flows: [FLOW] });
let session: InstanceType<typeof N8nSession>;
let webhookUrl = '';
const transcripts: string[] = [];

type Execution = Awaited<ReturnType<InstanceType<typeof N8nSession>['execute']>>;

async function execute(workflow: { id: string }): Promise<Execution> {
	const result = await session.execute(workflow.id);
	transcripts.push(result.stdout, result.stderr);
	return result;
}

const WORKFLOWS = [manyItems, fieldMapping, continueOnFail, errorOutput, retries, autoConcurrency];

const json = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json);

beforeAll(async () => {
	await emulator.start();
	webhookUrl = emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId);
	session = new N8nSession();
	session.installPackage(packPackage());
	await session.importCredentials([flowCredential(webhookUrl)]);
	for (const workflow of [manyItems, fieldMapping, continueOnFail, errorOutput, retries, autoConcurrency])
		await session.importWorkflow(workflow);
});

afterAll(async () => {
	await session?.stop();
	await emulator.stop();
});

beforeEach(() => {
	emulator.reset();
	emulator.setLatency(0);
	emulator.setRateLimit(0);
	emulator.setCapacity({ inFlight: 0 });
});

describe(`SMASHSEND node in real n8n ${selectedVersion()}`, () => {
	it('many items: one flow run each, flowRunId in each output item, paired to its input', async () => {
		const result = await execute(manyItems);
		expect(result.error).toBeUndefined();

		const smashsend = result.output('SMASHSEND');
		expect(smashsend).toHaveLength(40);
		smashsend.forEach((item: { pairedItem: unknown }, index: number) => expect(item.pairedItem).toEqual({ item: index }));

		expect(emulator.accepted).toHaveLength(40);
		const runByEmail = new Map(emulator.accepted.map((r) => [(r.body as IDataObject).email, r.flowRunId]));
		expect(runByEmail.size).toBe(40);
		const after = json(result.output('Use flowRunId'));
		after.forEach((row, index) => {
			expect(row).toEqual({
				email: `contact${index}@example.com`,
				firstName: `First${index}`,
				position: String(index),
				flowRunId: runByEmail.get(`contact${index}@example.com`),
			});
		});
	});

	it('field mapping from expressions reaches the server the same way in each body encoding', async () => {
		const result = await execute(fieldMapping);
		expect(result.error).toBeUndefined();
		const expected = [
			{ email: 'Ada@Example.com', firstName: 'Ada', plan: 'PRO', seats: 3, address: { city: 'London', zip: 'NW1' }, tags: ['vip', 'beta'] },
			{
				email: 'zoë@exämple.de',
				firstName: 'Zoë',
				plan: 'FREE',
				seats: 1,
				address: { city: 'São Paulo', zip: '01000' },
				tags: ['ünïcode'],
			},
		];
		const byType = (type: string) => emulator.accepted.filter((r) => r.contentType.startsWith(type)).map((r) => r.body);
		expect(byType('application/json')).toEqual(expected);
		// Form encodings carry text only.
		const asText = expected.map((e) => ({ ...e, seats: String(e.seats) }));
		expect(byType('multipart/form-data')).toEqual(asText);
		expect(byType('application/x-www-form-urlencoded')).toEqual(asText);
		for (const name of ['SMASHSEND JSON', 'SMASHSEND Multipart', 'SMASHSEND URL-Encoded']) {
			expect(result.output(name).map((i: { json: IDataObject }) => i.json.flowRunId)).toEqual([
				expect.stringMatching(/^run_/),
				expect.stringMatching(/^run_/),
			]);
		}
	});

	it('On Error: Continue outputs the bad items with their errors, paired; the good ones go through once', async () => {
		emulator.addFaults([
			{ status: 400, email: 'rejected@example.com', body: { error: 'Validation failed', message: 'Contact is banned', statusCode: 400 } },
		]);
		const result = await execute(continueOnFail);
		expect(result.error).toBeUndefined();
		const rows = json(result.output('After SMASHSEND'));
		expect(rows.map((r) => r.input)).toEqual(['good1@example.com', 'not-an-email', 'rejected@example.com', 'good2@example.com']);
		expect(rows[0].flowRunId).toMatch(/^run_/);
		expect(rows[3].flowRunId).toMatch(/^run_/);
		expect(rows[1].error).toBe('The email in \'Email\' is not a valid address: "not-an-email" [item 1]');
		expect(rows[2].error).toBe('SMASHSEND rejected the item: Contact is banned [item 2]');
		// What to do next reaches the user: n8n keeps the failed item's json as the node gave it.
		const [, bad, rejected] = json(result.output('SMASHSEND'));
		expect(bad.errorDescription).toBe(
			'Fix the value, or filter such items out before this node. Nothing was sent to SMASHSEND for this item.',
		);
		expect(rejected).toMatchObject({ email: 'rejected@example.com', httpCode: '400', attempts: 1 });
		expect(rejected.errorDescription).toContain("Fix this item's data");
		expect(emulator.received.map((r) => (r.body as IDataObject).email)).toEqual([
			'good1@example.com',
			'rejected@example.com',
			'good2@example.com',
		]);
		expect(emulator.accepted).toHaveLength(2);
	});

	it('Continue (using error output): bad items on the error branch, good ones on the main one', async () => {
		emulator.addFaults([{ status: 400, email: 'rejected@example.com' }]);
		const result = await execute(errorOutput);
		expect(result.error).toBeUndefined();
		expect(json(result.output('Triggered')).map((r) => r.email)).toEqual(['good1@example.com', 'good2@example.com']);
		const failed = json(result.output('Failed'));
		expect(failed.map((r) => r.input)).toEqual(['not-an-email', 'rejected@example.com']);
		expect(failed[1].error).toBe('SMASHSEND rejected the item: Injected failure [item 2]');
		// On the error output n8n adds the input item's fields; the advice is the message.
		const routed = json(result.output('SMASHSEND', 1));
		expect(routed[1]).toMatchObject({ email: 'rejected@example.com', error: 'SMASHSEND rejected the item: Injected failure [item 2]' });
		expect(routed[1].message).toContain("Fix this item's data");
		expect(emulator.accepted).toHaveLength(2);
	});

	it('retries under injected 429 and 503 faults, and the server records no duplicate run', async () => {
		const faults = [];
		for (let i = 0; i < 30; i += 3) faults.push({ email: `retry${i}@example.com`, status: 429, retryAfter: 0 });
		for (let i = 1; i < 30; i += 4) faults.push({ email: `retry${i}@example.com`, status: 503, times: 2 });
		faults.push({ email: 'retry2@example.com', reset: true });
		emulator.addFaults(faults);
		const result = await execute(retries);
		expect(result.error).toBeUndefined();
		expect(emulator.pendingFaults).toHaveLength(0);

		const perEmail = new Map<string, number>();
		for (const r of emulator.accepted)
			perEmail.set(String((r.body as IDataObject).email), (perEmail.get(String((r.body as IDataObject).email)) ?? 0) + 1);
		expect(perEmail.size).toBe(30);
		expect([...perEmail.values()].every((n) => n === 1)).toBe(true);
		expect(emulator.received.length).toBe(30 + 10 + 8 * 2 + 1);

		const rows = json(result.output('Use flowRunId'));
		const runs = new Map(emulator.accepted.map((r) => [(r.body as IDataObject).email, r.flowRunId]));
		rows.forEach((row, i) => {
			expect(row.email).toBe(`retry${i}@example.com`);
			expect(row.flowRunId).toBe(runs.get(row.email as string));
		});
		expect(rows[0].attempts).toBe(2);
		expect(rows[1].attempts).toBe(3);
		expect(rows[2].attempts).toBe(2);
	});

	it('the webhook URL is stored encrypted and appears in no execution output or error', async () => {
		// Every workflow of this suite once more, with failures that echo the secret path: a
		// proxy's 404 page (not retried, shown redacted) and a 400 that quotes it.
		const page = `<pre>Cannot POST /v1/flows/${FLOW.flowId}/${FLOW.workspaceId}/call</pre>`;
		emulator.addFaults([
			{ email: 'good2@example.com', status: 404, body: page },
			{
				email: 'rejected@example.com',
				status: 400,
				body: { error: 'Validation failed', message: `Bad call to ${webhookUrl}`, statusCode: 400 },
			},
		]);
		const before = transcripts.length;
		for (const workflow of WORKFLOWS) await execute(workflow);
		const these = transcripts.slice(before);
		// Two transcripts (stdout, stderr) per execution, each stdout holding its run data.
		expect(these).toHaveLength(2 * WORKFLOWS.length);
		for (let i = 0; i < these.length; i += 2) expect(these[i]).toContain('"runData"');
		const everything = these.join('\n');
		for (const secret of [webhookUrl, FLOW.flowId, FLOW.workspaceId]) {
			expect(everything).not.toContain(secret);
			expect(session.databaseContains(secret)).toBe(false);
		}
		expect(everything.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(2);
	});
});

describe(`Concurrency: Auto (the default) in real n8n ${selectedVersion()}`, () => {
	/** Runs the 600-item workflow; every contact's flow started exactly once, the execution green. */
	async function runAuto() {
		const result = await execute(autoConcurrency);
		expect(result.error).toBeUndefined();
		const started = emulator.accepted.map((r) => (r.body as IDataObject).email);
		expect(started).toHaveLength(600);
		expect(new Set(started).size).toBe(600);
		const output = json(result.output('SMASHSEND'));
		expect(output.map((row) => row.flowRunId)).toEqual(
			Array.from(
				{ length: 600 },
				(_, i) => emulator.accepted.find((r) => (r.body as IDataObject).email === `auto${i}@example.com`)?.flowRunId,
			),
		);
		const hints = (result.runData.SMASHSEND?.[0] as { hints?: Array<{ message: string }> } | undefined)?.hints ?? [];
		return hints.map((hint) => hint.message).join(' ');
	}

	it('sends more than five at once where the server has room, with no hint (SMASHSEND never pushed back: nothing to act on)', async () => {
		emulator.setLatency(20);
		emulator.setCapacity({ inFlight: 1000 });
		const hint = await runAuto();
		expect(hint).toBe('');
		expect(emulator.settings.capacity.peak).toBeGreaterThan(5);
		expect(emulator.settings.capacity.peak).toBeLessThanOrEqual(100);
	});

	it('a server whose capacity halves mid-run: no failed item, none twice', async () => {
		emulator.setLatency(30);
		emulator.setCapacity({ inFlight: 16, halveAfter: 300 });
		await runAuto();
		expect(emulator.settings.capacity.current).toBe(8);
	});

	it('a server limited to 100 calls a second: after the first 429s, the pace it accepted', async () => {
		emulator.setRateLimit(100);
		const hint = await runAuto();
		expect(hint).toMatch(
			/^SMASHSEND asked this run to slow down\. Concurrency: Auto settled at \d+ calls at once \(at most \d+\) over \d+ calls; after SMASHSEND asked it to wait, it kept to [\d.]+ calls per second\. To keep them fixed, set Options → Concurrency and Rate Limit\.$/,
		);
		expect(emulator.received.filter((r) => r.status === 429).length).toBeLessThan(150);
	});
});
