import type { AttemptResult, DeliveryOptions } from '../../nodes/Smashsend/delivery/itemDelivery';
import { deliverEach as deliver } from '../support/deliverEach';
import { systemClock } from '../../nodes/Smashsend/delivery/clock';
import { Pacer } from '../../nodes/Smashsend/delivery/pacer';
import type { AttemptOutcome } from '../../nodes/Smashsend/delivery/retryPolicy';
import { testDeliveryOptions } from '../support/deliveryOptions';
import { FakeClock } from '../support/fakeClock';

type Reply = 'ok' | AttemptOutcome;
const answer = (statusCode: number, retryAfter?: string): AttemptOutcome => ({ kind: 'answer', statusCode, retryAfter });
const network = (code: string): AttemptOutcome => ({ kind: 'network', code });

/** A fake SMASHSEND: per task, a script of replies; records when each attempt started. */
function scripted(scripts: Record<string, Reply[]>, clock: FakeClock) {
	const attempts: Array<{ task: string; at: number }> = [];
	const send = async (task: string): Promise<AttemptResult<string, string>> => {
		attempts.push({ task, at: clock.now() });
		const reply = scripts[task]?.shift() ?? 'ok';
		if (reply === 'ok') return { ok: true, value: `run_${task}` };
		const label = reply.kind === 'answer' ? `HTTP ${reply.statusCode}` : reply.kind === 'network' ? String(reply.code) : 'local';
		return { ok: false, outcome: reply, failure: `${task}: ${label}`, label };
	};
	return { send, attempts };
}

function setup(overrides: Partial<DeliveryOptions> = {}) {
	const clock = new FakeClock(0.5);
	const options: DeliveryOptions = { ...testDeliveryOptions(clock), ...overrides };
	return { clock, options };
}

