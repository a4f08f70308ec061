import { AdaptiveLimit } from '../../nodes/Smashsend/delivery/concurrencyLimit';
import { type AttemptResult, type DeliveryOptions } from '../../nodes/Smashsend/delivery/itemDelivery';
import { deliverEach as deliver } from '../support/deliverEach';
import { Pacer } from '../../nodes/Smashsend/delivery/pacer';
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

/** What Concurrency: Auto runs with: the limiter, and a pace that learns from 429s. */
function options(clock: FakeClock, limiter: AdaptiveLimit, ratePerSecond = 0): DeliveryOptions {
	return {
		concurrency: 100,
		limiter,
		pacer: new Pacer(ratePerSecond, { learn: true }),
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
		await clock.run(deliver(tasks, send, options(clock, limiter, 20)));
		expect(server.received).toHaveLength(100);
		// 20 a second: one call every 50 ms, never two closer.
		expect(sentAt.slice(1).every((at, i) => at - sentAt[i] >= 50)).toBe(true);
		// Paced calls never fill the limit: it does not grow past what they use.
		expect(limiter.limit).toBeLessThanOrEqual(4);
	});

	it('a server limited by calls at once, not per second: its first 429s teach no pace, so throughput stays near capacity', async () => {
		const clock = new FakeClock();
		const limiter = new AdaptiveLimit();
		const server = capacityServer(clock, 40, 50);
		const tasks = Array.from({ length: 8000 }, (_, i) => `t${i}`);
		const opts = options(clock, limiter);
		const results = await clock.run(deliver(tasks, (task) => server.send(task), opts));
		expect(results.every((r) => r.status === 'delivered')).toBe(true);
		expect(new Set(server.received).size).toBe(8000);
		// Capacity ÷ latency is 800 a second.
		expect(8000 / (clock.now() / 1000)).toBeGreaterThanOrEqual(640);
		expect(opts.pacer?.learnedRate ?? Number.POSITIVE_INFINITY).toBeGreaterThanOrEqual(640);
	});

	it('a quick refusal now and then (a 400 in 2 ms) does not pass for the server’s round trip', async () => {
		const clock = new FakeClock();
		const limiter = new AdaptiveLimit();
		let calls = 0;
		const send = async (task: string): Promise<AttemptResult<string, string>> => {
			calls += 1;
			if (calls % 500 === 1) {
				await clock.wait(2);
				return { ok: false, outcome: { kind: 'answer', statusCode: 400 }, failure: 'HTTP 400', label: 'HTTP 400' };
			}
			await clock.wait(50);
			return { ok: true, value: task };
		};
		const tasks = Array.from({ length: 5000 }, (_, i) => `t${i}`);
		await clock.run(deliver(tasks, send, options(clock, limiter)));
		// An unlimited server: the limit goes to the ceiling, and 5,000 calls of 50 ms take a few seconds.
		expect(limiter.limit).toBeGreaterThanOrEqual(90);
		expect(clock.now()).toBeLessThan(10_000);
	});

	it('a round trip that grows with the calls in flight while more still get delivered (n8n’s own work per call): the limit keeps growing', async () => {
		// Fitted to n8n on this machine against a 20 ms server: a call takes 23 ms plus, on average,
		// 1 ms per call in flight (n8n's own work per call), spread evenly around that. Fixed
		// concurrency in this model: 5 → 179/s, 15 → 396/s, 100 → 813/s (n8n: 175, 398, 807).
		// Vegas alone reads the growing round trip as a queue and stopped at 14 (377/s).
		const clock = new FakeClock();
		const limiter = new AdaptiveLimit();
		let inFlight = 0;
		let seed = 1;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
		const send = async (task: string): Promise<AttemptResult<string, string>> => {
			inFlight += 1;
			await clock.wait(23 + 2 * inFlight * random());
			inFlight -= 1;
			return { ok: true, value: task };
		};
		const tasks = Array.from({ length: 10_000 }, (_, i) => `t${i}`);
		const results = await clock.run(deliver(tasks, send, options(clock, limiter)));
		expect(results.every((r) => r.status === 'delivered')).toBe(true);
		// The HTTP Request node, all at once, made 498/s in n8n; fixed 30 makes 568/s in this model.
		expect(10_000 / (clock.now() / 1000)).toBeGreaterThanOrEqual(568);
	});

	it('a server whose capacity halves, with n8n’s own work per call: every item once, and no pace slower than the server takes', async () => {
		// 40 calls at once for 50 ms (800/s), 20 after 5,000 calls (400/s); a line beyond, 429 with
		// Retry-After 1 beyond twice that. n8n's own work adds 1.5 ms plus, on average, half a ms
		// per call in flight on each side of the call, so more calls in flight keep paying off
		// past the first capacity, and the halving meets a high limit with a burst of 429s.
		const clock = new FakeClock();
		const limiter = new AdaptiveLimit();
		const opts = options(clock, limiter);
		let inFlight = 0;
		let seed = 1;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
		let capacity = 40;
		let working = 0;
		const line: Array<() => void> = [];
		const received: string[] = [];
		const send = async (task: string): Promise<AttemptResult<string, string>> => {
			inFlight += 1;
			try {
				await clock.wait(1.5 + inFlight * random());
				if (working + line.length >= 2 * capacity) {
					await clock.wait(1);
					return { ok: false, outcome: { kind: 'answer', statusCode: 429, retryAfter: '1' }, failure: 'HTTP 429', label: 'HTTP 429' };
				}
				received.push(task);
				if (working >= capacity) await new Promise<void>((resolve) => line.push(resolve));
				else working += 1;
				await clock.wait(50);
				if (received.length >= 5000) capacity = 20;
				const next = working <= capacity ? line.shift() : undefined;
				if (next) next();
				else working -= 1;
				await clock.wait(1.5 + inFlight * random());
				return { ok: true, value: task };
			} finally {
				inFlight -= 1;
			}
		};
		const tasks = Array.from({ length: 10_000 }, (_, i) => `t${i}`);
		const results = await clock.run(deliver(tasks, send, opts));
		expect(results.every((r) => r.status === 'delivered')).toBe(true);
		expect(received).toHaveLength(10_000);
		expect(new Set(received).size).toBe(10_000);
		// A 429 that the calls in flight explain (the burst at the halving, the first wave after its
		// pause, a trial of more calls) teaches no pace below what the server now takes.
		expect(opts.pacer?.learnedRate ?? Number.POSITIVE_INFINITY).toBeGreaterThanOrEqual(380);
		// 5,000 calls at up to 800/s and 5,000 at up to 400/s take 18.75 s at best.
		expect(clock.now()).toBeLessThan(30_000);
	});

	it('grows to what a pace needs though the first answers were quick: a round trip that grows with n8n’s own work is no queue to stop at', async () => {
		const clock = new FakeClock();
		const pacer = new Pacer(190, { learn: true });
		const limiter = new AdaptiveLimit();
		let calls = 0;
		const answered: number[] = [];
		// The first calls, with n8n idle, come back in 2 ms; then every call takes 40 ms of n8n's time:
		// 190 a second need 7.6 in flight.
		const send = async (task: string): Promise<AttemptResult<string, string>> => {
			calls += 1;
			await clock.wait(calls <= 10 ? 2 : 40);
			answered.push(clock.now());
			return { ok: true, value: task };
		};
		const tasks = Array.from({ length: 3000 }, (_, i) => `t${i}`);
		await clock.run(deliver(tasks, send, { ...options(clock, limiter), pacer }));
		// From the 1,000th answer on, the pace and not the limit decides.
		expect(2000 / ((answered[2999] - answered[999]) / 1000)).toBeGreaterThanOrEqual(189);
		expect(3000 / (clock.now() / 1000)).toBeGreaterThanOrEqual(180);
	});
});
