import { AdaptiveLimit } from '../../nodes/Smashsend/delivery/concurrencyLimit';
import { FakeClock } from '../support/fakeClock';

/**
 * A server that works on `capacity` calls at once, each for `latencyMs`; further calls wait
 * in line (first come, first served); beyond twice its capacity it answers 429 at once.
 */
class Server {
	private working = 0;
	private line: Array<() => void> = [];
	constructor(
		private readonly clock: FakeClock,
		public capacity: number,
		private readonly latencyMs: number,
	) {}

	async call(): Promise<'ok' | '429'> {
		if (this.working + this.line.length >= 2 * this.capacity) {
			await this.clock.wait(1);
			return '429';
		}
		if (this.working >= this.capacity) await new Promise<void>((resolve) => this.line.push(resolve));
		else this.working += 1;
		await this.clock.wait(this.latencyMs);
		// The slot goes to the next in line, or is freed; a smaller capacity frees it for good.
		const next = this.working <= this.capacity ? this.line.shift() : undefined;
		if (next) next();
		else this.working -= 1;
		return 'ok';
	}
}

/** Sends `items` calls through the limit with up to 100 callers; records the limit after each answer. */
async function drive(clock: FakeClock, limit: AdaptiveLimit, server: Server, items: number, onAnswer?: (done: number) => void) {
	let claimed = 0;
	let done = 0;
	let refused = 0;
	const limits: number[] = [];
	const caller = async () => {
		while (claimed < items) {
			claimed += 1;
			await limit.acquire();
			limit.send();
			const sent = clock.now();
			const answer = await server.call();
			limit.release(clock.now() - sent, answer === 'ok' ? 'ok' : 'overload', clock.now());
			if (answer === 'ok') done += 1;
			else {
				// Refused: that item goes again.
				refused += 1;
				claimed -= 1;
			}
			limits.push(limit.limit);
			onAnswer?.(done);
		}
	};
	await clock.run(Promise.all(Array.from({ length: 100 }, caller)));
	expect(done).toBe(items);
	return { limits, refused };
}

/**
 * Round trips that grow with the calls in flight while more still get delivered (n8n's own
 * work per call): 23 ms plus, on average, 1 ms per call in flight, spread evenly.
 * Calls `onAnswer` after each answer.
 */
async function driveGrowingRoundTrips(clock: FakeClock, limit: AdaptiveLimit, items: number, onAnswer: () => void) {
	let claimed = 0;
	let inFlight = 0;
	let seed = 1;
	const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
	const caller = async () => {
		while (claimed < items) {
			claimed += 1;
			await limit.acquire();
			limit.send();
			const sent = clock.now();
			inFlight += 1;
			await clock.wait(23 + 2 * inFlight * random());
			inFlight -= 1;
			limit.release(clock.now() - sent, 'ok', clock.now());
			onAnswer();
		}
	};
	await clock.run(Promise.all(Array.from({ length: 100 }, caller)));
}

const average = (list: number[]) => list.reduce((sum, n) => sum + n, 0) / list.length;

