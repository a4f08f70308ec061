import type { AttemptResult } from '../../nodes/Smashsend/delivery/call';
import { deliverBatches, type BatchAnswer, type BatchOptions, type ItemVerdict } from '../../nodes/Smashsend/delivery/batchDelivery';
import type { TaskMemory, Remembered } from '../../nodes/Smashsend/delivery/retryOnFailMemory';
import { batchTooLarge, readBatchErrors } from '../../nodes/Smashsend/channels/rest/batchAnswer';
import { testDeliveryOptions } from '../support/deliveryOptions';
import { FakeClock } from '../support/fakeClock';

/** Per item, what the batch answers say of it, in turn: 'ok', 'final', 'retry', or a retry with a wait (ms). */
type Say = 'ok' | 'final' | 'retry' | { retryAfterMs: number };
type Whole = 'ok' | 'tooLarge' | { status: number };

/**
 * A fake SMASHSEND batch endpoint: `maxSize` items per call (larger: too large), per-item
 * scripts, and scripted whole-batch failures; records every call with its time.
 */
function server(clock: FakeClock, { maxSize = Infinity, items = {} as Record<number, Say[]>, whole = [] as Whole[] } = {}) {
	const calls: Array<{ batch: number[]; at: number }> = [];
	const send = async (batch: number[]): Promise<AttemptResult<BatchAnswer<string, string>, string>> => {
		calls.push({ batch, at: clock.now() });
		const next = whole.shift() ?? 'ok';
		if (next !== 'ok' && next !== 'tooLarge') {
			return {
				ok: false,
				outcome: { kind: 'answer', statusCode: next.status },
				failure: `HTTP ${next.status}`,
				label: `HTTP ${next.status}`,
			};
		}
		if (next === 'tooLarge' || batch.length > maxSize) return { ok: true, value: { tooLarge: true } };
		const verdicts = batch.map((index): ItemVerdict<string, string> => {
			const say = items[index]?.shift() ?? 'ok';
			if (say === 'ok') return { ok: true, value: `saved ${index}` };
			if (say === 'final') return { ok: false, failure: `refused ${index}`, retryable: false, label: 'refused' };
			return {
				ok: false,
				failure: `busy ${index}`,
				retryable: true,
				retryAfterMs: say === 'retry' ? undefined : say.retryAfterMs,
				label: 'refused, retryable',
			};
		});
		return { ok: true, value: { verdicts } };
	};
	return { send, calls };
}

function setup(overrides: Partial<BatchOptions> = {}) {
	const clock = new FakeClock(0.5);
	const options: BatchOptions = { ...testDeliveryOptions(clock), batchSize: 4, maxRetries: 3, ...overrides };
	return { clock, options };
}

const tasks = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);

