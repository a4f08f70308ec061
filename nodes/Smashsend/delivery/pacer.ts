import { LIMITS } from './limits';

/**
 * Learning the pace from 429s (Concurrency: Auto). A server that limits calls per second
 * says so only by refusing the calls beyond its limit; waiting out each Retry-After and then
 * bursting again loses most of a second per refusal. So, at a 429, the pace becomes a share
 * of the calls the server accepted in the second before it (what it just proved it takes),
 * and it never speeds up at a 429; it is tried 5% faster after a minute without one, since a
 * limit can be shared with other work and rise again. The same idea as TCP's congestion
 * window after a loss (RFC 5681), measured as a rate because the server's limit is one.
 *
 * Constants: a second of history (the common window of per-second limits; Retry-After
 * counts whole seconds); 98.5% of it (the pace spaces calls evenly, so a window of the
 * server's holds at most that many, three calls under a limit of 200 for arrivals that
 * bunch up at a window's edge); one probe a minute (a refused probe costs one Retry-After —
 * a whole second, as Retry-After counts whole seconds — and halves the calls in flight:
 * about 2% of the minute).
 */
export const PACE_LEARNING = { windowMs: 1000, share: 0.985, probeAfterMs: 60_000, probeStep: 1.05 };

/** Waits `ms`; false when cut short. `wake` cuts it short too, to look at the pace again (not a cancellation). */
export type PaceWait = (ms: number, wake?: AbortSignal) => Promise<boolean>;

/**
 * A call waiting for its turn: `wake` makes it look at the pace again (a call ahead of it left
 * the line); `forSlot`: its last wait was for its slot (not for a pause, nor none at all).
 */
interface Waiter {
	wake: AbortController;
	forSlot: boolean;
}

/**
 * The shared pace of calls: the rate limit's slots, given in turn to the calls waiting for
 * one, and the pause a 429 asked for. One per execution of the node (or shared by executions,
 * sharedPace.ts), so that every call it makes (items, pages, lookups, and their retries)
 * keeps to one limit and every one of them waits out a 429 — a call already waiting for a
 * slot included: it looks at the pause again before it goes. A call that will not go (its
 * execution stopped) leaves the line, and the calls behind it move up. With `learn`
 * (Concurrency: Auto) it also learns the pace from 429s (see PACE_LEARNING).
 */
export class Pacer {
	private pausedUntil = 0;
	/** When the last pause that is over ended. */
	private resumedAt = 0;
	/** When the last slot was given. */
	private lastGrant = Number.NEGATIVE_INFINITY;
	/** The calls waiting for a slot, in turn. */
	private readonly line: Waiter[] = [];
	/** ms between calls (0: no limit). */
	readonly interval: number;
	private readonly learn: boolean;
	/** ms between calls learned from 429s (0: none learned). */
	private learnedInterval = 0;
	private learnedAt = Number.NEGATIVE_INFINITY;
	/** When the calls the server accepted were answered, the last second of them (from `first`). */
	private accepted: number[] = [];
	private first = 0;

	/** The calls that go out together when a pause ends, when more than one execution's (see sharedPace.ts). */
	private readonly wave?: () => number;

	constructor(ratePerSecond?: number, options: { learn?: boolean; wave?: () => number } = {}) {
		this.interval = ratePerSecond && ratePerSecond > 0 ? Math.min(1000 / ratePerSecond, LIMITS.maxIntervalMs) : 0;
		this.learn = options.learn === true;
		this.wave = options.wave;
	}

	/** The pace calls are held to now, in calls per second: the Rate Limit or the learned pace, the slower (undefined: none). */
	get rate(): number | undefined {
		const interval = Math.max(this.interval, this.learnedInterval);
		return interval > 0 ? 1000 / interval : undefined;
	}

	/** The pace learned from 429s, in calls per second (undefined: none). */
	get learnedRate(): number | undefined {
		return this.learnedInterval > 0 ? 1000 / this.learnedInterval : undefined;
	}

