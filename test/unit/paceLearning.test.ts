import { AdaptiveLimit } from '../../nodes/Smashsend/delivery/concurrencyLimit';
import { type AttemptResult, type DeliveryOptions } from '../../nodes/Smashsend/delivery/itemDelivery';
import { deliverEach as deliver } from '../support/deliverEach';
import { Pacer, PACE_LEARNING } from '../../nodes/Smashsend/delivery/pacer';
import { FakeClock } from '../support/fakeClock';

/**
 * A server with a fixed window of `limit` calls a second (windows start `offsetMs` into the
 * clock's seconds): beyond it 429 with Retry-After in whole seconds to the next window, as
 * the emulator and most rate limiters answer. Each call takes `latencyMs`.
 */
function rateLimitedServer(clock: FakeClock, limit: number, latencyMs: number, offsetMs = 300) {
	let window = -1;
	let used = 0;
	const accepted: string[] = [];
	let refused = 0;
	const send = async (task: string): Promise<AttemptResult<string, string>> => {
		const now = clock.now();
		const current = Math.floor((now + offsetMs) / 1000);
		if (current !== window) {
			window = current;
			used = 0;
		}
		if (used >= limit) {
			refused += 1;
			const retryAfter = String(Math.max(1, Math.ceil((1000 - ((now + offsetMs) % 1000)) / 1000)));
			await clock.wait(latencyMs);
			return { ok: false, outcome: { kind: 'answer', statusCode: 429, retryAfter }, failure: 'HTTP 429', label: 'HTTP 429' };
		}
		used += 1;
		accepted.push(task);
		await clock.wait(latencyMs);
		return { ok: true, value: `done ${task}` };
	};
	return { send, accepted, refused: () => refused };
}

function options(clock: FakeClock, auto: boolean): DeliveryOptions {
	return {
		concurrency: 100,
		...(auto ? { limiter: new AdaptiveLimit(), pacer: new Pacer(0, { learn: true }) } : {}),
		maxRetries: 10,
		maxWaitMs: 60_000,
		baseDelayMs: 1000,
		ambiguous: 'retry',
		stopOnFailure: false,
		clock,
	};
}

async function run(auto: boolean, items: number, limit: number) {
	const clock = new FakeClock();
	const server = rateLimitedServer(clock, limit, 5);
	const tasks = Array.from({ length: items }, (_, i) => `t${i}`);
	const results = await clock.run(deliver(tasks, (task) => server.send(task), options(clock, auto)));
	expect(results.every((r) => r.status === 'delivered')).toBe(true);
	expect(server.accepted).toHaveLength(items);
	expect(new Set(server.accepted).size).toBe(items);
	return { perSecond: items / (clock.now() / 1000), refused: server.refused() };
}

