import type { INodeExecutionData } from 'n8n-workflow';

import { DeliveryLedger, mayBeRetried } from '../../nodes/Smashsend/delivery/ledger';

const run = (n: number) => ({ execution: 'e', node: 'n', run: n });
const ok: INodeExecutionData[] = [{ json: { flowRunId: 'run_1' } }];
const firstItemFailed: INodeExecutionData[] = [{ json: { error: 'Bad Request' } }, { json: { flowRunId: 'run_2' } }];

function ledgerAt(start = 0, limits = { maxCalls: 100, idleMs: 60_000 }) {
	const clock = { now: start };
	return { clock, ledger: new DeliveryLedger(limits, () => clock.now) };
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

describe('the delivery ledger', () => {
	it('answers the next try of a failed run with what was delivered', () => {
		const { ledger } = ledgerAt();
		const first = ledger.forRun<string>(run(0));
		first.remember('k1', 'run_1', 2);
		first.close(undefined);
		expect(ledger.forRun<string>(run(0)).recall('k1')).toEqual({ value: 'run_1', attempts: 2 });
	});

	it('forgets a run that ended cleanly: n8n does not run it again', () => {
		const { ledger } = ledgerAt();
		const first = ledger.forRun<string>(run(0));
		first.remember('k1', 'run_1', 1);
		first.close(ok);
		expect(ledger.forRun<string>(run(0)).recall('k1')).toBeUndefined();
		expect(ledger.size).toBe(0);
	});

	it('keeps a run whose first output item is an error (continue on fail), for Retry On Fail', () => {
		const { ledger } = ledgerAt();
		const first = ledger.forRun<string>(run(0));
		first.remember('k2', 'run_2', 1);
		first.close(firstItemFailed);
		expect(ledger.forRun<string>(run(0)).recall('k2')?.value).toBe('run_2');
	});

	it('never answers another run of the node from an earlier one', () => {
		const { ledger } = ledgerAt();
		const first = ledger.forRun<string>(run(0));
		first.remember('same-key', 'run_1', 1);
		first.close(undefined);
		expect(ledger.forRun<string>(run(1)).recall('same-key')).toBeUndefined();
	});

	it('forgets failed runs that no try has touched for a while', () => {
		const { ledger, clock } = ledgerAt(0, { maxCalls: 100, idleMs: 1000 });
		const first = ledger.forRun<string>(run(0));
		first.remember('k1', 'run_1', 1);
		first.close(undefined);
		clock.now = 1001;
		expect(ledger.forRun<string>(run(1)).recall('k1')).toBeUndefined();
		expect(ledger.forRun<string>(run(0)).recall('k1')).toBeUndefined();
	});

	it('holds at most maxCalls, dropping the runs used least recently but never the one in progress', () => {
		const { ledger } = ledgerAt(0, { maxCalls: 3, idleMs: 60_000 });
		const old = ledger.forRun<string>(run(0));
		old.remember('a', 'x', 1);
		old.remember('b', 'x', 1);
		old.close(undefined);
		const current = ledger.forRun<string>(run(1));
		for (const key of ['c', 'd', 'e', 'f']) current.remember(key, 'y', 1);
		expect(ledger.forRun<string>(run(0)).recall('a')).toBeUndefined();
		expect(current.recall('c')?.value).toBe('y');
		expect(current.recall('f')?.value).toBe('y');
		expect(ledger.size).toBe(4);
	});

	it('counts a call remembered twice once', () => {
		const { ledger } = ledgerAt();
		const first = ledger.forRun<string>(run(0));
		first.remember('k', 'a', 1);
		first.remember('k', 'b', 2);
		expect(ledger.size).toBe(1);
		expect(first.memory(() => 'k').recall(0)).toEqual({ value: 'b', attempts: 2 });
	});
});
