import { NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import { createEmulator } from '../../../emulator/server';
import { Smashsend } from '../../../nodes/Smashsend/Smashsend.node';
import { executeContext, pause, type ContextOptions } from '../../support/executeContext';

/**
 * Delivery against the emulator under injected faults, judged by what the server recorded:
 * which requests it accepted, per email and per Idempotency-Key.
 */

const FLOW = { flowId: 'flw_Delivery', workspaceId: 'wrk_Delivery' };
const emulator = createEmulator({ flows: [FLOW] });
let webhookUrl = '';

beforeAll(async () => {
	await emulator.start();
	webhookUrl = emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId);
});
afterAll(async () => await emulator.stop());
beforeEach(() => {
	emulator.reset();
	emulator.setHonourIdempotencyKey(false);
});

/** Short waits keep the suite fast; the retry decisions are the same as with the defaults. */
const FAST = { maxRetryWait: 0.02, concurrency: 8 };

async function run(options: Partial<ContextOptions> & { items: IDataObject[] }) {
	const node = new Smashsend();
	const context = executeContext({ credentials: { webhookUrl }, ...options });
	const [output] = await node.execute.call(context);
	return output as INodeExecutionData[];
}

const emailOf = (r: { body: unknown }) => String((r.body as IDataObject)?.email);
function countBy<T>(list: T[], key: (t: T) => string) {
	const counts = new Map<string, number>();
	for (const entry of list) counts.set(key(entry), (counts.get(key(entry)) ?? 0) + 1);
	return counts;
}

