/**
 * Adaptive concurrency: how many calls may be in flight, learned from SMASHSEND's answers.
 *
 * The algorithm is TCP Vegas (Brakmo and Peterson, 1994), adapted to requests after Netflix's
 * concurrency-limits library (its VegasLimit), with TCP's multiplicative decrease (RFC 5681)
 * for explicit overload, and BBR's way of checking a queue against the delivery rate
 * (Cardwell et al., 2016: probe with more in flight, keep it only if more gets delivered):
 *
 * - The shortest round trip seen (`minRtt`) is the time of a call without any queue. With
 *   `limit` calls in flight and a smoothed round trip of `rtt` (TCP's SRTT, RFC 6298), about
 *   `limit × (1 − minRtt / rtt)` of them are waiting in a queue somewhere (Vegas's estimate).
 *   Only answers that went through are timed: a quick refusal says nothing about the queue.
 *   As in VegasLimit, `minRtt` is measured afresh every `30 × limit` answers, so that one
 *   unusually quick answer cannot hold the limit down for the rest of the run.
 * - Fewer than `alpha` queued: there is room; the limit grows by one per round trip
 *   (doubling per round trip at first, as TCP's slow start, until the first sign of a queue).
 * - Otherwise the queue may be the server's or n8n's own: every call made through n8n's
 *   helper costs n8n some work, so round trips grow with the calls in flight even against a
 *   server with room. Which one it is shows in the delivery rate (answers per ms), measured
 *   per round (the answers of one smoothed round trip): a server at its capacity delivers no
 *   more with more calls in flight, and no less with fewer. So the limit is tried: three
 *   rounds at the limit, then three at a trial limit (after one round to fill it, two to
 *   drain a cut), and the trial is kept only if the rate moved with it. A quarter more calls
 *   are kept if they deliver at least `elasticity.up` × 25% more (and the next trial starts
 *   at once from what they measured); a cut to what is worked on without a queue plus
 *   `alpha` (a fifth at most) is kept unless the rate falls by more than `elasticity.down` ×
 *   the cut. A cut is tried first when the queue allows one; after a trial, one round is
 *   skipped while the calls in flight drain or fill again. A trial not kept skips the next
 *   1, 2, 4 … 16 cycles of its kind, so a server at capacity sees one rarely. A 429 to a
 *   call sent during a trial of more calls is the trial's, even when it comes after the trial
 *   ended: it teaches no pace (see `explainsOverload`).
 * - A 429, a 503 or a timeout: the server says it is overloaded; the limit is halved, once
 *   per round of calls: answers to calls sent before the last cut were sent at the old limit
 *   and say nothing new (TCP's recovery rule), however late they come (timeouts).
 *
 * Constants, and why: start at 4 (small: one answer's worth of harm if the server is
 * fragile, doubling reaches 64 in four round trips); between 1 and 100 (one call always
 * goes; 100 is the most the node ever had in flight, and the HTTP Request node's burst);
 * `alpha = 3 × log10(limit)` queued calls, as in concurrency-limits (a queue that grows
 * slowly with the limit: a few calls waiting keep a server busy without adding much
 * latency); halving on overload, as TCP Reno does; trials of +25% as BBR's probing gain,
 * −20% at most; `elasticity` 0.3 up, 0.2 down: more calls in flight are worth adding while
 * 1% more brings at least 0.3% more delivered, and worth keeping while 1% fewer would lose
 * more than 0.2% (a server at capacity shows 0, one with room 1; n8n's own work per call
 * brings it down gradually as the calls in flight grow; between the two, the limit stays);
 * three rounds per measurement, as one round's rate varies widely (round trips spread, and
 * a garbage collection of n8n's delays every answer at once).
 */

export interface LimitOptions {
	initial?: number;
	min?: number;
	max?: number;
}

/** What one call's answer says about the server's load. */
export type LoadSignal = 'ok' | 'overload' | 'none';

export const CONCURRENCY_LIMITS = {
	initial: 4,
	min: 1,
	max: 100,
	minRttProbe: 30,
	/** Trials of the limit against the delivery rate (see above). */
	trial: {
		up: 1.25,
		down: 0.8,
		elasticity: { up: 0.3, down: 0.2 },
		baseRounds: 3,
		fillRounds: { up: 1, down: 2 },
		measureRounds: 3,
		maxBackoff: 16,
	},
};

/** A trial limit under way: from which limit, to which, against which delivery rate. */
interface Trial {
	from: number;
	to: number;
	/** Answers per ms at `from`. */
	base: number;
	/** When it started. */
	since: number;
	rounds: number;
	rates: number[];
}

