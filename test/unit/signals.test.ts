import { deliverEach as deliver } from '../support/deliverEach';
import { SignalFanOut } from '../../nodes/Smashsend/delivery/signals';
import { FakeClock } from '../support/fakeClock';

describe('SignalFanOut', () => {
	it('aborts every child when a parent aborts', () => {
		const parent = new AbortController();
		const fan = new SignalFanOut([parent.signal]);
		const a = fan.child();
		const b = fan.child();
		b.release();
		parent.abort();
		expect(a.signal.aborted).toBe(true);
		expect(b.signal.aborted).toBe(false);
		expect(fan.child().signal.aborted).toBe(true);
	});
});

describe("deliver and n8n's cancel signal", () => {
	it('adds one listener to it however many items wait and call at once', async () => {
		const cancel = new AbortController();
		const added = jest.spyOn(cancel.signal, 'addEventListener');
		const clock = new FakeClock();
		let first = true;
		const results = await clock.run(
			deliver(
				Array.from({ length: 200 }, (_, i) => i),
				async (task, _attempt, _index, signal) => {
					expect(signal.aborted).toBe(false);
					if (first && task === 0) {
						first = false;
						return { ok: false, outcome: { kind: 'answer', statusCode: 429, retryAfter: '5' }, failure: 'limited', label: 'HTTP 429' };
					}
					return { ok: true, value: task };
				},
				{
					concurrency: 100,
					maxRetries: 3,
					maxWaitMs: 60_000,
					baseDelayMs: 1000,
					ambiguous: 'retry',
					stopOnFailure: false,
					signal: cancel.signal,
					clock,
				},
			),
		);
		expect(results.every((r) => r.status === 'delivered')).toBe(true);
		expect(clock.waits.length).toBeGreaterThan(10);
		expect(added.mock.calls.length).toBeLessThanOrEqual(2);
	});
});

describe("listeners left on n8n's cancel signal", () => {
	it('none once a delivery is over, however many deliveries an execution makes (pages of a listing)', async () => {
		const cancel = new AbortController();
		const added = jest.spyOn(cancel.signal, 'addEventListener');
		const removed = jest.spyOn(cancel.signal, 'removeEventListener');
		for (let page = 0; page < 100; page++) {
			await deliver([page], async (task) => ({ ok: true, value: task }), {
				concurrency: 1,
				maxRetries: 0,
				maxWaitMs: 0,
				baseDelayMs: 0,
				ambiguous: 'retry',
				stopOnFailure: true,
				signal: cancel.signal,
			});
		}
		expect(added.mock.calls.length).toBeGreaterThan(0);
		expect(added.mock.calls.length - removed.mock.calls.length).toBe(0);
	});
});

describe('a call cut off by the cancel while in flight', () => {
	it('is reported as unconfirmed (abandoned), not as failed: it may have done its work', async () => {
		const cancel = new AbortController();
		const results = await deliver(
			['a', 'b'],
			async (task, _attempt, _index, signal) => {
				if (task === 'a') return { ok: true, value: task };
				cancel.abort();
				expect(signal.aborted).toBe(true);
				return { ok: false, outcome: { kind: 'network', code: 'ERR_CANCELED' }, failure: 'cancelled', label: 'cancelled' };
			},
			{ concurrency: 1, maxRetries: 3, maxWaitMs: 0, baseDelayMs: 0, ambiguous: 'retry', stopOnFailure: false, signal: cancel.signal },
		);
		expect(results.map((r) => r.status)).toEqual(['delivered', 'abandoned']);
	});
});
