import { AdaptiveLimit } from '../../nodes/Smashsend/delivery/concurrencyLimit';
import { deliver, type AttemptResult, type DeliveryOptions } from '../../nodes/Smashsend/delivery/deliver';
import { FakeClock } from '../support/fakeClock';

/** Concurrency: Auto through the delivery: a server of `capacity` calls at once (a line beyond, 429 beyond twice that). */
function capacityServer(clock: FakeClock, capacity: number, latencyMs: number) {
	let working = 0;
	const line: Array<() => void> = [];
	const received: string[] = [];
	let peak = 0;
	const send = async (task: string): Promise<AttemptResult<string, string>> => {
		if (working + line.length >= 2 * capacity) {
			await clock.wait(1);
			return { ok: false, outcome: { kind: 'answer', statusCode: 429, retryAfter: '1' }, failure: 'HTTP 429', label: 'HTTP 429' };
		}
		received.push(task);
		if (working >= capacity) await new Promise<void>((resolve) => line.push(resolve));
		else working += 1;
		peak = Math.max(peak, working + line.length);
		await clock.wait(latencyMs);
		const next = line.shift();
		if (next) next();
		else working -= 1;
		return { ok: true, value: `done ${task}` };
	};
	return { send, received, peak: () => peak };
}

function options(clock: FakeClock, limiter: AdaptiveLimit): DeliveryOptions {
	return {
		concurrency: 100,
		limiter,
		maxRetries: 5,
		maxWaitMs: 60_000,
		baseDelayMs: 1000,
		ambiguous: 'retry',
		stopOnFailure: false,
		clock,
	};
}

describe('Concurrency: Auto in the delivery', () => {
	it('delivers every item exactly once and keeps the calls in flight near the server’s capacity', async () => {
		const clock = new FakeClock();
		const limiter = new AdaptiveLimit();
		const server = capacityServer(clock, 20, 50);
		const tasks = Array.from({ length: 3000 }, (_, i) => `t${i}`);
		const results = await clock.run(deliver(tasks, (task) => server.send(task), options(clock, limiter)));
		expect(results.every((r) => r.status === 'delivered')).toBe(true);
		expect(new Set(server.received).size).toBe(3000);
		expect(server.received).toHaveLength(3000);
		expect(limiter.limit).toBeGreaterThanOrEqual(20);
		expect(limiter.limit).toBeLessThanOrEqual(30);
	});

	it('against a server that answers only 429: one call at a time, each after Retry-After', async () => {
		const clock = new FakeClock();
		const limiter = new AdaptiveLimit();
		const sent: number[] = [];
		const send = async (): Promise<AttemptResult<string, string>> => {
			sent.push(clock.now());
			await clock.wait(5);
			return { ok: false, outcome: { kind: 'answer', statusCode: 429, retryAfter: '2' }, failure: 'HTTP 429', label: 'HTTP 429' };
		};
		await clock.run(deliver(['a', 'b', 'c'], send, { ...options(clock, limiter), maxRetries: 3 }));
		expect(limiter.limit).toBe(1);
		// Every call waits out the 2 s the last 429 asked for (calls at the same instant went together)…
		// (The last attempt of each item gives up and sets no pause: its successor is not held back.)
		const instants = [...new Set(sent.slice(0, -2))];
		expect(instants.slice(1).every((at, i) => at - instants[i] >= 2000)).toBe(true);
		// …and once the limit has come down, one at a time.
		expect(new Set(sent.slice(5, -2)).size).toBe(sent.length - 7);
	});

	it('keeps to the Rate Limit whatever the limiter would allow', async () => {
		const clock = new FakeClock();
		const limiter = new AdaptiveLimit();
		const server = capacityServer(clock, 1000, 10);
		const sentAt: number[] = [];
		const tasks = Array.from({ length: 100 }, (_, i) => `t${i}`);
		const send = (task: string) => {
			sentAt.push(clock.now());
			return server.send(task);
		};
		await clock.run(deliver(tasks, send, { ...options(clock, limiter), ratePerSecond: 20 }));
		expect(server.received).toHaveLength(100);
		// 20 a second: one call every 50 ms, never two closer.
		expect(sentAt.slice(1).every((at, i) => at - sentAt[i] >= 50)).toBe(true);
		// Paced calls never fill the limit: it does not grow past what they use.
		expect(limiter.limit).toBeLessThanOrEqual(4);
	});
});