describe('retries against injected faults', () => {
	it('a few hundred items through 429s, 503s, resets and slow answers: each flow triggered exactly once, in input order', async () => {
		const items = Array.from({ length: 300 }, (_, i) => ({ email: `c${i}@example.com`, n: i }));
		const faults = [];
		for (let i = 0; i < 300; i += 7) faults.push({ email: `c${i}@example.com`, status: 429, retryAfter: 0, times: 2 });
		for (let i = 1; i < 300; i += 11) faults.push({ email: `c${i}@example.com`, status: 429 });
		for (let i = 2; i < 300; i += 13) faults.push({ email: `c${i}@example.com`, status: 503, times: 3 });
		for (let i = 3; i < 300; i += 17) faults.push({ email: `c${i}@example.com`, reset: true });
		for (let i = 4; i < 300; i += 19) faults.push({ email: `c${i}@example.com`, delayMs: 30 });
		emulator.addFaults(faults);

		// Some items meet several faults in a row (c210: 429, 429, 429, 503, 503, 503).
		const output = await run({ items, parameters: { options: { ...FAST, maxRetries: 10 } } });

		expect(emulator.pendingFaults).toHaveLength(0);
		const accepted = emulator.accepted;
		expect(accepted).toHaveLength(300);
		expect([...countBy(accepted, emailOf).values()].every((n) => n === 1)).toBe(true);
		expect([...countBy(accepted, (r) => String(r.idempotencyKey)).values()].every((n) => n === 1)).toBe(true);
		expect(countBy(accepted, emailOf).size).toBe(300);
		expect(output.map((o) => o.json.email)).toEqual(items.map((i) => i.email));
		expect(output.map((o) => o.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		const runs = new Map(accepted.map((r) => [emailOf(r), r.flowRunId]));
		for (const o of output) expect(o.json.flowRunId).toBe(runs.get(String(o.json.email)));
		expect(output[0].json.attempts).toBe(3);
		expect(output[2].json.attempts).toBe(4);
		expect(output[5].json.attempts).toBe(1);
	});

	it('retries one item with the same Idempotency-Key, and only that item', async () => {
		emulator.addFaults([{ email: 'b@example.com', status: 503, times: 2 }]);
		await run({
			items: [{ email: 'a@example.com' }, { email: 'b@example.com' }, { email: 'c@example.com' }],
			parameters: { options: FAST },
		});
		const perEmail = countBy(emulator.received, emailOf);
		expect(Object.fromEntries(perEmail)).toEqual({ 'a@example.com': 1, 'b@example.com': 3, 'c@example.com': 1 });
		const keys = emulator.received.filter((r) => emailOf(r) === 'b@example.com').map((r) => r.idempotencyKey);
		expect(new Set(keys).size).toBe(1);
		expect(keys[0]).toMatch(/^n8n-flow-[0-9a-f]{40}$/);
	});

	it('does not retry early: the retry after a 429 comes no sooner than its Retry-After', async () => {
		emulator.addFaults([{ email: 'wait@example.com', status: 429, retryAfter: 1 }]);
		await run({ items: [{ email: 'wait@example.com' }], parameters: { options: { maxRetryWait: 10 } } });
		const [limited, retried] = emulator.received;
		expect(retried.receivedAt - limited.receivedAt).toBeGreaterThanOrEqual(1000);
	});

	it('sends a 400 once and fails that item alone', async () => {
		emulator.addFaults([
			{ email: 'bad@example.com', status: 400, body: { error: 'Validation failed', message: 'Unknown field', statusCode: 400 } },
		]);
		const output = await run({
			items: [{ email: 'ok@example.com' }, { email: 'bad@example.com' }],
			continueOnFail: true,
			parameters: { options: FAST },
		});
		expect(emulator.received.filter((r) => emailOf(r) === 'bad@example.com')).toHaveLength(1);
		expect(output[1].json).toMatchObject({ error: 'SMASHSEND rejected the item: Unknown field [item 1]', httpCode: '400', attempts: 1 });
		expect(output[0].json.flowRunId).toMatch(/^run_/);
	});

	it('lists the attempts and the last cause when an item exhausts its retries', async () => {
		emulator.addFaults([{ email: 'down@example.com', status: 503, times: 3 }]);
		const output = await run({
			items: [{ email: 'down@example.com' }],
			continueOnFail: true,
			parameters: { options: { ...FAST, maxRetries: 2 } },
		});
		expect(output[0].json.error).toBe('SMASHSEND did not confirm a flow run: Injected failure [item 0]');
		expect(output[0].json.httpCode).toBe('503');
		expect(output[0].json.errorDescription).toContain(
			'To keep trying longer, raise Max Retries or Max Wait per Retry in the Options (under Retries and Timeout in new nodes).',
		);
		expect(output[0].json.errorDescription).toContain('Tried 3 times (HTTP 503, HTTP 503, HTTP 503).');
		expect(output[0].json.attempts).toBe(3);
		expect(emulator.received).toHaveLength(3);
	});
});

describe('duplicate safety', () => {
	it('at most once: a timed-out call is never sent again', async () => {
		emulator.addFaults([{ email: 'slow@example.com', delayMs: 400 }]);
		const output = await run({
			items: [{ email: 'slow@example.com' }, { email: 'fine@example.com' }],
			continueOnFail: true,
			parameters: { options: { ...FAST, timeout: 100, ambiguousFailure: 'fail' } },
		});
		expect(emulator.received.filter((r) => emailOf(r) === 'slow@example.com')).toHaveLength(1);
		expect(output[0].json.error).toBe('Could not reach SMASHSEND: no answer came before the timeout [item 0]');
		expect(output[0].json.errorDescription).toContain(
			'Not retried: Options → When Unsure If the Flow Started is set to fail the item (at most once)',
		);
		expect(output[1].json.flowRunId).toMatch(/^run_/);
	});

	it("version 3's Timeout (Seconds) cuts a call off as version 1's Timeout (Ms) does", async () => {
		emulator.addFaults([{ email: 'slow@example.com', delayMs: 400 }]);
		const output = await run({
			typeVersion: 3,
			items: [{ email: 'slow@example.com' }],
			continueOnFail: true,
			parameters: { options: { ...FAST, timeoutSeconds: 0.1, ambiguousFailure: 'fail' } },
		});
		expect(output[0].json.error).toBe('Could not reach SMASHSEND: no answer came before the timeout [item 0]');
		expect(emulator.received.filter((r) => emailOf(r) === 'slow@example.com')).toHaveLength(1);
		// In seconds: 2 s leaves the same slow call time to answer.
		emulator.addFaults([{ email: 'slow@example.com', delayMs: 400 }]);
		const [answered] = await run({
			typeVersion: 3,
			items: [{ email: 'slow@example.com' }],
			parameters: { options: { ...FAST, timeoutSeconds: 2 } },
		});
		expect(answered.json.flowRunId).toMatch(/^run_/);
	});

	it('at least once: the timed-out call is sent again with the same key, so a server honouring it starts one run', async () => {
		emulator.setHonourIdempotencyKey(true);
		emulator.addFaults([{ email: 'slow@example.com', delayMs: 400 }]);
		const output = await run({ items: [{ email: 'slow@example.com' }], parameters: { options: { ...FAST, timeout: 100 } } });
		// Let the first, timed-out call finish on the server: it is the one that could duplicate.
		await pause(600);
		expect(emulator.received.find((r) => r.replayed)).toBeDefined();
		const sent = emulator.received.filter((r) => emailOf(r) === 'slow@example.com');
		expect(sent.length).toBeGreaterThanOrEqual(2);
		expect(new Set(sent.map((r) => r.idempotencyKey)).size).toBe(1);
		expect(emulator.accepted.filter((r) => emailOf(r) === 'slow@example.com')).toHaveLength(1);
		expect(output[0].json.flowRunId).toBe(emulator.accepted[0].flowRunId);
	});

	it("keeps each item's key across n8n's node-level Retry On Fail in the same execution, and changes it in another", async () => {
		const items = [{ email: 'a@example.com' }, { email: 'b@example.com' }];
		const keysOf = async (executionId: string) => {
			emulator.reset();
			await run({ items, executionId });
			// By email, not by arrival: both items are in flight at once.
			return Object.fromEntries(emulator.received.map((r) => [emailOf(r), r.idempotencyKey]));
		};
		const first = await keysOf('exec-1');
		const again = await keysOf('exec-1');
		const other = await keysOf('exec-2');
		expect(again).toEqual(first);
		expect(other['a@example.com']).not.toBe(first['a@example.com']);
		expect(first['a@example.com']).not.toBe(first['b@example.com']);
	});
});

describe('bad input beside good input', () => {
	it('each bad item fails alone with a clear message; the rest go through once', async () => {
		emulator.addFaults([
			{ email: 'html@example.com', status: 200, body: '<html><title>Maintenance</title></html>' },
			{ email: 'norun@example.com', status: 200, body: { success: true, message: 'queued' } },
		]);
		const items = [
			{ name: 'missing email' },
			{ email: '' },
			{ email: 'not an email' },
			{ email: ['a@example.com'] },
			{ email: 'nested@example.com', profile: { address: { city: 'Zürich', tags: ['ä', '🚀'] } } },
			{ email: 'big@example.com', blob: 'x'.repeat(1024 * 1024) },
			{ email: 'html@example.com' },
			{ email: 'norun@example.com' },
			{ email: 'last@example.com' },
		];
		const output = await run({ items, continueOnFail: true, parameters: { options: FAST } });

		expect(output).toHaveLength(items.length);
		expect(output.map((o) => o.json.error ?? 'ok')).toEqual([
			expect.stringContaining("No email in 'Email': it resolved to nothing [item 0]"),
			expect.stringContaining("The email in 'Email' is empty [item 1]"),
			expect.stringContaining(`The email in 'Email' is not a valid address: "not an email" [item 2]`),
			expect.stringContaining(`The email in 'Email' is not text: ["a@example.com"] [item 3]`),
			'ok',
			'ok',
			expect.stringMatching(/did not confirm a flow run: .* \[item 6\]$/),
			expect.stringMatching(/did not confirm a flow run: .* \[item 7\]$/),
			'ok',
		]);
		expect([output[6].json.httpCode, output[7].json.httpCode]).toEqual(['200', '200']);
		// The error lives in json only: n8n would replace the json of an item carrying `error` with its message.
		expect(output[6].error).toBeUndefined();
		expect(output[0].json.errorDescription).toBe(
			'Check that the input item has the field the expression reads (by default {{ $json.email }}). Nothing was sent to SMASHSEND for this item.',
		);
		expect(Object.fromEntries(countBy(emulator.received, emailOf))).toEqual({
			'nested@example.com': 1,
			'big@example.com': 1,
			'html@example.com': 1,
			'norun@example.com': 1,
			'last@example.com': 1,
		});
		expect(emulator.accepted.find((r) => emailOf(r) === 'nested@example.com')?.body).toEqual(items[4]);
		expect((emulator.accepted.find((r) => emailOf(r) === 'big@example.com')?.body as IDataObject).blob).toHaveLength(1024 * 1024);
	});
});

describe('cancellation', () => {
	it('stops sending when the execution is cancelled mid-batch, and stops waiting', async () => {
		const controller = new AbortController();
		emulator.setLatency(20);
		emulator.addFaults([{ email: 'c8@example.com', status: 429, retryAfter: 600 }]);
		const items = Array.from({ length: 200 }, (_, i) => ({ email: `c${i}@example.com` }));
		const running = run({ items, abortSignal: controller.signal, parameters: { options: { concurrency: 4, maxRetryWait: 600 } } });
		// Cancel while every worker waits out the 429's ten minutes.
		while (!emulator.received.some((r) => r.status === 429)) await pause(10);
		await pause(50);
		controller.abort();
		await expect(running).rejects.toThrow('The execution was cancelled while sending items to SMASHSEND');
		const countAtStop = emulator.received.length;
		await pause(300);
		expect(countAtStop).toBeLessThan(20);
		expect(emulator.received.length).toBe(countAtStop);
		emulator.setLatency(0);
	});

	it('names the items whose calls were in flight as unconfirmed, not as failed', async () => {
		const controller = new AbortController();
		emulator.addFaults([{ email: 'slow@example.com', delayMs: 2000 }]);
		const running = run({
			items: [{ email: 'fast@example.com' }, { email: 'slow@example.com' }],
			abortSignal: controller.signal,
			parameters: { options: { concurrency: 1 } },
		});
		while (!emulator.received.some((r) => emailOf(r) === 'slow@example.com')) await pause(10);
		controller.abort();
		const error = (await running.then(
			() => undefined,
			(e: NodeOperationError) => e,
		)) as NodeOperationError;
		expect(error.message).toBe('The execution was cancelled while sending items to SMASHSEND');
		expect(error.description).toBe(
			'Flows started for item 0. Stopped before SMASHSEND confirmed item 1 (the flow may or may not have started).',
		);
	});
});
