import type { Clock } from '../../nodes/Smashsend/delivery/clock';

interface Timer {
	at: number;
	resolve: (elapsed: boolean) => void;
}

/**
 * Virtual time for the delivery engine: waits resolve when `run` advances the clock to
 * them, which it does only once every pending promise has settled. No real time passes.
 */
export class FakeClock implements Clock {
	private time = 0;
	private timers: Timer[] = [];
	private dateOffset = 0;
	/** Every wait requested, in order: how long, and when. */
	readonly waits: Array<{ ms: number; at: number }> = [];

	constructor(private readonly randomValue = 0.5) {}

	now(): number {
		return this.time;
	}

	/** The wall clock: here the same virtual time (0 is 1970), for Retry-After as an HTTP date. */
	date(): number {
		return this.time + this.dateOffset;
	}

	/** Steps the wall clock (not the monotonic one) by `ms`, as a system clock change would. */
	stepWallClock(ms: number): void {
		this.dateOffset += ms;
	}

	random(): number {
		return this.randomValue;
	}

	wait(ms: number, signal?: AbortSignal): Promise<boolean> {
		this.waits.push({ ms, at: this.time });
		return new Promise((resolve) => {
			if (signal?.aborted) return resolve(false);
			const timer: Timer = { at: this.time + ms, resolve };
			this.timers.push(timer);
			signal?.addEventListener(
				'abort',
				() => {
					this.timers = this.timers.filter((t) => t !== timer);
					resolve(false);
				},
				{ once: true },
			);
		});
	}

	/** Lets every ready promise run. */
	async settle(): Promise<void> {
		for (let i = 0; i < 50; i++) await Promise.resolve();
	}

	/** Drives the clock until `promise` settles. */
	async run<T>(promise: Promise<T>): Promise<T> {
		let done = false;
		const tracked = promise.finally(() => {
			done = true;
		});
		for (;;) {
			await this.settle();
			if (done) return await tracked;
			if (this.timers.length === 0) throw new Error('deadlock: nothing to wait for and the promise has not settled');
			this.timers.sort((a, b) => a.at - b.at);
			const next = this.timers.shift() as Timer;
			this.time = Math.max(this.time, next.at);
			next.resolve(true);
		}
	}
}
