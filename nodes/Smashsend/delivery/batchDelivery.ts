import { callWithRetries, waitFor, type AttemptResult, type CallResult } from './call';
import { fromEarlierTry, openDelivery, type DeliveryOptions, type ItemResult } from './deliver';
import type { TaskMemory } from './retryOnFailMemory';
import { retryDelay } from './retryPolicy';

/** What a batch's answer says of one of its items. */
export type ItemVerdict<V, F> =
	| { ok: true; value: V }
	/** `retryable`: SMASHSEND says a later attempt may succeed (after `retryAfterMs`, if given). */
	| { ok: false; failure: F; retryable: boolean; retryAfterMs?: number; label: string };

/** A batch call's value: a verdict for each item, in the batch's order; or "too large, split it". */
export type BatchAnswer<V, F> = { tooLarge: true } | { tooLarge?: false; verdicts: Array<ItemVerdict<V, F>> };

export interface BatchOptions extends DeliveryOptions {
	/** Most items per call; halved whenever SMASHSEND answers that a batch is too large. */
	batchSize: number;
	/**
	 * Items with the same key never go in the same round of calls (two updates of one
	 * contact): each then gets the answer its own call would have given.
	 */
	keyOf?: (index: number) => string | undefined;
}

/** An item's outcome; `sentWith` lists the items of the call whose failure this is (the whole batch's). */
export type BatchItemResult<V, F> = ItemResult<V, F> & { sentWith?: number[] };

/**
 * Delivers tasks several per call. Each batch is one call (one unit of the rate limit) made
 * with the delivery's retries: a batch that fails as a whole (timeout, lost connection, 5xx,
 * 429) is sent again as it was, which only idempotent batches may be (upserts by email,
 * events with their messageId). Then each item has its own truth:
 *
 * - delivered: its value, from the batch's answer;
 * - failed alone and retryable (SMASHSEND says so): sent again in a later batch, after its
 *   Retry-After or the backoff, at most `maxRetries` times;
 * - failed alone otherwise: final, the other items unaffected;
 * - "too large" (`tooLarge`): the batch is split, and the smaller size kept for the rest.
 *
 * Up to `concurrency` batches are in flight at once, in rounds (one, until SMASHSEND has
 * taken a batch of the current size). Results come back in task
 * order; tasks given as `undefined` are skipped. With `stopOnFailure` no batch starts after an
 * item failed for good. `memory` answers items an earlier try of the node run delivered.
 */
