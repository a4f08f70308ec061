import type { CallContext, CallResult } from './call';
import type { AdaptiveLimit } from './concurrencyLimit';
import { systemClock, type Clock } from './clock';
import type { TaskMemory, Remembered } from './retryOnFailMemory';
import { ItemOrder } from './itemOrder';
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
	/**
	 * False: nothing delivered is remembered as done for n8n's Retry On Fail (an item that failed
	 * before delivery, its contact unknown, may be sent on the next try: everything goes again, in order).
	 */
	rememberDelivered?: boolean;
	/** Told of each task's outcome as soon as it has one (and memory has it): what only the call needed can go. */
	onSettled?(index: number, result: CallResult<unknown, unknown>): void;
}

/** An item's outcome; `skipped` for an item that failed before delivery (bad data). */
export type ItemResult<V, F> = CallResult<V, F> | { status: 'skipped' };

/**
 * Delivers every task with bounded concurrency: `work` turns one task into its outcome
 * through as many calls as it needs (one, or one per page of a listing), each made with
 * `callWithRetries(attempt, context)` (call.ts: the delivery's retries, pace and signals). Results come back in task order; tasks given as `undefined` are skipped (they
 * failed before delivery). Tasks of one key (`keyOf`: one contact) go in input order, each
 * once the one before it is settled (itemOrder.ts). With `stopOnFailure`, no new task starts
 * once one has failed for good, and waits end; calls in flight finish. `memory` answers tasks
 * an earlier try of the same node run settled (n8n's Retry On Fail) and records what this one
 * settles. A task whose `work` throws fails alone (`crashed` words it); the delivery returns
 * only once every call it started has ended.
 */
export async function deliverItems<T, V, F>(
	tasks: Array<T | undefined>,
	work: (task: T, index: number, context: CallContext) => Promise<CallResult<V, F>>,
	options: DeliveryOptions & {
		keyOf?: (index: number) => string | undefined;
		/** The outcome of a task whose work threw: it fails alone. */
		crashed?: (error: unknown, index: number) => CallResult<V, F>;
	},
	memory?: TaskMemory<V, F>,
): Promise<Array<ItemResult<V, F>>> {
	const results: Array<ItemResult<V, F>> = tasks.map((task) => (task === undefined ? { status: 'skipped' } : { status: 'not-sent' }));
	const indices = tasks.flatMap((task, index) => (task === undefined ? [] : [index]));
	const order = new ItemOrder(indices, options.keyOf);
	let left = indices.length;
	/** Workers waiting for an item of theirs to become ready (the one before it, of its key, is in flight). */
	const sleepers: Array<() => void> = [];
	const wakeAll = () => sleepers.splice(0).forEach((wake) => wake());
	const { context, stop, dispose } = openDelivery(options);
	let thrown: { error: unknown } | undefined;

	const settle = (index: number, result: ItemResult<V, F>) => {
		results[index] = result;
		const earlierFailed = order.earlierFailed(index);
		// The order first: whatever happens below, the next item of the key may go.
		if (order.settle(index, result.status === 'delivered') !== undefined) sleepers.shift()?.();
		if (result.status === 'failed' && options.stopOnFailure) stop();
		try {
			const keepDelivered = options.rememberDelivered !== false && !earlierFailed;
			if (memory) rememberOutcome(memory, index, result, { ambiguous: options.ambiguous, keepDelivered });
		} catch (error) {
			thrown ??= { error };
		}
	};

	const worker = async () => {
		for (;;) {
			const index = order.take();
			if (index === undefined) {
				if (left === 0) return;
				await new Promise<void>((wake) => sleepers.push(wake));
				continue;
			}
			if (--left === 0) wakeAll();
			const task = tasks[index] as T;
			let result: ItemResult<V, F>;
			try {
				const earlier = memory?.recall(index);
				const halted = context.halted();
				if (earlier) result = fromEarlierTry(earlier);
				else if (halted) result = { status: halted === 'cancelled' ? 'cancelled' : 'not-sent' };
				else {
					let outcome: CallResult<V, F> | undefined;
					try {
						outcome = await work(task, index, context);
					} catch (error) {
						// One task's exception fails that task alone (`crashed` words it), as a call that may
						// have been carried out would when an earlier try's attempt may have been; without
						// `crashed`, the delivery once every call has ended.
						if (options.crashed) outcome = options.crashed(error, index);
						else thrown ??= { error };
					}
					result = outcome ? withLoss(outcome, onEarlierTry(memory?.lost(index))) : { status: 'not-sent' };
				}
			} catch (error) {
				// Anything else (the memory, the wording of a crash) fails the delivery once every call has ended.
				thrown ??= { error };
				result = { status: 'not-sent' };
			}
			settle(index, result);
			try {
				if (result.status !== 'skipped') options.onSettled?.(index, result);
			} catch (error) {
				thrown ??= { error };
			}
		}
	};

	const workers = Math.max(1, Math.min(options.concurrency, tasks.length));
	try {
		await Promise.all(Array.from({ length: workers }, worker));
	} finally {
		dispose();
	}
	if (thrown) throw thrown.error;
	return results;
}

/**
 * What a later try of the same node run (n8n's Retry On Fail) must know of a task's outcome:
 * delivered (answered from memory then, unless `keepDelivered` is false: an earlier item of its
 * contact did not go through, so the next try sends both, in order, and is told this one went
 * through); under At Most Once, a call that may have arrived (not sent again); otherwise an
 * attempt that may have been carried out, for the wording of a later failure.
 */
export function rememberOutcome<V, F>(
	memory: TaskMemory<V, F>,
	index: number,
	result: ItemResult<V, F>,
	how: { ambiguous: 'retry' | 'fail'; keepDelivered: boolean },
): void {
	if (result.status === 'delivered') {
		if (result.earlierTry) return;
		if (how.keepDelivered) memory.remember(index, { delivered: true, value: result.value, attempts: result.attempts });
		else memory.noteLost(index, 'it went through');
		return;
	}
	if (result.status !== 'failed' && result.status !== 'abandoned') return;
	if (result.status === 'failed' && result.earlierTry) return;
	if (result.status === 'failed' && result.cause === 'maybe-arrived' && how.ambiguous === 'fail') {
		memory.remember(index, { delivered: false, failure: result.failure, attempts: result.attempts, history: result.history });
		return;
	}
	const lost = lostAttemptOf(result);
	if (lost) memory.noteLost(index, lost);
}

/** The label of an attempt of a call that failed (or was left) which may have been carried out, if any. */
export function lostAttemptOf<V, F>(result: CallResult<V, F>): string | undefined {
	if (result.status === 'abandoned') return result.lostAttempt;
	if (result.status !== 'failed' || result.cause !== 'maybe-arrived') return undefined;
	return result.lostAttempt ?? result.history.at(-1);
}

/**
 * A failure told that a call that carried the item may have been carried out (`lost`: that
 * attempt's label, see onEarlierTry): it may have been done, whatever later answers say.
 */
export function withLoss<V, F, R extends CallResult<V, F>>(result: R, lost: string | undefined): R {
	if (!lost || result.status !== 'failed' || result.cause === 'maybe-arrived') return result;
	return { ...result, cause: 'maybe-arrived', lostAttempt: lost };
}

/** The label of an attempt made by an earlier try of the same node run (n8n's Retry On Fail). */
export function onEarlierTry(lost: string | undefined): string | undefined {
	return lost && `${lost} on an earlier try of the node`;
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
