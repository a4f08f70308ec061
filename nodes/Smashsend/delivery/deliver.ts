import { callWithRetries, type AttemptResult, type CallContext, type CallResult } from './call';
import type { AdaptiveLimit } from './concurrencyLimit';
import { systemClock, type Clock } from './clock';
import type { TaskMemory, Remembered } from './retryOnFailMemory';
import { Pacer } from './pacer';
import type { RetryOptions } from './retryPolicy';
import { SignalFanOut } from './signals';

export type { AttemptResult, CallResult } from './call';

export interface DeliveryOptions extends RetryOptions {
	/** How many items are in flight at once; with `limiter`, the most (Concurrency: Auto). */
	concurrency: number;
	/** Concurrency: Auto — the calls in flight follow what the server's answers say. */
	limiter?: AdaptiveLimit;
	/** Most calls started per second across all items (0 or undefined: no limit). */
	ratePerSecond?: number;
	/** Stop starting new items once one item has failed for good. */
	stopOnFailure: boolean;
	/** Shares the rate limit and 429 pauses with other calls of the execution; `ratePerSecond` is then ignored. */
	pacer?: Pacer;
	/** n8n's cancel signal: waits and new calls stop when it fires. */
	signal?: AbortSignal;
	clock?: Clock;
	/** Counts the calls sent (see CallContext). */
	sent?: { count: number };
	/** Told of each task's outcome as soon as it has one (and memory has it): what only the call needed can go. */
	onSettled?(index: number, result: CallResult<unknown, unknown>): void;
}

/** An item's outcome; `skipped` for an item that failed before delivery (bad data). */
export type ItemResult<V, F> = CallResult<V, F> | { status: 'skipped' };

/** Makes one call with the delivery's retries, pace and signals (see call.ts). */
export type Caller<F> = <V>(
	send: (attemptNumber: number, signal: AbortSignal) => Promise<AttemptResult<V, F>>,
) => Promise<CallResult<V, F>>;

/**
 * Delivers every task with bounded concurrency: `work` turns one task into its outcome
 * through as many calls as it needs (one, or one per page of a listing), each made with
 * `call`. Results come back in task order; tasks given as `undefined` are skipped (they
 * failed before delivery). With `stopOnFailure`, no new task starts once one has failed
 * for good, and waits end; calls in flight finish. `memory` answers tasks an earlier try of
 * the same node run settled (n8n's Retry On Fail) and records what this one settles.
 */
export async function deliverItems<T, V, F>(
	tasks: Array<T | undefined>,
	work: (task: T, index: number, call: Caller<F>) => Promise<CallResult<V, F>>,
	options: DeliveryOptions,
	memory?: TaskMemory<V, F>,
): Promise<Array<ItemResult<V, F>>> {
	const results: Array<ItemResult<V, F>> = tasks.map((task) => (task === undefined ? { status: 'skipped' } : { status: 'not-sent' }));
	let next = 0;
	const { context, stop, dispose } = openDelivery(options);
	const call: Caller<F> = async (send) => await callWithRetries(send, context);

	const worker = async () => {
		while (next < tasks.length) {
			const index = next++;
			const task = tasks[index];
			if (task === undefined) continue;
			const earlier = memory?.recall(index);
			if (earlier) {
				results[index] = fromEarlierTry(earlier);
				if (!earlier.delivered && options.stopOnFailure) stop();
				continue;
			}
			const halted = context.halted();
			if (halted) {
				results[index] = { status: halted === 'cancelled' ? 'cancelled' : 'not-sent' };
				continue;
			}
			const result = await work(task, index, call);
			results[index] = result;
			if (result.status === 'delivered') memory?.remember(index, { delivered: true, value: result.value, attempts: result.attempts });
			options.onSettled?.(index, result);
			if (result.status === 'failed') {
				// At Most Once: a call that may have arrived is not sent again by a later try either.
				if (result.cause === 'maybe-arrived' && options.ambiguous === 'fail') {
					memory?.remember(index, { delivered: false, failure: result.failure, attempts: result.attempts, history: result.history });
				}
				if (options.stopOnFailure) stop();
			}
		}
	};

	const workers = Math.max(1, Math.min(options.concurrency, tasks.length));
	try {
		await Promise.all(Array.from({ length: workers }, worker));
	} finally {
		dispose();
	}
	return results;
}

/**
 * An item an earlier try of the same node run settled (n8n's Retry On Fail): delivered, with
 * what it produced; or, under At Most Once, failed because its call may have arrived.
 */
export function fromEarlierTry<V, F>(earlier: Remembered<V, F>): CallResult<V, F> {
	if (earlier.delivered) return { status: 'delivered', value: earlier.value, attempts: earlier.attempts, earlierTry: true };
	const { failure, attempts, history } = earlier;
	return { status: 'failed', failure, attempts, history, cause: 'maybe-arrived', retriesExhausted: false, earlierTry: true };
}

/**
 * What the calls of one delivery share (see CallContext), and `stop()`: no new call starts
 * and waits end, after an item failed for good under `stopOnFailure`. Dispose of it when done.
 */
export function openDelivery(options: DeliveryOptions): { context: CallContext; stop(): void; dispose(): void } {
	let stopped = false;
	const halt = new AbortController();
	const context: CallContext = {
		retry: options,
		pacer: options.pacer ?? new Pacer(options.ratePerSecond),
		clock: options.clock ?? systemClock,
		waits: new SignalFanOut([options.signal, halt.signal]),
		calls: new SignalFanOut([options.signal]),
		halted: () => (options.signal?.aborted ? 'cancelled' : stopped ? 'stopped' : undefined),
		limiter: options.limiter,
		sent: options.sent,
	};
	return {
		context,
		stop: () => {
			stopped = true;
			halt.abort();
		},
		dispose: () => {
			context.waits.dispose();
			context.calls.dispose();
		},
	};
}

/** Delivers every task with one call each (see deliverItems). */
export async function deliver<T, V, F>(
	tasks: Array<T | undefined>,
	/** One attempt of a task's call; `signal` aborts it when n8n cancels the execution. */
	attempt: (task: T, attemptNumber: number, index: number, signal: AbortSignal) => Promise<AttemptResult<V, F>>,
	options: DeliveryOptions,
	memory?: TaskMemory<V, F>,
): Promise<Array<ItemResult<V, F>>> {
	return await deliverItems(
		tasks,
		async (task, index, call) => await call((n, signal) => attempt(task, n, index, signal)),
		options,
		memory,
	);
}