describe('deliverBatches', () => {
	it('sends the items several per call, in order, one result per item', async () => {
		const { clock, options } = setup();
		const { send, calls } = server(clock);
		const { results } = await clock.run(deliverBatches(tasks(10), send, options));
		expect(calls.map((c) => c.batch)).toEqual([
			[0, 1, 2, 3],
			[4, 5, 6, 7],
			[8, 9],
		]);
		expect(results.map((r) => r.status === 'delivered' && r.value)).toEqual(tasks(10).map((_, i) => `saved ${i}`));
	});

	it('skips the items that failed before delivery', async () => {
		const { clock, options } = setup();
		const { send, calls } = server(clock);
		const { results } = await clock.run(deliverBatches(['a', undefined, 'c'], send, options));
		expect(calls.map((c) => c.batch)).toEqual([[0, 2]]);
		expect(results[1]).toEqual({ status: 'skipped' });
	});

	it('halves a batch that is too large until one is taken, then keeps that size (one call at a time until then)', async () => {
		const { clock, options } = setup({ batchSize: 100, concurrency: 5 });
		const { send, calls } = server(clock, { maxSize: 30 });
		const { results, batchSize } = await clock.run(deliverBatches(tasks(120), send, options));
		expect(calls.map((c) => c.batch.length)).toEqual([100, 50, 25, 25, 25, 25, 20]);
		expect(batchSize).toBe(25);
		expect(results.every((r) => r.status === 'delivered')).toBe(true);
		// A too-large answer is no attempt of the items: SMASHSEND did not look at them.
		expect(results[0]).toMatchObject({ attempts: 1 });
	});

	it('sends a retryable item again in a later batch after its backoff, and a final one never', async () => {
		const { clock, options } = setup();
		const { send, calls } = server(clock, { items: { 1: ['retry', 'retry'], 2: ['final'] } });
		const { results } = await clock.run(deliverBatches(tasks(4), send, options));
		expect(calls.map((c) => [c.batch, c.at])).toEqual([
			[[0, 1, 2, 3], 0],
			[[1], 1000 * 0.75],
			[[1], 750 + 2000 * 0.75],
		]);
		expect(results[1]).toMatchObject({ status: 'delivered', attempts: 3 });
		expect(results[2]).toMatchObject({ status: 'failed', failure: 'refused 2', cause: 'final', retriesExhausted: false, attempts: 1 });
	});

	it('sends items refused together, without a wait of their own, again together', async () => {
		const { clock, options } = setup({ batchSize: 100 });
		// Randomness that differs at every draw, as Math.random does.
		let draws = 0;
		clock.random = () => (draws++ % 10) / 10;
		const items = Object.fromEntries(Array.from({ length: 40 }, (_, i): [number, Say[]] => [i, ['retry']]));
		const { send, calls } = server(clock, { items });
		const { results } = await clock.run(deliverBatches(tasks(50), send, options));
		expect(calls.map((c) => c.batch.length)).toEqual([50, 40]);
		expect(results.every((r) => r.status === 'delivered')).toBe(true);
	});

	it('keeps items with the same key out of one round of calls, in order', async () => {
		const { clock, options } = setup({ batchSize: 10, concurrency: 5 });
		const keys = ['a', 'b', 'a', 'c', 'a', 'd'];
		const { send, calls } = server(clock);
		await clock.run(deliverBatches(tasks(6), send, { ...options, keyOf: (index) => keys[index] }));
		expect(calls.map((c) => c.batch)).toEqual([[0, 1, 3, 5], [2], [4]]);
	});

	it('sends a later item of the same key only once the earlier one has settled: a retried item never overwrites a later one', async () => {
		// [ada "Old", bob, ada "New"]: ada "Old" is refused, retryable, in the first batch.
		const { clock, options } = setup({ batchSize: 10, concurrency: 5 });
		const keys = ['ada', 'bob', 'ada'];
		const { send, calls } = server(clock, { items: { 0: ['retry'] } });
		const { results } = await clock.run(deliverBatches(tasks(3), send, { ...options, keyOf: (index) => keys[index] }));
		expect(calls.map((c) => c.batch)).toEqual([[0, 1], [0], [2]]);
		expect(results.map((r) => r.status)).toEqual(['delivered', 'delivered', 'delivered']);
	});

	it('learns no size when SMASHSEND took no batch (a 400 mistaken for too large)', async () => {
		const { clock, options } = setup({ batchSize: 4 });
		// Every batch of several is "too large"; each item alone is refused: no batch was ever taken.
		const send = async (batch: number[]): Promise<AttemptResult<BatchAnswer<string, string>, string>> =>
			batch.length > 1
				? { ok: true, value: { tooLarge: true } }
				: { ok: false, outcome: { kind: 'answer', statusCode: 400 }, failure: 'HTTP 400', label: 'HTTP 400' };
		const outcome = await clock.run(deliverBatches(tasks(4), send, options));
		expect(outcome).toMatchObject({ batchSize: 1, sizeTaken: false });
		expect(outcome.results.every((r) => r.status === 'failed')).toBe(true);
	});

	it('waits as long as a retryable item asks, then gives up after Max Retries', async () => {
		const { clock, options } = setup({ maxRetries: 2 });
		const { send, calls } = server(clock, { items: { 0: [{ retryAfterMs: 5000 }, { retryAfterMs: 5000 }, { retryAfterMs: 5000 }] } });
		const { results } = await clock.run(deliverBatches(tasks(2), send, options));
		expect(calls.map((c) => c.at)).toEqual([0, 5000, 10000]);
		expect(results[0]).toMatchObject({
			status: 'failed',
			attempts: 3,
			retriesExhausted: true,
			history: ['refused, retryable', 'refused, retryable', 'refused, retryable'],
		});
	});

	it('retries a batch that failed as a whole, as one call, and fails each of its items when it keeps failing', async () => {
		const { clock, options } = setup({ maxRetries: 1 });
		const { send, calls } = server(clock, { whole: [{ status: 503 }, { status: 503 }] });
		const { results } = await clock.run(deliverBatches(tasks(6), send, options));
		expect(calls.map((c) => c.batch)).toEqual([
			[0, 1, 2, 3],
			[0, 1, 2, 3],
			[4, 5],
		]);
		for (const index of [0, 1, 2, 3]) {
			expect(results[index]).toMatchObject({ status: 'failed', attempts: 2, retriesExhausted: true, sentWith: [0, 1, 2, 3] });
		}
		expect(results[4]).toMatchObject({ status: 'delivered' });
	});

	it('starts no batch after an item failed for good under stopOnFailure; the refused item is failed, the rest not sent', async () => {
		const { clock, options } = setup({ batchSize: 2, stopOnFailure: true });
		const { send, calls } = server(clock, { items: { 1: ['final'] } });
		const { results } = await clock.run(deliverBatches(tasks(6), send, options));
		expect(calls).toHaveLength(1);
		expect(results.map((r) => r.status)).toEqual(['delivered', 'failed', 'not-sent', 'not-sent', 'not-sent', 'not-sent']);
	});

	it('fails an item waiting for its retry when the execution is cancelled (SMASHSEND said it failed)', async () => {
		const { clock, options } = setup();
		const cancel = new AbortController();
		const { send } = server(clock, { items: { 1: [{ retryAfterMs: 60_000 }] } });
		const delivery = deliverBatches(tasks(3), send, { ...options, signal: cancel.signal });
		await clock.settle();
		cancel.abort();
		const { results } = await clock.run(delivery);
		expect(results.map((r) => r.status)).toEqual(['delivered', 'failed', 'delivered']);
		expect(results[1]).toMatchObject({ failure: 'busy 1', attempts: 1, retriesExhausted: false });
	});

	it('answers from memory the items an earlier try delivered, and remembers what this one delivers', async () => {
		const { clock, options } = setup();
		const remembered = new Map<number, Remembered<string, string>>([[1, { delivered: true, value: 'earlier 1', attempts: 1 }]]);
		const memory: TaskMemory<string, string> = {
			recall: (index) => remembered.get(index),
			remember: (index, outcome) => remembered.set(index, outcome),
			lost: () => undefined,
			noteLost: () => undefined,
		};
		const { send, calls } = server(clock);
		const { results } = await clock.run(deliverBatches(tasks(3), send, options, memory));
		expect(calls.map((c) => c.batch)).toEqual([[0, 2]]);
		expect(results[1]).toMatchObject({ status: 'delivered', value: 'earlier 1', earlierTry: true });
		expect([...remembered.keys()].sort()).toEqual([0, 1, 2]);
	});
});

