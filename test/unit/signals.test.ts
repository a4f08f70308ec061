import { deliver } from '../../nodes/Smashsend/delivery/deliver';
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
				{ concurrency: 100, maxRetries: 3, maxWaitMs: 60_000, baseDelayMs: 1000, ambiguous: 'retry', stopOnFailure: false, signal: cancel.signal, clock },
			),
		);
		expect(results.every((r) => r.status === 'delivered')).toBe(true);
		expect(clock.waits.length).toBeGreaterThan(10);
		expect(added.mock.calls.length).toBeLessThanOrEqual(2);
	});
});