/** When a kind of trial may be made again, in cycles of base rounds. */
interface Backoff {
	cycles: number;
	nextCycle: number;
}

export class AdaptiveLimit {
	private value: number;
	private readonly min: number;
	private readonly max: number;
	private inFlight = 0;
	/** Slots whose call is on the wire (the others wait for the pace: a Rate Limit or a 429's pause). */
	private sending = 0;
	private minRtt = Number.POSITIVE_INFINITY;
	private smoothedRtt = 0;
	private samplesSinceProbe = 0;
	private slowStart = true;
	private slowStartEnded = Number.POSITIVE_INFINITY;
	/** The last cut for a 429, a 503 or a timeout. */
	private lastOverloadCut = Number.NEGATIVE_INFINITY;
	private waiters: Array<() => void> = [];
	/** The round being counted: since when, its last answer, how many answers, how many with the limit unused. */
	private round = { start: 0, last: 0, answers: 0, unused: 0, rtt: 0 };
	/** Delivery rates of the base rounds so far (answers per ms). */
	private baseRates: number[] = [];
	private cycle = 0;
	private trial?: Trial & { kind: 'up' | 'down' };
	/** When the last trial of more calls ran: 429s to calls sent then are the trial's. */
	private upTrialSpan = { since: Number.POSITIVE_INFINITY, until: Number.NEGATIVE_INFINITY };
	/** Rounds still to skip before measuring: the calls in flight settle after a limit changed back. */
	private settleRounds = 0;
	private readonly backoff: Record<'up' | 'down', Backoff> = {
		up: { cycles: 0, nextCycle: 0 },
		down: { cycles: 0, nextCycle: 0 },
	};
	/** The highest limit reached, for what the execution reports. */
	peak: number;
	/** Answers that said something about the server's load. */
	answers = 0;
	/** Answers that said the server was overloaded (429, 503, a timeout): SMASHSEND pushed back. */
	overloads = 0;

	constructor(options: LimitOptions = {}) {
		this.min = options.min ?? CONCURRENCY_LIMITS.min;
		this.max = options.max ?? CONCURRENCY_LIMITS.max;
		this.value = Math.min(this.max, Math.max(this.min, options.initial ?? CONCURRENCY_LIMITS.initial));
		this.peak = this.value;
	}

	/** How many calls may be in flight now. */
	get limit(): number {
		return this.whole(this.value);
	}

	/** The limit outside any trial under way: what it settled on. */
	get settled(): number {
		return this.whole(this.trial?.from ?? this.value);
	}

	private whole(value: number): number {
		return Math.min(this.max, Math.max(this.min, Math.floor(value)));
	}

	get active(): number {
		return this.inFlight;
	}

	/**
	 * Waits for a free slot and takes it, first come first served. False when `signal` fired
	 * first (nothing taken).
	 */
	async acquire(signal?: AbortSignal): Promise<boolean> {
		if (this.waiters.length === 0 && this.inFlight < this.limit) {
			this.inFlight += 1;
			return true;
		}
		if (signal?.aborted) return false;
		return await new Promise<boolean>((resolve) => {
			const onAbort = () => {
				this.waiters = this.waiters.filter((w) => w !== wake);
				resolve(false);
			};
			// The slot is handed over by wakeWaiters (counted there): nobody can take it in between.
			const wake = () => {
				signal?.removeEventListener('abort', onAbort);
				resolve(true);
			};
			this.waiters.push(wake);
			signal?.addEventListener('abort', onAbort, { once: true });
		});
	}

	/**
	 * Whether an overload answer to a call sent at `sentAt` is explained by the calls in flight:
	 * sent while the limit was still doubling, during a trial of more calls, or before the last
	 * cut for overload (at a limit that had already drawn one).
	 * Ask before releasing its slot.
	 */
	explainsOverload(sentAt: number): boolean {
		const trial = sentAt >= this.upTrialSpan.since && sentAt <= this.upTrialSpan.until;
		return this.slowStart || trial || sentAt < this.slowStartEnded || sentAt < this.lastOverloadCut;
	}

	/** The slot's call goes on the wire now (after its wait for the pace). */
	send(): void {
		this.sending += 1;
	}

	/**
	 * Gives the slot back with what the call's answer says: `rttMs` from sending to the answer,
	 * and the load signal (`none` for answers that say nothing about load: a refusal of the
	 * call itself, a refused connection, a call cancelled). `sent`: whether `send()` was
	 * called for it.
	 */
	release(rttMs: number, signal: LoadSignal, now: number, sent = true): void {
		const sendingBefore = this.sending;
		this.inFlight = Math.max(0, this.inFlight - 1);
		if (sent) this.sending = Math.max(0, this.sending - 1);
		if (signal !== 'none') this.answers += 1;
		const rtt = Number.isFinite(rttMs) && rttMs >= 0 ? rttMs : undefined;
		const sentAt = now - (rtt ?? 0);
		if (signal === 'overload') {
			this.overloads += 1;
			this.cut(sentAt, now);
		} else if (signal === 'ok' && rtt !== undefined) this.learn(rtt, sendingBefore, now);
		// Trials not kept do not count: what the execution reports is what the limit settled on.
		this.peak = Math.max(this.peak, this.settled);
		this.wakeWaiters();
	}

