/** Node's timers take at most 2³¹−1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** How a call with a deadline ended: its value, or the deadline came first. */
export type Deadlined<T> = { late: false; value: T } | { late: true };

/** A call's deadline: when it is due, and what to do then. */
interface Deadline {
	at: number;
	expire: () => void;
}

/**
 * The deadlines of the calls in flight in this process, watched by one timer at a time, set
 * for the earliest of them. A timer per call would outlive its call: n8n's rules for
 * community nodes leave only AbortSignal.timeout, which cannot be cancelled, so each would
 * stay queued for the whole timeout (30 s), keeping its signal through every young-generation
 * collection meanwhile (issue 30). Here a call that ends leaves nothing behind of its own: the
 * watcher has one timer pending at a time (until the earliest deadline it knew of), and stops
 * once no call is in flight. Times are monotonic (performance.now): a change of the system
 * clock moves no deadline.
 */
class DeadlineWatch {
	private readonly pending = new Set<Deadline>();
	private watching = false;
	/** The watcher's current wait: until when, and how to cut it short for an earlier deadline. */
	private sleeping?: { until: number; wake: AbortController };

	/** Watches `deadline` until the returned function is called (or it expires). */
	add(deadline: Deadline): () => void {
		this.pending.add(deadline);
		if (!this.watching) {
			this.watching = true;
			void this.watch();
		} else if (this.sleeping && deadline.at < this.sleeping.until) {
			this.sleeping.wake.abort();
		}
		return () => this.pending.delete(deadline);
	}

	private async watch(): Promise<void> {
		try {
			for (;;) {
				const now = performance.now();
				let next = Number.POSITIVE_INFINITY;
				for (const deadline of this.pending) {
					if (deadline.at <= now) {
						this.pending.delete(deadline);
						try {
							deadline.expire();
						} catch {
							// one call's expiry never stops the watch of the others
						}
					} else next = Math.min(next, deadline.at);
				}
				if (next === Number.POSITIVE_INFINITY) return;
				const wake = new AbortController();
				this.sleeping = { until: next, wake };
				await sleepUntilWoken(next - now, wake.signal);
				this.sleeping = undefined;
			}
		} finally {
			this.watching = false;
			this.sleeping = undefined;
		}
	}
}

/** Waits `ms`, or until `wake` fires. */
async function sleepUntilWoken(ms: number, wake: AbortSignal): Promise<void> {
	const timer = AbortSignal.timeout(Math.min(Math.max(1, Math.ceil(ms)), MAX_TIMER_MS));
	await new Promise<void>((resolve) => {
		const done = () => {
			timer.removeEventListener('abort', done);
			wake.removeEventListener('abort', done);
			resolve();
		};
		timer.addEventListener('abort', done, { once: true });
		wake.addEventListener('abort', done, { once: true });
	});
}

const deadlines = new DeadlineWatch();

/** One call's deadline, started: the signal to give the call, and the race its answer runs. */
export interface StartedDeadline {
	/** Aborts at the deadline and with the execution's signal (the execution's own when there is no deadline). */
	signal: AbortSignal | undefined;
	/** The call's outcome, or `late` once the deadline has passed; the deadline then ends. */
	race<T>(running: Promise<T>): Promise<Deadlined<T>>;
	/** Ends the deadline (again, harmlessly) when the call could not even start. */
	end(): void;
}

/**
 * A deadline `ms` from now for one call, whatever the server does meanwhile: n8n's request
 * timeout is an idle timeout, which a server that answers a byte at a time never meets. The
 * call gets a signal that aborts at the deadline (and with `signal`); a helper that honours it
 * (`httpRequest`) stops the request, one that replaces it with the execution's own
 * (`httpRequestWithAuthentication`) is left to finish unheard. Nothing of the call outlives
 * it: its deadline leaves the watch and its listener leaves `signal` when it ends.
 */
export function startDeadline(ms: number | undefined, signal: AbortSignal | undefined): StartedDeadline {
	if (ms === undefined || !(ms > 0)) return { signal, race: async (running) => ({ late: false, value: await running }), end: () => {} };
	const controller = new AbortController();
	let timedOut = false;
	let onLate = () => {};
	const late = new Promise<{ late: true }>((resolve) => {
		onLate = () => resolve({ late: true });
	});
	const unwatch = deadlines.add({
		at: performance.now() + Math.min(Math.ceil(ms), MAX_TIMER_MS),
		expire: () => {
			timedOut = true;
			controller.abort(new DOMException('The call took longer than its deadline', 'TimeoutError'));
			onLate();
		},
	});
	const stop = () => controller.abort(signal?.reason);
	if (signal?.aborted) stop();
	else signal?.addEventListener('abort', stop, { once: true });
	const end = () => {
		unwatch();
		signal?.removeEventListener('abort', stop);
	};
	return {
		signal: controller.signal,
		end,
		race: async <T>(running: Promise<T>): Promise<Deadlined<T>> => {
			const outcome = running.then(
				(value) => ({ late: false as const, value }),
				// Aborted by the deadline, not by the execution: the deadline's outcome.
				async (error: unknown) => (timedOut && !signal?.aborted ? { late: true as const } : await Promise.reject(error)),
			);
			// An answer after the deadline is heard by no one: its failure must not surface either.
			outcome.catch(() => undefined);
			try {
				return await Promise.race([outcome, late]);
			} finally {
				end();
			}
		},
	};
}

/** Runs one call within `ms` from now (see startDeadline). */
export async function withDeadline<T>(
	ms: number | undefined,
	signal: AbortSignal | undefined,
	work: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<Deadlined<T>> {
	const deadline = startDeadline(ms, signal);
	let running: Promise<T>;
	try {
		running = work(deadline.signal);
	} catch (error) {
		// A call that could not even start fails as it would have once started (race ends the deadline).
		running = Promise.reject(error as Error);
	}
	return await deadline.race(running);
}