describe("reading SMASHSEND's batch answers", () => {
	it('reads errors[] by index, joining the reasons; retryable only when every reason is', () => {
		const errors = readBatchErrors({
			errors: [
				{
					index: 2,
					email: 'a@x.io',
					errors: [
						{ code: 'VALIDATION_ERROR', message: 'bad city' },
						{ code: 'X', message: 'bad seats' },
					],
				},
				{ index: 0, email: 'b@x.io', errors: [{ code: 'LOCKED', message: 'busy', retryable: true, retryAfter: 3 }] },
				{
					index: 1,
					errors: [
						{ message: 'busy', retryable: true },
						{ message: 'bad', retryable: false },
					],
				},
				{ index: -1, errors: [] },
				'nonsense',
				{ index: 0, errors: [{ message: 'a second entry for 0 is ignored' }] },
			],
		});
		expect([...errors.entries()]).toEqual([
			[2, { code: 'VALIDATION_ERROR', message: 'bad city; bad seats', retryable: false, retryAfterMs: undefined }],
			[0, { code: 'LOCKED', message: 'busy', retryable: true, retryAfterMs: 3000 }],
			[1, { code: undefined, message: 'busy; bad', retryable: false, retryAfterMs: undefined }],
		]);
		expect(readBatchErrors({}).size).toBe(0);
	});

	it('knows a too-large answer: 413, or a 400 that says so, not any 400', () => {
		expect(batchTooLarge({ statusCode: 413, serverMessage: 'Payload Too Large' })).toBe(true);
		expect(batchTooLarge({ statusCode: 400, serverMessage: 'Too many contacts in one request (max 50)' })).toBe(true);
		expect(batchTooLarge({ statusCode: 400, serverMessage: 'A batch may hold at most 50 contacts' })).toBe(true);
		expect(batchTooLarge({ statusCode: 400, serverMessage: 'Batch size limit exceeded' })).toBe(true);
		expect(batchTooLarge({ statusCode: 400, serverMessage: 'contacts must be an array' })).toBe(false);
		expect(batchTooLarge({ statusCode: 400, serverMessage: 'Batch rejected: workspace contact limit exceeded' })).toBe(false);
		expect(batchTooLarge({ statusCode: 422, serverMessage: 'Too many contacts' })).toBe(false);
	});
});