	/**
	 * Waits until a call may start: past any 429 pause, and at its turn of the rate limit's
	 * slots, which it takes. False when `wait` was cut short (not by `wake`) or `halted` says to stop.
	 */
	async acquire(now: () => number, wait: PaceWait, halted: () => boolean): Promise<boolean> {
		const me: Waiter = { wake: new AbortController(), forSlot: false };
		this.line.push(me);
		let went = false;
		try {
			for (;;) {
				if (halted()) return false;
				const time = now();
				if (this.pausedUntil > time) {
					me.forSlot = false;
					if (!(await this.sleep(wait, this.pausedUntil - time, me))) return false;
					continue;
				}
				const interval = this.currentInterval(time);
				if (interval <= 0) {
					went = true;
					return true;
				}
				// The calls ahead in the line go first, one slot each.
				const ahead = this.line.indexOf(me);
				const due = this.lastGrant + interval;
				const at = Math.max(time, due) + ahead * interval;
				if (at > time) {
					me.forSlot = true;
					if (!(await this.sleep(wait, at - time, me))) return false;
					continue;
				}
				// A call that waited for this slot keeps the slots evenly spaced, however late its timer fired;
				// one that did not wait for it (it came after a gap, or after a pause) starts them again from now.
				this.lastGrant = me.forSlot && time - due < interval ? due : time;
				went = true;
				return !halted();
			}
		} finally {
			this.leave(me, went);
		}
	}

	/** Waits `ms` for `me`; true when the time passed or `me` was woken to look again. */
	private async sleep(wait: PaceWait, ms: number, me: Waiter): Promise<boolean> {
		if (await wait(ms, me.wake.signal)) return true;
		if (!me.wake.signal.aborted) return false;
		me.wake = new AbortController();
		return true;
	}

	/**
	 * `me` leaves the line. Behind a call that took its slot, each call's slot stays where it
	 * was; behind one that will not go (its execution stopped), every slot comes one earlier:
	 * those calls look again.
	 */
	private leave(me: Waiter, went: boolean): void {
		const index = this.line.indexOf(me);
		if (index === -1) return;
		this.line.splice(index, 1);
		if (!went) for (const waiter of this.line.slice(index)) waiter.wake.abort();
	}

	/** Holds every call back until `until` (a 429's Retry-After applies to all of them). */
	pause(until: number, now: number): void {
		if (this.pausedUntil <= now) this.resumedAt = this.pausedUntil;
		this.pausedUntil = Math.max(this.pausedUntil, until);
	}

	/** A call the server took: counted for the pace learned at a 429. */
	accept(now: number): void {
		if (!this.learn) return;
		this.accepted.push(now);
		this.forget(now);
	}

	/**
	 * A 429: the pace becomes a share of what the server accepted in the last second, never
	 * faster than it was. `learn: false` when the 429 is explained otherwise (the calls in
	 * flight were still growing fast). `wave`: the concurrency limit when the call was answered,
	 * about as many calls as go out together when a pause ends; a 429 before that many were
	 * accepted since the last pause ended is the first wave's: the calls in flight explain
	 * it, and the second before it, mostly paused, says nothing about what the server takes.
	 */
	refused(now: number, options: { learn?: boolean; wave?: number } = {}): void {
		if (!this.learn || options.learn === false) return;
		this.forget(now);
		// The answers to calls sent together arrive together: one lesson per window.
		if (now - this.learnedAt < PACE_LEARNING.windowMs) return;
		const resumed = this.pausedUntil <= now ? this.pausedUntil : this.resumedAt;
		const shared = this.wave?.();
		const wave = shared !== undefined && shared > 0 ? Math.max(shared, options.wave ?? 0) : options.wave;
		if (wave !== undefined && now - resumed < PACE_LEARNING.windowMs && this.acceptedSince(resumed) < wave) return;
		const taken = this.accepted.length - this.first;
		if (taken === 0) return;
		const interval = Math.min(PACE_LEARNING.windowMs / (taken * PACE_LEARNING.share), LIMITS.maxIntervalMs);
		this.learnedInterval = Math.max(this.learnedInterval, interval);
		this.learnedAt = now;
	}

	private acceptedSince(time: number): number {
		let count = 0;
		for (let i = this.accepted.length - 1; i >= this.first && this.accepted[i] > time; i--) count += 1;
		return count;
	}

	private currentInterval(time: number): number {
		if (this.learnedInterval > 0 && time - this.learnedAt >= PACE_LEARNING.probeAfterMs) {
			this.learnedInterval /= PACE_LEARNING.probeStep;
			this.learnedAt = time;
		}
		return Math.max(this.interval, this.learnedInterval);
	}

	private forget(now: number): void {
		while (this.first < this.accepted.length && this.accepted[this.first] <= now - PACE_LEARNING.windowMs) this.first += 1;
		if (this.first > 1024 && this.first * 2 > this.accepted.length) {
			this.accepted = this.accepted.slice(this.first);
			this.first = 0;
		}
	}
}