describe('deliver', () => {
	it('returns results in task order whatever order they finish in', async () => {
		const { clock, options } = setup({ concurrency: 4 });
		const tasks = Array.from({ length: 12 }, (_, i) => `t${i}`);
		const scripts = Object.fromEntries(tasks.map((t, i) => [t, Array.from({ length: i % 3 }, () => answer(503))]));
		const { send } = scripted(scripts, clock);
		const results = await clock.run(deliver(tasks, send, options));
		expect(results.map((r) => r.status === 'delivered' && r.value)).toEqual(tasks.map((t) => `run_${t}`));
		expect(results.map((r) => r.status === 'delivered' && r.attempts)).toEqual(tasks.map((_, i) => 1 + (i % 3)));
	});

	it('retries only the item that failed, never one that succeeded', async () => {
		const { clock, options } = setup({ concurrency: 3 });
		const { send, attempts } = scripted({ b: [answer(503), network('ECONNRESET')] }, clock);
		await clock.run(deliver(['a', 'b', 'c'], send, options));
		expect(attempts.map((a) => a.task).sort()).toEqual(['a', 'b', 'b', 'b', 'c']);
	});

	it('does not retry a 400: one attempt, failed', async () => {
		const { clock, options } = setup();
		const { send, attempts } = scripted({ a: [answer(400)] }, clock);
		const [result] = await clock.run(deliver(['a'], send, options));
		expect(attempts).toHaveLength(1);
		expect(result).toMatchObject({ status: 'failed', attempts: 1, cause: 'final', retriesExhausted: false });
	});

	it('honours Retry-After in seconds: the retry never comes early', async () => {
		const { clock, options } = setup();
		const { send, attempts } = scripted({ a: [answer(429, '7')] }, clock);
		await clock.run(deliver(['a'], send, options));
		expect(attempts[1].at - attempts[0].at).toBe(7000);
	});

	it('honours Retry-After as an HTTP-date', async () => {
		const { clock, options } = setup();
		const target = new Date(30_000).toUTCString();
		const { send, attempts } = scripted({ a: [answer(503, target)] }, clock);
		await clock.run(deliver(['a'], send, options));
		expect(attempts[1].at).toBe(30_000);
	});

	it('reads an HTTP-date Retry-After on the wall clock, and waits on the monotonic one', async () => {
		const { clock, options } = setup();
		// The system clock is 10 s ahead of the monotonic one: "retry at 30 s" is 20 s from now.
		clock.stepWallClock(10_000);
		const { send, attempts } = scripted({ a: [answer(503, new Date(30_000).toUTCString())] }, clock);
		await clock.run(deliver(['a'], send, options));
		expect(attempts[1].at).toBe(20_000);
	});

	it('keeps the pace on the monotonic clock: a system clock stepped back 3 s does not make the next call wait 3 s longer', async () => {
		const waits: number[] = [];
		const clock = {
			...systemClock,
			wait: async (ms: number, signal?: AbortSignal) => (waits.push(ms), await systemClock.wait(ms, signal)),
		};
		const realNow = Date.now.bind(Date);
		let step = 0;
		const spy = jest.spyOn(Date, 'now').mockImplementation(() => realNow() - step);
		try {
			const send = async (task: string): Promise<AttemptResult<string, string>> => {
				step = 3000;
				return { ok: true, value: task };
			};
			await deliver(['a', 'b'], send, { ...testDeliveryOptions(new FakeClock()), clock, ratePerSecond: 10 });
		} finally {
			spy.mockRestore();
		}
		// 100 ms between calls at 10 a second, not 3.1 s.
		expect(waits.length).toBeGreaterThan(0);
		expect(Math.max(...waits)).toBeLessThanOrEqual(100);
	});

	it('caps Retry-After by the maximum wait', async () => {
		const { clock, options } = setup({ maxWaitMs: 5000 });
		const { send, attempts } = scripted({ a: [answer(429, '3600')] }, clock);
		await clock.run(deliver(['a'], send, options));
		expect(attempts[1].at - attempts[0].at).toBe(5000);
	});

	it('backs off exponentially with jitter when there is no Retry-After', async () => {
		const { clock, options } = setup();
		const { send, attempts } = scripted({ a: [answer(503), answer(503), answer(503)] }, clock);
		await clock.run(deliver(['a'], send, options));
		const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i].at);
		expect(gaps).toEqual([750, 1500, 3000]);
	});

	it('makes every concurrent item respect a 429 window, not only the one that got it', async () => {
		const { clock, options } = setup({ concurrency: 3 });
		const { send, attempts } = scripted({ a: [answer(429, '10')] }, clock);
		await clock.run(deliver(['a', 'b', 'c', 'd', 'e'], send, options));
		const afterPause = attempts.filter((a) => a.task === 'd' || a.task === 'e' || (a.task === 'a' && a.at > 0));
		expect(afterPause.length).toBe(3);
		for (const a of afterPause) expect(a.at).toBeGreaterThanOrEqual(10_000);
	});

	it('gives up after maxRetries retries and says so', async () => {
		const { clock, options } = setup({ maxRetries: 2 });
		const { send, attempts } = scripted({ a: [answer(503), answer(503), answer(503), answer(503)] }, clock);
		const [result] = await clock.run(deliver(['a'], send, options));
		expect(attempts).toHaveLength(3);
		expect(result).toMatchObject({ status: 'failed', attempts: 3, history: ['HTTP 503', 'HTTP 503', 'HTTP 503'], retriesExhausted: true });
	});

	it('at most once: never sends again after a timeout or a 5xx', async () => {
		const { clock, options } = setup({ ambiguous: 'fail' });
		const { send, attempts } = scripted({ a: [network('ECONNABORTED')], b: [answer(502)] }, clock);
		const results = await clock.run(deliver(['a', 'b'], send, options));
		expect(attempts.map((a) => a.task)).toEqual(['a', 'b']);
		expect(results).toMatchObject([
			{ status: 'failed', cause: 'maybe-arrived' },
			{ status: 'failed', cause: 'maybe-arrived' },
		]);
	});

	it('at most once still retries what proves it never arrived', async () => {
		const { clock, options } = setup({ ambiguous: 'fail' });
		const { send, attempts } = scripted({ a: [network('ECONNREFUSED'), network('ENOTFOUND'), answer(429, '1')] }, clock);
		const [result] = await clock.run(deliver(['a'], send, options));
		expect(attempts).toHaveLength(4);
		expect(result.status).toBe('delivered');
	});

	it('keeps to the rate limit, retries included', async () => {
		const { clock, options } = setup({ concurrency: 5, ratePerSecond: 4 });
		const { send, attempts } = scripted({ c: [answer(503)] }, clock);
		await clock.run(deliver(['a', 'b', 'c', 'd', 'e', 'f'], send, options));
		const starts = attempts.map((a) => a.at).sort((x, y) => x - y);
		starts.slice(1).forEach((at, i) => expect(at - starts[i]).toBeGreaterThanOrEqual(250));
	});

	it('stops starting new items after a failure when asked to, and says which were not sent', async () => {
		const { clock, options } = setup({ concurrency: 1, stopOnFailure: true });
		const { send, attempts } = scripted({ b: [answer(400)] }, clock);
		const results = await clock.run(deliver(['a', 'b', 'c', 'd'], send, options));
		expect(attempts.map((a) => a.task)).toEqual(['a', 'b']);
		expect(results.map((r) => r.status)).toEqual(['delivered', 'failed', 'not-sent', 'not-sent']);
	});

	it('skips tasks given as undefined', async () => {
		const { clock, options } = setup();
		const { send, attempts } = scripted({}, clock);
		const results = await clock.run(deliver(['a', undefined, 'c'], send, options));
		expect(results.map((r) => r.status)).toEqual(['delivered', 'skipped', 'delivered']);
		expect(attempts).toHaveLength(2);
	});

	it('stops waiting and sending when the execution is cancelled', async () => {
		const controller = new AbortController();
		const { clock, options } = setup({ concurrency: 2, signal: controller.signal });
		const { send, attempts } = scripted({ a: [answer(429, '30')] }, clock);
		const running = deliver(['a', 'b', 'c', 'd'], send, options);
		await clock.settle();
		controller.abort();
		const results = await clock.run(running);
		expect(attempts.map((a) => a.task)).toEqual(['a', 'b']);
		expect(results.map((r) => r.status)).toEqual(['abandoned', 'delivered', 'cancelled', 'cancelled']);
	});

	it("holds calls already waiting for a rate-limit slot to a 429's Retry-After, as every other call", async () => {
		// 60 a minute, four calls in flight: b, c and d wait for slots at 1, 2 and 3 s when a meets a 429 asking for 4 s.
		const { clock, options } = setup({ concurrency: 4, ratePerSecond: 1 });
		const { send, attempts } = scripted({ a: [answer(429, '4')] }, clock);
		const results = await clock.run(deliver(['a', 'b', 'c', 'd'], send, options));
		expect(results.every((r) => r.status === 'delivered')).toBe(true);
		expect(attempts.slice(1).map((a) => a.at)).toEqual([4000, 5000, 6000, 7000]);
		// No call met a second 429: the pause held them all.
		expect(attempts).toHaveLength(5);
	});

	it('a cancelled execution gives back every slot of a shared pace it held, not only its last', async () => {
		const clock = new FakeClock(0.5);
		const pacer = new Pacer(1);
		const cancelA = new AbortController();
		const a = scripted({}, clock);
		const b = scripted({}, clock);
		// A: five calls at 1/s, four of them waiting for slots at 1–4 s; B's one call waits behind them.
		const runA = deliver(['a1', 'a2', 'a3', 'a4', 'a5'], a.send, {
			...testDeliveryOptions(clock),
			concurrency: 5,
			pacer,
			signal: cancelA.signal,
		});
		await clock.settle();
		const runB = deliver(['b1'], b.send, { ...testDeliveryOptions(clock), pacer });
		void clock.wait(500).then(() => cancelA.abort());
		const [resultsA, resultsB] = await clock.run(Promise.all([runA, runB]));
		expect(resultsA.map((r) => r.status)).toEqual(['delivered', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);
		expect(resultsB[0].status).toBe('delivered');
		// B goes at the first slot after A's call at 0, not after A's four cancelled ones.
		expect(b.attempts.map((x) => x.at)).toEqual([1000]);
	});
});
