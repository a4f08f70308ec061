import type { INodeExecutionData } from 'n8n-workflow';

import { RetryOnFailMemory, mayBeRetried } from '../../nodes/Smashsend/delivery/retryOnFailMemory';

const run = (n: number) => ({ execution: 'e', node: 'n', run: n });
const ok: INodeExecutionData[] = [{ json: { flowRunId: 'run_1' } }];
const firstItemFailed: INodeExecutionData[] = [{ json: { error: 'Bad Request' } }, { json: { flowRunId: 'run_2' } }];
const delivered = (value: string, attempts = 1) => ({ delivered: true as const, value, attempts });

function memoryAt(start = 0, limits = { maxCalls: 100, idleMs: 60_000, retryWindowMs: 10_000 }) {
	const clock = { now: start };
	return { clock, memory: new RetryOnFailMemory(limits, () => clock.now) };
}

describe('which outcomes n8n retries (Retry On Fail)', () => {
	it('a thrown error and a first item that carries an error; not a clean run', () => {
		expect(mayBeRetried(undefined)).toBe(true);
		expect(mayBeRetried(firstItemFailed)).toBe(true);
		expect(mayBeRetried(ok)).toBe(false);
		expect(mayBeRetried([])).toBe(false);
		expect(mayBeRetried([{ json: { flowRunId: 'x' } }, { json: { error: 'later items do not count' } }])).toBe(false);
	});
});

describe('the Retry On Fail memory', () => {
	it('answers the next try of a failed run with what was delivered', () => {
		const { memory } = memoryAt();
		const first = memory.forRun<string, string>(run(0));
		first.remember('k1', delivered('run_1', 2));
		first.close(undefined);
		expect(memory.forRun<string, string>(run(0)).recall('k1')).toEqual(delivered('run_1', 2));
	});

	it('remembers a call that may have arrived under At Most Once, as failed', () => {
		const { memory } = memoryAt();
		const first = memory.forRun<string, string>(run(0));
		first.remember('k1', { delivered: false, failure: 'HTTP 504', attempts: 1, history: ['HTTP 504'] });
		first.close(undefined);
		expect(memory.forRun<string, string>(run(0)).recall('k1')).toEqual({
			delivered: false,
			failure: 'HTTP 504',
			attempts: 1,
			history: ['HTTP 504'],
		});
	});

	it('forgets a run that ended cleanly: n8n does not run it again', () => {
		const { memory } = memoryAt();
		const first = memory.forRun<string, string>(run(0));
		first.remember('k1', delivered('run_1'));
		first.close(ok);
		expect(memory.forRun<string, string>(run(0)).recall('k1')).toBeUndefined();
		expect(memory.size).toBe(0);
	});

	it('keeps a run whose first output item is an error (continue on fail), for Retry On Fail', () => {
		const { memory } = memoryAt();
		const first = memory.forRun<string, string>(run(0));
		first.remember('k2', delivered('run_2'));
		first.close(firstItemFailed);
		expect(memory.forRun<string, string>(run(0)).recall('k2')).toEqual(delivered('run_2'));
	});

	it('never answers another run of the node from an earlier one', () => {
		const { memory } = memoryAt();
		const first = memory.forRun<string, string>(run(0));
		first.remember('same-key', delivered('run_1'));
		first.close(undefined);
		expect(memory.forRun<string, string>(run(1)).recall('same-key')).toBeUndefined();
	});

	it('forgets a failed run some time after it ended', () => {
		const { memory, clock } = memoryAt(0, { maxCalls: 100, idleMs: 1000, retryWindowMs: 500 });
		const first = memory.forRun<string, string>(run(0));
		first.remember('k1', delivered('run_1'));
		clock.now = 500;
		first.close(undefined);
		clock.now = 1400;
		expect(memory.forRun<string, string>(run(1)).recall('k1')).toBeUndefined();
		// The next try, 900 ms after the first ended, finds it; then fails too.
		const second = memory.forRun<string, string>(run(0));
		expect(second.recall('k1')).toEqual(delivered('run_1'));
		second.close(undefined);
		clock.now = 2500;
		memory.forRun<string, string>(run(2));
		expect(memory.size).toBe(0);
	});

	it('never drops a run still in progress, however long its items take', () => {
		const { memory, clock } = memoryAt(0, { maxCalls: 100, idleMs: 1000, retryWindowMs: 500 });
		const slow = memory.forRun<string, string>(run(0));
		slow.remember('a', delivered('x'));
		clock.now = 20 * 60_000;
		const other = memory.forRun<string, string>(run(1));
		other.remember('b', delivered('y'));
		other.remember('c', delivered('y'));
		expect(slow.recall('a')).toEqual(delivered('x'));
		slow.close(undefined);
		expect(memory.forRun<string, string>(run(0)).recall('a')).toEqual(delivered('x'));
	});

	it('holds at most maxCalls, dropping the runs that ended first once their retry window is over', () => {
		const { memory, clock } = memoryAt(0, { maxCalls: 3, idleMs: 60_000, retryWindowMs: 10_000 });
		const old = memory.forRun<string, string>(run(0));
		old.remember('a', delivered('x'));
		old.remember('b', delivered('x'));
		old.close(undefined);
		clock.now = 10_001;
		const current = memory.forRun<string, string>(run(1));
		for (const key of ['c', 'd', 'e', 'f']) current.remember(key, delivered('y'));
		expect(current.recall('c')).toEqual(delivered('y'));
		expect(current.recall('f')).toEqual(delivered('y'));
		expect(memory.size).toBe(4);
		// Its next try is told that the record is gone: it must not send anything again silently.
		const retry = memory.forRun<string, string>(run(0));
		expect(retry.dropped).toBe(true);
		expect(retry.recall('a')).toBeUndefined();
		retry.close(undefined);
		// And so is every try after it (n8n's Max Tries goes up to 5), until the run is long over.
		expect(memory.forRun<string, string>(run(0)).dropped).toBe(true);
		clock.now = 10_001 + 60_001;
		expect(memory.forRun<string, string>(run(0)).dropped).toBe(false);
	});

	it('keeps a run that just failed whatever it holds: over the cap itself, or with a second large run right after', () => {
		const { memory, clock } = memoryAt(0, { maxCalls: 3, idleMs: 60_000, retryWindowMs: 10_000 });
		const big = memory.forRun<string, string>(run(0));
		for (const key of ['a', 'b', 'c', 'd', 'e']) big.remember(key, delivered('x'));
		big.close(undefined);
		clock.now = 2000;
		const next = memory.forRun<string, string>(run(1));
		for (const key of ['f', 'g', 'h', 'i']) next.remember(key, delivered('y'));
		// n8n's next try of the failed run, seconds later, finds all it delivered.
		const retry = memory.forRun<string, string>(run(0));
		expect(retry.dropped).toBe(false);
		expect(['a', 'b', 'c', 'd', 'e'].map((key) => retry.recall(key))).toEqual(Array(5).fill(delivered('x')));
	});

	it('counts a call remembered twice once', () => {
		const { memory } = memoryAt();
		const first = memory.forRun<string, string>(run(0));
		first.remember('k', delivered('a'));
		first.remember('k', delivered('b', 2));
		expect(memory.size).toBe(1);
		expect(first.memory(() => 'k').recall(0)).toEqual(delivered('b', 2));
	});
});