describe('the pace learned from 429s (Concurrency: Auto)', () => {
	it('delivers at 95% or more of a 200 calls/s limit, every item once, with a handful of 429s', async () => {
		const auto = await run(true, 10_000, 200);
		const fixed = await run(false, 10_000, 200);
		// Virtual time: deterministic, not a timed test.
		expect(auto.perSecond).toBeGreaterThanOrEqual(190);
		expect(auto.refused).toBeLessThan(200);
		// Without learning, every window ends in a burst of 429s (as many as there are calls in flight).
		expect(fixed.refused).toBeGreaterThan(auto.refused * 5);
	});

	it('learns from what the server accepted in the second before the 429, and never speeds up at one', () => {
		const pacer = new Pacer(0, { learn: true });
		for (let t = 0; t < 1000; t += 10) pacer.accept(1000 + t);
		pacer.refused(2000);
		expect(pacer.learnedRate).toBeCloseTo(99 * PACE_LEARNING.share, 5);
		// A second 429 within the same window teaches nothing new.
		pacer.refused(2100);
		expect(pacer.learnedRate).toBeCloseTo(99 * PACE_LEARNING.share, 5);
		// A 429 after a burst faster than the learned pace does not speed it up.
		for (let t = 0; t < 500; t++) pacer.accept(3000 + t);
		pacer.refused(3600);
		expect(pacer.learnedRate).toBeCloseTo(99 * PACE_LEARNING.share, 5);
	});

	it('without Concurrency: Auto nothing is learned', () => {
		const pacer = new Pacer(0);
		for (let t = 0; t < 1000; t += 10) pacer.accept(t);
		pacer.refused(1000);
		expect(pacer.learnedRate).toBeUndefined();
	});

	it('after a minute without a 429 the learned pace is tried 5% faster, not before', async () => {
		const clock = new FakeClock();
		const pacer = new Pacer(0, { learn: true });
		for (let t = 0; t < 1000; t += 10) pacer.accept(t);
		pacer.refused(1000);
		const learned = pacer.learnedRate ?? 0;
		const acquire = () =>
			pacer.acquire(
				() => clock.now(),
				async () => true,
				() => false,
			);
		await clock.run(clock.wait(59_000));
		await acquire();
		expect(pacer.learnedRate).toBeCloseTo(learned, 5);
		await clock.run(clock.wait(2_000));
		await acquire();
		expect(pacer.learnedRate).toBeCloseTo(learned * PACE_LEARNING.probeStep, 5);
	});

	it('learns nothing from a 429 in the first wave of calls after a Retry-After pause, and learns from one after that', () => {
		const pacer = new Pacer(0, { learn: true });
		// 200 accepted in the second before a 429 at 1000 ms, which pauses every call until 2000 ms.
		for (let t = 0; t < 1000; t += 5) pacer.accept(t);
		pacer.refused(1000, { wave: 50, learn: false });
		pacer.pause(2000, 1000);
		// After the pause, 30 accepted, then a 429: fewer than the 50 sent together, so the wave's.
		for (let t = 2001; t <= 2030; t++) pacer.accept(t);
		pacer.refused(2031, { wave: 50 });
		expect(pacer.learnedRate).toBeUndefined();
		// 200 accepted since the pause ended: a per-second limit, learned from them.
		for (let t = 2031; t < 2201; t++) pacer.accept(t);
		pacer.refused(2201, { wave: 50 });
		expect(pacer.learnedRate).toBeCloseTo(200 * PACE_LEARNING.share, 5);
	});

	it('shared by executions, the first wave after a pause is all of theirs, not one execution’s', () => {
		// Three executions at a limit of 50 each share the pace: 150 calls go out when the pause ends.
		const holders = [{ limit: 50 }, { limit: 50 }, { limit: 50 }];
		const pacer = new Pacer(0, { learn: true, wave: () => holders.reduce((sum, h) => sum + h.limit, 0) });
		for (let t = 0; t < 1000; t += 5) pacer.accept(t);
		pacer.pause(2000, 1000);
		// 100 accepted after the pause, then a 429: more than one execution's 50, fewer than the 150 sent together.
		for (let t = 2001; t <= 2100; t++) pacer.accept(t);
		pacer.refused(2101, { wave: 50 });
		expect(pacer.learnedRate).toBeUndefined();
		for (let t = 2101; t < 2201; t++) pacer.accept(t);
		pacer.refused(2201, { wave: 50 });
		expect(pacer.learnedRate).toBeCloseTo(200 * PACE_LEARNING.share, 5);
	});

	it('a call that will not go gives its slot back, so calls sharing the pace do not wait for it', async () => {
		const pacer = new Pacer(10);
		let now = 0;
		const wait = async (ms: number) => {
			now += ms;
			return true;
		};
		expect(
			await pacer.acquire(
				() => now,
				wait,
				() => false,
			),
		).toBe(true);
		// The next call's slot is at 100 ms; its execution stops while it waits.
		expect(
			await pacer.acquire(
				() => now,
				async () => false,
				() => false,
			),
		).toBe(false);
		// Another execution's call gets that slot, not the one after it.
		const before = now;
		expect(
			await pacer.acquire(
				() => now,
				wait,
				() => false,
			),
		).toBe(true);
		expect(now - before).toBe(100);
	});

	it('never lets two calls closer than the Rate Limit: a call that comes after a gap starts the slots from now', async () => {
		// 1 call a second: calls at 0 and 1999 ms, then two more at once.
		const pacer = new Pacer(1);
		let now = 0;
		const wait = async (ms: number) => {
			now += ms;
			return true;
		};
		const starts: number[] = [];
		const go = async () => {
			await pacer.acquire(
				() => now,
				wait,
				() => false,
			);
			starts.push(now);
		};
		await go();
		now = 1999;
		await go();
		await go();
		await go();
		expect(starts).toEqual([0, 1999, 2999, 3999]);
	});

	it('learns nothing from a 429 the calls in flight explain', () => {
		const pacer = new Pacer(0, { learn: true });
		for (let t = 0; t < 1000; t += 10) pacer.accept(t);
		pacer.refused(1000, { learn: false });
		expect(pacer.learnedRate).toBeUndefined();
	});
});
