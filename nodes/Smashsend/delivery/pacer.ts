/**
 * Bounds on what users can set, so that no wait, timeout or pace can overflow a timer or
 * leave an execution hanging for days: one retry waits at most an hour, a call at most ten
 * minutes, and a rate limit paces at least one call an hour.
 */
export const LIMITS = {
	maxWaitSeconds: 3600,
	maxTimeoutMs: 600_000,
	maxIntervalMs: 3_600_000,
};

/**
 * The shared pace of calls: the rate limit's next free slot and the pause a 429 asked for.
 * One per execution of the node, so that every call it makes (items, pages, lookups, and
 * their retries) keeps to one limit and every one of them waits out a 429.
 */
export class Pacer {
	private pausedUntil = 0;
	private nextSlot = 0;
	/** ms between calls (0: no limit). */
	readonly interval: number;

	constructor(ratePerSecond?: number) {
		this.interval = ratePerSecond && ratePerSecond > 0 ? Math.min(1000 / ratePerSecond, LIMITS.maxIntervalMs) : 0;
	}

	/**
	 * Waits until a call may start: past any 429 pause, and at the rate limit's next slot,
	 * which it takes. False when `wait` was cut short or `halted` says to stop.
	 */
	async acquire(now: () => number, wait: (ms: number) => Promise<boolean>, halted: () => boolean): Promise<boolean> {
		for (;;) {
			if (halted()) return false;
			const time = now();
			if (this.pausedUntil > time) {
				if (!(await wait(this.pausedUntil - time))) return false;
				continue;
			}
			if (this.interval > 0) {
				const slot = Math.max(time, this.nextSlot);
				this.nextSlot = slot + this.interval;
				if (slot > time && !(await wait(slot - time))) return false;
			}
			return !halted();
		}
	}

	/** Holds every call back until `until` (a 429's Retry-After applies to all of them). */
	pause(until: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, until);
	}
}
