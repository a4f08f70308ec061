import {
	classifyFailure,
	parseRetryAfter,
	retryDelay,
	shouldRetry,
	type AttemptOutcome,
	type FailureClass,
	type RetryOptions,
} from './retryPolicy';
import type { DeliveryMemory } from './ledger';
import { SignalFanOut } from './signals';
import { cancellableWait } from './wait';

/** Time and chance, injectable so that tests can run retries without waiting. */
export interface Clock {
	now(): number;
	/** Resolves true once `ms` passed, false if the signal cut the wait short. */
	wait(ms: number, signal?: AbortSignal): Promise<boolean>;
	random(): number;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	wait: cancellableWait,
	random: () => Math.random(),
};

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
 * One per execution, so that consecutive deliveries (pages of a listing) keep to one limit.
 */
export class Pacer {
	pausedUntil = 0;
	nextSlot = 0;
	/** ms between attempts (0: no limit). */
	readonly interval: number;

	constructor(ratePerSecond?: number) {
		this.interval = ratePerSecond && ratePerSecond > 0 ? Math.min(1000 / ratePerSecond, LIMITS.maxIntervalMs) : 0;
	}
}

export interface DeliveryOptions extends RetryOptions {
	/** How many items are in flight at once. */
	concurrency: number;
	/** Most attempts started per second across all items (0 or undefined: no limit). */
	ratePerSecond?: number;
	/** Stop starting new items once one item has failed for good. */
	stopOnFailure: boolean;
	/** Shares the rate limit and 429 pauses with other deliveries; `ratePerSecond` is then ignored. */
	pacer?: Pacer;
	/** n8n's cancel signal: waits and new attempts stop when it fires. */
	signal?: AbortSignal;
	clock?: Clock;
}

export type AttemptResult<V, F> = { ok: true; value: V } | { ok: false; outcome: AttemptOutcome; failure: F; label: string };

export type ItemResult<V, F> =
	/** `earlierTry`: the outcome of an earlier try of this node run, answered from memory without a call. */
	| { status: 'delivered'; value: V; attempts: number; earlierTry?: boolean }
	| { status: 'failed'; failure: F; attempts: number; history: string[]; cause: FailureClass; retriesExhausted: boolean; earlierTry?: boolean }
	/** Attempted, but not confirmed: the delivery stopped (another item failed) or the execution was cancelled. */
	| { status: 'abandoned'; failure: F; attempts: number; history: string[] }
	| { status: 'not-sent' }
	| { status: 'cancelled' }
	| { status: 'skipped' };

/** Why an item may not go on: the execution was cancelled, or the delivery stopped after a failure. */
type Halt = 'cancelled' | 'stopped' | undefined;

/**
 * Sends every task with bounded concurrency, an optional rate limit and per-item retries.
 * Results come back in task order. A 429's wait applies to every worker, not only the one
 * that got it. Tasks given as `undefined` are skipped (they failed before delivery).
 */