	/** Halves the limit, unless the call was sent before the last cut. */
	private cut(sentAt: number, now: number): void {
		this.endSlowStart(now);
		if (sentAt < this.lastOverloadCut) return;
		this.lastOverloadCut = now;
		// A trial of more calls that drew it failed; the rounds so far were at the old limit.
		if (this.trial?.kind === 'up' && sentAt >= this.trial.since) this.back('up');
		// Halved from the lower of the trial's two limits.
		if (this.trial) this.value = Math.min(this.value, this.trial.from);
		this.endTrial(now);
		this.restartRounds(now);
		this.settleRounds = 1;
		this.value = Math.max(this.min, this.value / 2);
	}

	private learn(rtt: number, inFlight: number, now: number): void {
		const sample = Math.max(rtt, 0.001);
		this.samplesSinceProbe += 1;
		if (this.samplesSinceProbe >= CONCURRENCY_LIMITS.minRttProbe * this.limit) {
			// Measured afresh: the quickest answer of a while ago may no longer be possible.
			this.samplesSinceProbe = 0;
			this.minRtt = sample;
		} else this.minRtt = Math.min(this.minRtt, sample);
		this.smoothedRtt = this.smoothedRtt === 0 ? sample : this.smoothedRtt * 0.875 + sample * 0.125;
		// A limit the execution does not use says nothing: do not grow it (TCP's application-limited
		// rule). Only calls on the wire count: slots waiting for the pace do not use the server.
		const used = inFlight >= this.limit / 2;
		// From the smoothed round trip (TCP's SRTT, gain 1/8): one call that waited behind another is no queue yet.
		const queued = this.value * (1 - this.minRtt / this.smoothedRtt);
		const alpha = 3 * Math.max(1, Math.log10(this.value));
		if (this.slowStart) {
			if (!used) return;
			// One more per answer: doubling per round trip, until the first sign of a queue.
			if (queued < alpha) this.value = Math.min(this.max, this.value + 1);
			else this.endSlowStart(now);
			return;
		}
		// Each answer adds 1/limit: one per round trip. Not during a trial: the trial sets the limit.
		if (used && !this.trial && queued < alpha) this.value = Math.min(this.max, this.value + 1 / this.value);
		this.countRound(used, now, sample);
	}

	/**
	 * Counts an answer into the round; at a round's end, its delivery rate feeds the trials. A
	 * round is the answers in (start, end], one smoothed round trip at least: it closes at the
	 * first answer after that, which opens the next (answers arriving together stay together).
	 */
	private countRound(used: boolean, now: number, rtt: number): void {
		// An answer at the round's very start closed the round before.
		if (now <= this.round.start) return;
		const { answers, unused, start, last, rtt: rttSum } = this.round;
		if (answers === 0 || now <= last || last - start < Math.max(this.smoothedRtt, 1)) {
			this.round.answers += 1;
			this.round.last = now;
			this.round.rtt += rtt;
			if (!used) this.round.unused += 1;
			return;
		}
		// The next round starts at the last answer of this one; after a gap (a pause of n8n's, or a
		// lull between rounds of batches) at this answer instead, so that it does not hold the gap.
		if (now - last > Math.max(this.smoothedRtt, 1)) this.round = { start: now, last: now, answers: 0, unused: 0, rtt: 0 };
		else this.round = { start: last, last: now, answers: 1, unused: used ? 0 : 1, rtt };
		const elapsed = last - start;
		// A round mostly below the limit (held by the pace, or a trial limit not used), or stalled
		// (a Retry-After, a pause of n8n's own), measures something else than the limit: start again.
		if (unused * 2 > answers || elapsed > 3 * Math.max(this.smoothedRtt, 1)) {
			if (this.trial) {
				// More calls that are not even used: a trial not kept.
				if (this.trial.kind === 'up' && unused * 2 > answers) this.back('up');
				this.value = this.trial.from;
				this.endTrial(now);
			}
			this.baseRates = [];
			return;
		}
		if (this.settleRounds > 0) {
			this.settleRounds -= 1;
			return;
		}
		const rate = answers / elapsed;
		// Vegas's estimate from the round's mean round trip (an average over a round, where the
		// smoothed one follows the last few answers).
		const queued = Math.max(0, this.value * (1 - this.minRtt / (rttSum / answers)));
		if (this.trial) {
			const kept = this.measureTrial(rate, now);
			// A trial of more calls kept measured the new limit already: the next one can start from it.
			if (kept !== undefined) this.nextCycle(kept, queued, now);
			return;
		}
		this.baseRates.push(rate);
		if (this.baseRates.length < CONCURRENCY_LIMITS.trial.baseRounds) return;
		const base = average(this.baseRates);
		this.baseRates = [];
		this.nextCycle(base, queued, now);
	}