describe('AdaptiveLimit (Vegas checked against the delivery rate, with a multiplicative cut on overload)', () => {
	it.each([10, 20, 50])('settles near a server’s capacity of %i calls in flight', async (capacity) => {
		const clock = new FakeClock();
		const limit = new AdaptiveLimit();
		const { limits } = await drive(clock, limit, new Server(clock, capacity, 50), 4000);
		const settled = average(limits.slice(-1000));
		expect(settled).toBeGreaterThanOrEqual(capacity);
		expect(settled).toBeLessThanOrEqual(capacity * 1.5);
	});

	it('follows a server whose capacity halves in the middle of the run', async () => {
		const clock = new FakeClock();
		const limit = new AdaptiveLimit();
		const server = new Server(clock, 40, 50);
		const { limits } = await drive(clock, limit, server, 8000, (done) => {
			if (done >= 4000) server.capacity = 20;
		});
		const before = average(limits.slice(3000, 4000));
		const after = average(limits.slice(-1000));
		expect(before).toBeGreaterThanOrEqual(40);
		expect(after).toBeGreaterThanOrEqual(20);
		expect(after).toBeLessThanOrEqual(30);
	});

	it('tries more calls where round trips grow but so does what gets delivered; a trial that delivers no more waits longer each time', async () => {
		const clock = new FakeClock();
		const limit = new AdaptiveLimit();
		const trials: number[] = [];
		let inTrial = false;
		await driveGrowingRoundTrips(clock, limit, 20_000, () => {
			const up = limit.limit > limit.settled;
			if (up && !inTrial) trials.push(clock.now());
			inTrial = up;
		});
		// Vegas alone stops at about 14 here (the round trip grows by a third at 14).
		expect(limit.settled).toBeGreaterThanOrEqual(40);
		// One trial every cycle (seven rounds, about half a second) would be some 50; backing off, far fewer.
		expect(trials.length).toBeLessThan(20);
		const gaps = trials.slice(1).map((at, i) => at - trials[i]);
		expect(Math.max(...gaps)).toBeGreaterThan(4 * Math.min(...gaps));
	});

	it('a 429 to a call sent during a trial of more calls is the trial’s, even when it arrives after the trial ended', async () => {
		const clock = new FakeClock();
		const limit = new AdaptiveLimit();
		let trialSentAt: number | undefined;
		let checked = false;
		await driveGrowingRoundTrips(clock, limit, 6000, () => {
			if (checked) return;
			if (trialSentAt === undefined && limit.limit > limit.settled) {
				trialSentAt = clock.now();
				expect(limit.explainsOverload(trialSentAt)).toBe(true);
			} else if (trialSentAt !== undefined && limit.limit <= limit.settled) {
				// The trial is over: a late answer to a call sent during it is still explained, one sent now is not.
				expect(limit.explainsOverload(trialSentAt)).toBe(true);
				expect(limit.explainsOverload(clock.now() + 1)).toBe(false);
				checked = true;
			}
		});
		expect(checked).toBe(true);
	});

	it('stays at one call against a server that answers every call with 429', async () => {
		const clock = new FakeClock();
		const limit = new AdaptiveLimit();
		const server = { call: async () => (await clock.wait(5), '429' as const) } as unknown as Server;
		let answers = 0;
		const limits: number[] = [];
		const caller = async () => {
			while (answers < 200) {
				await limit.acquire();
				limit.send();
				const sent = clock.now();
				await server.call();
				limit.release(clock.now() - sent, 'overload', clock.now());
				answers += 1;
				limits.push(limit.limit);
			}
		};
		await clock.run(Promise.all(Array.from({ length: 10 }, caller)));
		expect(limits.slice(20).every((n) => n === 1)).toBe(true);
	});

	it('grows fast at first: from 4 to 64 in a few round trips against a server with room', async () => {
		const clock = new FakeClock();
		const limit = new AdaptiveLimit();
		await drive(clock, limit, new Server(clock, 1000, 100), 600);
		expect(limit.peak).toBeGreaterThanOrEqual(64);
		expect(clock.now()).toBeLessThan(1500);
	});

	it('never goes above 100 nor below 1, and does not grow a limit the execution does not use', async () => {
		const clock = new FakeClock();
		const limit = new AdaptiveLimit();
		await drive(clock, limit, new Server(clock, 10_000, 10), 5000);
		expect(limit.limit).toBe(100);
		const idle = new AdaptiveLimit();
		for (let i = 0; i < 100; i++) {
			await idle.acquire();
			idle.send();
			idle.release(10, 'ok', i * 10);
		}
		// One call at a time never needs more than twice that.
		expect(idle.limit).toBeLessThanOrEqual(4);
	});

	it('gives up waiting for a slot when the execution is cancelled', async () => {
		const limit = new AdaptiveLimit({ initial: 1 });
		await limit.acquire();
		limit.send();
		const cancel = new AbortController();
		const waiting = limit.acquire(cancel.signal);
		cancel.abort();
		expect(await waiting).toBe(false);
		expect(limit.active).toBe(1);
	});

	it('halves once for a burst of overload answers to calls sent before the cut (timeouts arriving together)', () => {
		const limit = new AdaptiveLimit({ initial: 40 });
		for (let i = 0; i < 40; i++) {
			void limit.acquire();
			limit.send();
		}
		// All forty were sent at 0 and time out after 30 s, one after the other.
		for (let i = 0; i < 40; i++) limit.release(30_000 + i, 'overload', 30_000 + i);
		expect(limit.limit).toBe(20);
		// A call sent after the cut that is refused too: halved again.
		void limit.acquire();
		limit.send();
		limit.release(10, 'overload', 30_100);
		expect(limit.limit).toBe(10);
	});

	it('hands a freed slot to the call that waited longest, not to one that asks later', async () => {
		const limit = new AdaptiveLimit({ initial: 1 });
		expect(await limit.acquire()).toBe(true);
		const order: string[] = [];
		const first = limit.acquire().then(() => order.push('first'));
		const second = limit.acquire().then(() => order.push('second'));
		limit.release(10, 'none', 10, false);
		// A newcomer arrives after the release: the slot is already the first waiter's.
		const late = limit.acquire().then(() => order.push('late'));
		await first;
		expect(limit.active).toBe(1);
		limit.release(10, 'none', 20, false);
		await second;
		limit.release(10, 'none', 30, false);
		await late;
		expect(order).toEqual(['first', 'second', 'late']);
	});
});
