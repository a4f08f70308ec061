import { callWithRetries, waitFor, type AttemptResult, type CallResult } from './call';
import {
	fromEarlierTry,
	onEarlierTry,
	openDelivery,
	rememberOutcome,
	withLoss,
	type DeliveryOptions,
	type ItemResult,
} from './itemDelivery';
import { ItemOrder } from './itemOrder';
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
	 * Items with the same key (one contact) go in input order, each once the one before it is
	 * settled (itemOrder.ts): never in the same round of calls, so that each gets the answer its
	 * own call would have given, and the last item's data is what stays.
	 */
	keyOf?: (index: number) => string | undefined;
	/** Items of different groups never go in the same call (contacts with their own Created At, and without). */
	groupOf?: (index: number) => string | undefined;
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
	/** An attempt of a call that carried the item and may have been carried out (its label). */
	const lost = new Map<number, string>();
	const historyOf = (index: number) => histories.get(index) ?? [];
	let size = Math.max(1, Math.floor(options.batchSize));
	// Until SMASHSEND has taken a batch of the current size, one batch goes at a time: a
	// too-large answer then costs one call, not one per batch in flight.
	let sizeTaken = false;
	let queue: number[] = [];

	const { context, stop, dispose } = openDelivery(options);
	const indices = tasks.flatMap((task, index) => (task === undefined ? [] : [index]));
	const order = new ItemOrder(indices, options.keyOf);

	/** An item's outcome for good: remembered for Retry On Fail as deliverItems does, and its key's next item may go. */
	const settle = (index: number, result: BatchItemResult<V, F>) => {
		const told: BatchItemResult<V, F> =
			result.status === 'failed' && !result.earlierTry
				? withLoss(withLoss(result, lost.get(index)), onEarlierTry(memory?.lost(index)))
				: result.status === 'abandoned' && !result.lostAttempt && lost.has(index)
					? { ...result, lostAttempt: lost.get(index) }
					: result;
		results[index] = told;
		const earlierFailed = order.earlierFailed(index);
		order.settle(index, told.status === 'delivered');
		if (told.status === 'failed' && options.stopOnFailure) stop();
		const keepDelivered = options.rememberDelivered !== false && !earlierFailed;
		if (memory) rememberOutcome(memory, index, told, { ambiguous: options.ambiguous, keepDelivered });
	};

	for (const index of indices) {
		const earlier = memory?.recall(index);
		if (!earlier) queue.push(index);
		else settle(index, fromEarlierTry(earlier));
	}

	const { clock } = context;

	/** Sends one batch; returns the items to send again. */
	const sendBatch = async (batch: number[]): Promise<number[]> => {
		const result: CallResult<BatchAnswer<V, F>, F> = await callWithRetries((n, signal) => send(batch, n, signal), context);
		// A "too large" answer is no attempt of the items: SMASHSEND did not look at them.
		const tooLarge = result.status === 'delivered' && result.value.tooLarge === true;
		const calls = ('attempts' in result ? result.attempts : 0) - (tooLarge ? 1 : 0);
		// A batch refused for its size was not looked at: an earlier attempt's loss stays with the call, not with its items.
		const lostHere = !tooLarge && (result.status === 'delivered' || result.status === 'failed') ? result.lostAttempt : undefined;
		for (const index of batch) {
			attempts.set(index, (attempts.get(index) ?? 0) + calls);
			if ('history' in result && result.history) histories.set(index, [...historyOf(index), ...result.history]);
			if (lostHere && !lost.has(index)) lost.set(index, lostHere);
		}
		const tried = (index: number) => ({ attempts: attempts.get(index) ?? 0, history: historyOf(index) });
		if (result.status === 'failed' || result.status === 'abandoned') {
			for (const index of batch) settle(index, { ...result, ...tried(index), sentWith: batch });
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
				pending.delete(index);
				settle(index, { status: 'delivered', value: verdict.value, attempts: attempts.get(index) ?? 0 });
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
			settle(index, {
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
			const first = queue.filter((index) => order.isReady(index));
			const ready = first.filter((index) => (notBefore.get(index) ?? 0) <= now);
			if (ready.length === 0) {
				let until = Number.POSITIVE_INFINITY;
				for (const index of first) until = Math.min(until, notBefore.get(index) ?? now);
				if (!(await waitFor(context, until - now))) break;
				continue;
			}
			// Under Concurrency: Auto a round holds twice the limit's batches: retried items wait one round at most.
			const parallel = options.limiter ? Math.min(options.concurrency, 2 * options.limiter.limit) : options.concurrency;
			const batches = formRound(ready, size, sizeTaken ? Math.max(1, parallel) : 1, options.groupOf);
			const taken = new Set(batches.flat());
			// Every batch's call ends before the delivery does, even when one of them throws.
			const sent = await Promise.allSettled(batches.map(sendBatch));
			const crash = sent.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
			if (crash) throw crash.reason;
			const again = sent.flatMap((outcome) => (outcome.status === 'fulfilled' ? outcome.value : []));
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
			settle(index, { status: 'failed', failure, ...tried, cause: 'never-arrived', retriesExhausted: false });
		} else if (results[index].status === 'not-sent' && halted === 'cancelled') results[index] = { status: 'cancelled' };
	}
	return { results, batchSize: size, sizeTaken };
}

/**
 * The calls of one round: up to `parallel` batches of up to `size` ready items, in order, each
 * of one group (`groupOf`). The ready items are of different keys (one item per key is ready).
 */
function formRound(ready: number[], size: number, parallel: number, groupOf?: (index: number) => string | undefined): number[][] {
	const batches: number[][] = [];
	const filling = new Map<string | undefined, number[]>();
	for (const index of ready) {
		const group = groupOf?.(index);
		let current = filling.get(group);
		if (!current) {
			if (batches.length === parallel) continue;
			current = [];
			batches.push(current);
			filling.set(group, current);
		}
		current.push(index);
		if (current.length === size) filling.delete(group);
	}
	return batches;
}