	private nextCycle(base: number, queued: number, now: number): void {
		this.cycle += 1;
		this.startTrial(base, queued, now);
	}

	/** Down first when the queue allows a cut and it is not backing off; else up, unless backing off. */
	private startTrial(base: number, queued: number, now: number): void {
		const { up, down } = CONCURRENCY_LIMITS.trial;
		const alpha = 3 * Math.max(1, Math.log10(this.value));
		// Growing on its own: nothing to try.
		if (queued < alpha) return;
		const from = this.value;
		if (this.cycle >= this.backoff.down.nextCycle) {
			// Down to what is worked on without a queue, plus alpha; a fifth at most.
			const to = Math.max(this.min, from * down, from - queued + alpha);
			if (this.whole(to) < this.whole(from)) {
				this.trial = { kind: 'down', from, to, base, since: now, rounds: 0, rates: [] };
				this.value = to;
				return;
			}
		}
		if (this.whole(from) < this.max && this.cycle >= this.backoff.up.nextCycle) {
			const to = Math.min(this.max, Math.max(from + 1, from * up));
			this.trial = { kind: 'up', from, to, base, since: now, rounds: 0, rates: [] };
			this.upTrialSpan = { since: now, until: Number.POSITIVE_INFINITY };
			this.value = to;
		}
	}

	/**
	 * A round at the trial limit: the first fills it, the next are measured; then kept or not.
	 * Returns the delivery rate at a trial of more calls kept (undefined otherwise).
	 */
	private measureTrial(rate: number, now: number): number | undefined {
		const trial = this.trial;
		if (!trial) return undefined;
		const { fillRounds, measureRounds, elasticity } = CONCURRENCY_LIMITS.trial;
		trial.rounds += 1;
		if (trial.rounds <= fillRounds[trial.kind]) return undefined;
		trial.rates.push(rate);
		if (trial.rates.length < measureRounds) return undefined;
		this.endTrial(now);
		const measured = average(trial.rates);
		const moved = measured / trial.base - 1;
		// The limits actually used: whole numbers of calls.
		const change = this.whole(trial.to) / this.whole(trial.from) - 1;
		// Up: kept if the rate rose by `elasticity.up` × the change or more. Down (a negative
		// change): kept unless the rate fell by more than `elasticity.down` × the cut.
		const kept = trial.kind === 'up' ? moved >= elasticity.up * change : moved > elasticity.down * change;
		if (kept) {
			this.backoff[trial.kind] = { cycles: 0, nextCycle: 0 };
			if (trial.kind === 'up') return measured;
		} else {
			this.value = trial.from;
			this.back(trial.kind);
		}
		// The calls in flight drain (after fewer) or fill again (after more): measure the next base after that.
		this.settleRounds = 1;
		return undefined;
	}

	private endTrial(now: number): void {
		if (this.trial?.kind === 'up') this.upTrialSpan.until = now;
		this.trial = undefined;
	}

	/** A trial not kept: the same kind skips the next 1, 2, 4 … 16 cycles (twice as many as last time). */
	private back(kind: 'up' | 'down'): void {
		const backoff = this.backoff[kind];
		backoff.cycles = Math.min(CONCURRENCY_LIMITS.trial.maxBackoff, Math.max(1, backoff.cycles * 2));
		backoff.nextCycle = this.cycle + backoff.cycles + 1;
	}

	private restartRounds(now: number): void {
		this.round = { start: now, last: now, answers: 0, unused: 0, rtt: 0 };
		this.baseRates = [];
	}

	private endSlowStart(now: number): void {
		if (!this.slowStart) return;
		this.slowStart = false;
		this.slowStartEnded = now;
		this.restartRounds(now);
	}

	/** Hands free slots to the calls waiting for one, in order. */
	private wakeWaiters(): void {
		while (this.inFlight < this.limit && this.waiters.length > 0) {
			const wake = this.waiters.shift();
			this.inFlight += 1;
			wake?.();
		}
	}
}

const average = (list: number[]) => list.reduce((sum, n) => sum + n, 0) / list.length;
