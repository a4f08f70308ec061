/**
 * Adaptive concurrency: how many calls may be in flight, learned from SMASHSEND's answers.
 *
 * The algorithm is TCP Vegas (Brakmo and Peterson, 1994), adapted to requests after Netflix's
 * concurrency-limits library (its VegasLimit), with TCP's multiplicative decrease (RFC 5681)
 * for explicit overload:
 *
 * - The shortest round trip seen (`minRtt`) is the server's time without any queue. With
 *   `limit` calls in flight and a smoothed round trip of `rtt` (TCP's SRTT, RFC 6298), about
 *   `limit × (1 − minRtt / rtt)` of them are waiting in a queue somewhere (Vegas's estimate).
 *   Only answers that went through are timed: a quick refusal says nothing about the queue.
 *   As in VegasLimit, `minRtt` is measured afresh every `30 × limit` answers, so that one
 *   unusually quick answer cannot hold the limit down for the rest of the run.
 * - Fewer than `alpha` queued: the server has room; the limit grows by one per round trip
 *   (doubling per round trip at first, as TCP's slow start, until the first sign of a queue).
 * - More than `beta` queued: the server is saturating; the limit drops to the calls it works on
 *   without a queue plus `(alpha + beta) / 2`, by a tenth at most, at most once per smoothed
 *   round trip.
 * - A 429, a 503 or a timeout: the server says it is overloaded; the limit is halved, once
 *   per round of calls: answers to calls sent before the last cut were sent at the old limit
 *   and say nothing new (TCP's recovery rule), however late they come (timeouts).
 *
 * Constants, and why: start at 4 (small: one answer's worth of harm if the server is
 * fragile, doubling reaches 64 in four round trips); between 1 and 100 (one call always
 * goes; 100 is the most the node ever had in flight, and the HTTP Request node's burst);
 * `alpha = 3 × log10(limit)` and `beta = 6 × log10(limit)` queued calls, as in
 * concurrency-limits (a queue that grows slowly with the limit: a few calls waiting keep a
 * server busy without adding much latency); halving on overload, as TCP Reno does.
 */

export interface LimitOptions {
	initial?: number;
	min?: number;
	max?: number;
	/** The pace calls are held to, in calls per second (a Rate Limit, or one learned from 429s). */
	pace?: () => number | undefined;
}

/** What one call's answer says about the server's load. */
export type LoadSignal = 'ok' | 'overload' | 'none';

export const CONCURRENCY_LIMITS = { initial: 4, min: 1, max: 100, minRttProbe: 30, maxQueueCut: 0.1, paceRoom: 1.5 };

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
	private lastCut = Number.NEGATIVE_INFINITY;
	/** The last cut for a 429, a 503 or a timeout (not for a queue). */
	private lastOverloadCut = Number.NEGATIVE_INFINITY;
	private waiters: Array<() => void> = [];
	/** The highest limit reached, for what the execution reports. */
	peak: number;
	/** Answers that said something about the server's load. */
	answers = 0;

	private readonly pace?: () => number | undefined;

	constructor(options: LimitOptions = {}) {
		this.pace = options.pace;
		this.min = options.min ?? CONCURRENCY_LIMITS.min;
		this.max = options.max ?? CONCURRENCY_LIMITS.max;
		this.value = Math.min(this.max, Math.max(this.min, options.initial ?? CONCURRENCY_LIMITS.initial));
		this.peak = this.value;
	}

	/**
	 * How many calls may be in flight now. Never fewer than a pace needs at the current round
	 * trip, with half again as many for room (as BBR keeps its window at a multiple of rate ×
	 * round trip): the pace, not the limit, then decides, and a round trip that grows with
	 * n8n's own work cannot hold calls back below a pace the server accepts.
	 */
	get limit(): number {
		const pace = this.pace?.();
		const floor = pace && this.smoothedRtt > 0 ? Math.ceil(((pace * this.smoothedRtt) / 1000) * CONCURRENCY_LIMITS.paceRoom) : 0;
		return Math.min(this.max, Math.max(this.min, Math.floor(this.value), floor));
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
	 * sent while the limit was still doubling, or before the last cut for overload (at a
	 * limit that had already drawn one).
	 * Ask before releasing its slot.
	 */
	explainsOverload(sentAt: number): boolean {
		return this.slowStart || sentAt < this.slowStartEnded || sentAt < this.lastOverloadCut;
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
		if (signal === 'overload') this.cut(sentAt, now);
		else if (signal === 'ok' && rtt !== undefined) this.learn(rtt, sendingBefore, now);
		// The limit itself, floor under a pace included: what the execution reports as its highest.
		this.peak = Math.max(this.peak, this.limit);
		this.wakeWaiters();
	}

	/** Halves the limit, unless the call was sent before the last cut. */
	private cut(sentAt: number, now: number): void {
		this.endSlowStart(now);
		if (sentAt < this.lastOverloadCut) return;
		this.lastCut = now;
		this.lastOverloadCut = now;
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
		if (inFlight < this.limit / 2) return;
		const limit = this.value;
		// From the smoothed round trip (TCP's SRTT, gain 1/8): one call that waited behind another is no queue yet.
		const queued = limit * (1 - this.minRtt / this.smoothedRtt);
		const log = Math.max(1, Math.log10(limit));
		const alpha = 3 * log;
		const beta = 6 * log;
		if (queued < alpha) {
			// Each answer adds 1/limit: one per round trip; in slow start one per answer (doubling).
			this.value = Math.min(this.max, limit + (this.slowStart ? 1 : 1 / limit));
		} else if (queued > beta) {
			// Down to the calls the server works on without a queue, plus a little; at most once per
			// smoothed round trip, which still shows the old queue for a while after a cut.
			this.endSlowStart(now);
			if (now - this.lastCut >= Math.max(this.smoothedRtt, 1)) {
				this.lastCut = now;
				// By a tenth at most: a pause of n8n's own (a garbage collection) delays every answer
				// at once and would otherwise pass for a long queue.
				this.value = Math.max(this.min, limit * (1 - CONCURRENCY_LIMITS.maxQueueCut), limit - queued + (alpha + beta) / 2);
			}
		} else this.endSlowStart(now);
	}

	private endSlowStart(now: number): void {
		if (!this.slowStart) return;
		this.slowStart = false;
		this.slowStartEnded = now;
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