export async function deliverBatches<T, V, F>(
	tasks: Array<T | undefined>,
	/** One attempt of one batch: the indices of its tasks, in order. */
	send: (batch: number[], attemptNumber: number, signal: AbortSignal) => Promise<AttemptResult<BatchAnswer<V, F>, F>>,
	options: BatchOptions,
	memory?: TaskMemory<V, F>,
): Promise<{ results: Array<BatchItemResult<V, F>>; batchSize: number; sizeTaken: boolean }> {
	const results: Array<BatchItemResult<V, F>> = tasks.map((task) => (task === undefined ? { status: 'skipped' } : { status: 'not-sent' }));
	const attempts = new Map<number, number>();
	const histories = new Map<number, string[]>();
	const retries = new Map<number, number>();
	const notBefore = new Map<number, number>();
	/** The last failure of an item waiting to be sent again. */
	const pending = new Map<number, F>();
	const historyOf = (index: number) => histories.get(index) ?? [];
	let size = Math.max(1, Math.floor(options.batchSize));
	// Until SMASHSEND has taken a batch of the current size, one batch goes at a time: a
	// too-large answer then costs one call, not one per batch in flight.
	let sizeTaken = false;
	let queue: number[] = [];

	const { context, stop, dispose } = openDelivery(options);
	for (const [index, task] of tasks.entries()) {
		if (task === undefined) continue;
		const earlier = memory?.recall(index);
		if (!earlier) queue.push(index);
		else {
			results[index] = fromEarlierTry(earlier);
			if (!earlier.delivered && options.stopOnFailure) stop();
		}
	}

	const { clock } = context;
	const failAlone = (index: number, result: BatchItemResult<V, F>) => {
		results[index] = result;
		if (result.status === 'failed' && options.stopOnFailure) stop();
	};

	/** Sends one batch; returns the items to send again. */
	const sendBatch = async (batch: number[]): Promise<number[]> => {
		const result: CallResult<BatchAnswer<V, F>, F> = await callWithRetries((n, signal) => send(batch, n, signal), context);
		// A "too large" answer is no attempt of the items: SMASHSEND did not look at them.
		const tooLarge = result.status === 'delivered' && result.value.tooLarge === true;
		const calls = ('attempts' in result ? result.attempts : 0) - (tooLarge ? 1 : 0);
		for (const index of batch) {
			attempts.set(index, (attempts.get(index) ?? 0) + calls);
			if ('history' in result && result.history) histories.set(index, [...historyOf(index), ...result.history]);
		}
		const tried = (index: number) => ({ attempts: attempts.get(index) ?? 0, history: historyOf(index) });
		if (result.status === 'failed' || result.status === 'abandoned') {
			for (const index of batch) failAlone(index, { ...result, ...tried(index), sentWith: batch });
			return [];
		}
		if (result.status !== 'delivered') return batch;
		const answer = result.value;
		if (answer.tooLarge) {
			size = Math.min(size, Math.max(1, Math.ceil(batch.length / 2)));
			return batch;
		}
		if (batch.length >= size) sizeTaken = true;
		if (answer.verdicts.length !== batch.length) throw new Error(`A batch of ${batch.length} got ${answer.verdicts.length} verdicts`);
		const again: number[] = [];
		const now = clock.now();
		// One draw for the whole answer: items refused together come due together, and go in one call again.
		const random = clock.random();
		answer.verdicts.forEach((verdict, position) => {
			const index = batch[position];
			if (verdict.ok) {
				results[index] = { status: 'delivered', value: verdict.value, attempts: attempts.get(index) ?? 0 };
				pending.delete(index);
				memory?.remember(index, { delivered: true, value: verdict.value, attempts: attempts.get(index) ?? 0 });
				return;
			}
			histories.set(index, [...historyOf(index), verdict.label]);
			const retry = (retries.get(index) ?? 0) + 1;
			if (verdict.retryable && retry <= options.maxRetries) {
				retries.set(index, retry);
				pending.set(index, verdict.failure);
				notBefore.set(index, now + retryDelay({ retry, options, retryAfterMs: verdict.retryAfterMs, random }));
				again.push(index);
				return;
			}
			pending.delete(index);
			failAlone(index, {
				status: 'failed',
				failure: verdict.failure,
				...tried(index),
				// SMASHSEND said the item failed: it did not do it.
				cause: verdict.retryable ? 'never-arrived' : 'final',
				retriesExhausted: verdict.retryable,
			});
		});
		return again;
	};

	try {
		while (queue.length > 0 && !context.halted()) {
			const now = clock.now();
			// An item waits while an earlier one of its key is still to be settled (a retry pending):
			// the calls for one contact go in the items' order, so the last item's data is what stays.
			const first = firstOfKeys(queue, options.keyOf);
			const ready = queue.filter((index) => (notBefore.get(index) ?? 0) <= now && first.has(index));
			if (ready.length === 0) {
				let until = Number.POSITIVE_INFINITY;
				for (const index of queue) if (first.has(index)) until = Math.min(until, notBefore.get(index) ?? now);
				if (!(await waitFor(context, until - now))) break;
				continue;
			}
			// Under Concurrency: Auto a round holds twice the limit's batches: retried items wait one round at most.
			const parallel = options.limiter ? Math.min(options.concurrency, 2 * options.limiter.limit) : options.concurrency;
			const batches = formRound(ready, size, sizeTaken ? Math.max(1, parallel) : 1, options.keyOf);
			const taken = new Set(batches.flat());
			const again = (await Promise.all(batches.map(sendBatch))).flat();
			queue = [...queue.filter((index) => !taken.has(index)), ...again].sort((a, b) => a - b);
		}
	} finally {
		dispose();
	}
	// Whatever is still queued was stopped: by a cancel, or by another item's failure. An item
	// waiting to be sent again has failed (SMASHSEND said so), not merely gone unconfirmed.
	const halted = context.halted();
	for (const index of queue) {
		const failure = pending.get(index);
		if (failure !== undefined) {
			const tried = { attempts: attempts.get(index) ?? 0, history: historyOf(index) };
			results[index] = { status: 'failed', failure, ...tried, cause: 'never-arrived', retriesExhausted: false };
		} else if (results[index].status === 'not-sent' && halted === 'cancelled') results[index] = { status: 'cancelled' };
	}
	return { results, batchSize: size, sizeTaken };
}

/** The items of `queue` (in order) that are the first of their key still to be settled; items without a key are all first. */
function firstOfKeys(queue: number[], keyOf?: (index: number) => string | undefined): Set<number> {
	if (!keyOf) return new Set(queue);
	const seen = new Set<string>();
	const first = new Set<number>();
	for (const index of queue) {
		const key = keyOf(index);
		if (key !== undefined && seen.has(key)) continue;
		if (key !== undefined) seen.add(key);
		first.add(index);
	}
	return first;
}

/**
 * The calls of one round: up to `parallel` batches of up to `size` ready items, in order;
 * an item whose key is already in the round waits for the next one.
 */
function formRound(ready: number[], size: number, parallel: number, keyOf?: (index: number) => string | undefined): number[][] {
	const batches: number[][] = [];
	const keys = new Set<string>();
	let current: number[] = [];
	for (const index of ready) {
		const key = keyOf?.(index);
		if (key !== undefined && keys.has(key)) continue;
		if (key !== undefined) keys.add(key);
		current.push(index);
		if (current.length === size) {
			batches.push(current);
			current = [];
			if (batches.length === parallel) return batches;
		}
	}
	if (current.length > 0) batches.push(current);
	return batches;
}