export async function deliver<T, V, F>(
	tasks: Array<T | undefined>,
	/** One call; `signal` aborts it when n8n cancels the execution. */
	attempt: (task: T, attemptNumber: number, index: number, signal: AbortSignal) => Promise<AttemptResult<V, F>>,
	options: DeliveryOptions,
	/** Tasks an earlier try delivered are answered from here, and every delivery is recorded in it. */
	memory?: DeliveryMemory<V, F>,
): Promise<Array<ItemResult<V, F>>> {
	const clock = options.clock ?? systemClock;
	const results: Array<ItemResult<V, F>> = tasks.map((task) => (task === undefined ? { status: 'skipped' } : { status: 'not-sent' }));
	const pacer = options.pacer ?? new Pacer(options.ratePerSecond);
	let stopped = false;
	let next = 0;

	// Waits end on cancellation or on the stop after a failure; calls in flight only on
	// cancellation (a call already sent is better finished than left in doubt).
	const halt = new AbortController();
	const waits = new SignalFanOut([options.signal, halt.signal]);
	const calls = new SignalFanOut([options.signal]);
	const wait = async (ms: number): Promise<boolean> => {
		const { signal, release } = waits.child();
		try {
			return await clock.wait(ms, signal);
		} finally {
			release();
		}
	};

	const halted = (): Halt => (options.signal?.aborted ? 'cancelled' : stopped ? 'stopped' : undefined);

	/** Waits out a shared 429 pause and the rate limit before an attempt. */
	const acquire = async (): Promise<Halt> => {
		for (;;) {
			if (halted()) return halted();
			const now = clock.now();
			if (pacer.pausedUntil > now) {
				await wait(pacer.pausedUntil - now);
				continue;
			}
			if (pacer.interval > 0) {
				const slot = Math.max(now, pacer.nextSlot);
				pacer.nextSlot = slot + pacer.interval;
				if (slot > now) await wait(slot - now);
			}
			return halted();
		}
	};

	const deliverOne = async (index: number, task: T) => {
		const history: string[] = [];
		let last: { outcome: AttemptOutcome; failure: F } | undefined;
		for (let attempts = 1; ; attempts++) {
			const stop = await acquire();
			if (stop) {
				if (last) results[index] = { status: 'abandoned', failure: last.failure, attempts: attempts - 1, history };
				else results[index] = { status: stop === 'cancelled' ? 'cancelled' : 'not-sent' };
				return;
			}
			const call = calls.child();
			let result: AttemptResult<V, F>;
			try {
				result = await attempt(task, attempts, index, call.signal);
			} finally {
				call.release();
			}
			if (result.ok) {
				results[index] = { status: 'delivered', value: result.value, attempts };
				memory?.remember(index, { delivered: true, value: result.value, attempts });
				return;
			}
			history.push(result.label);
			last = result;
			if (options.signal?.aborted) {
				// Cut off by the cancel while in flight: the call may have done its work.
				results[index] = { status: 'abandoned', failure: result.failure, attempts, history };
				return;
			}
			const cause = classifyFailure(result.outcome);
			if (!shouldRetry(cause, attempts, options)) {
				const retriesExhausted = cause !== 'final' && attempts > options.maxRetries;
				results[index] = { status: 'failed', failure: result.failure, attempts, history, cause, retriesExhausted };
				// At Most Once: a call that may have arrived is not sent again by a later try either.
				if (cause === 'maybe-arrived' && options.ambiguous === 'fail') {
					memory?.remember(index, { delivered: false, failure: result.failure, attempts, history });
				}
				if (options.stopOnFailure) {
					stopped = true;
					halt.abort();
				}
				return;
			}
			const now = clock.now();
			const retryAfter = result.outcome.kind === 'answer' ? result.outcome.retryAfter : undefined;
			const delay = retryDelay({
				retry: attempts,
				options,
				retryAfterMs: parseRetryAfter(retryAfter, now),
				random: clock.random(),
			});
			if (result.outcome.kind === 'answer' && result.outcome.statusCode === 429) {
				pacer.pausedUntil = Math.max(pacer.pausedUntil, now + delay);
			}
			if (!(await wait(delay))) {
				results[index] = { status: 'abandoned', failure: result.failure, attempts, history };
				return;
			}
		}
	};

	const worker = async () => {
		while (next < tasks.length) {
			const index = next++;
			const task = tasks[index];
			if (task === undefined) continue;
			const earlier = memory?.recall(index);
			if (earlier?.delivered) {
				results[index] = { status: 'delivered', value: earlier.value, attempts: earlier.attempts, earlierTry: true };
				continue;
			}
			if (earlier) {
				const { failure, attempts, history } = earlier;
				results[index] = { status: 'failed', failure, attempts, history, cause: 'maybe-arrived', retriesExhausted: false, earlierTry: true };
				if (options.stopOnFailure) {
					stopped = true;
					halt.abort();
				}
				continue;
			}
			if (stopped || options.signal?.aborted) {
				results[index] = { status: options.signal?.aborted ? 'cancelled' : 'not-sent' };
				continue;
			}
			await deliverOne(index, task);
		}
	};

	const workers = Math.max(1, Math.min(options.concurrency, tasks.length));
	try {
		await Promise.all(Array.from({ length: workers }, worker));
	} finally {
		waits.dispose();
		calls.dispose();
	}
	return results;
}
