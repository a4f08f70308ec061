import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { deliverBatches, type BatchAnswer, type BatchItemResult, type ItemVerdict } from '../delivery/batchDelivery';
import type { AttemptResult } from '../delivery/call';
import type { DeliveryOptions } from '../delivery/itemDelivery';
import type { TaskMemory } from '../delivery/retryOnFailMemory';
import { crashFailure, describeNetworkError, forItem, itemRanges, type CallFailure } from '../contract/failures';
import type { BatchItemError, BatchSpec, Channel, Operation } from '../contract/Operation';

/**
 * The batch size SMASHSEND accepted, by execution and node: once it answers that a batch is
 * too large, later runs of the node in the same execution (a loop) start at the smaller size.
 */
const learnedSizes = new Map<string, number>();
const MAX_LEARNED = 1000;

/**
 * Sends the items of a batch-capable operation several per call (delivery/batchDelivery.ts) and
 * turns each item's verdict into the output its one-item call would have given: one result per
 * item, in order, as runOperation's single-call path gives them.
 */
export async function callInBatches<P, R, A>(args: {
	operation: Operation<P, R, A> & { batch: BatchSpec<P, R, A> };
	channel: Channel<R, A>;
	tasks: Array<P | undefined>;
	items: INodeExecutionData[];
	options: DeliveryOptions & { batchSize: number };
	/** Execution and node: where a learned batch size is remembered. */
	scope: { execution: string; node: string };
	memory?: TaskMemory<IDataObject[], CallFailure>;
}): Promise<Array<BatchItemResult<IDataObject[], CallFailure>>> {
	const { operation, channel, tasks, items, options, memory } = args;
	const { batch } = operation;
	const where = `${args.scope.execution}\u0000${args.scope.node}`;
	const batchSize = Math.min(options.batchSize, learnedSizes.get(where) ?? Number.POSITIVE_INFINITY);

	const only = batch.only?.bind(batch);
	const send = async (
		indices: number[],
		attemptNumber: number,
		signal: AbortSignal,
	): Promise<AttemptResult<BatchAnswer<IDataObject[], CallFailure>, CallFailure>> => {
		let sent = false;
		try {
			const plans = indices.map((index) => tasks[index] as P);
			// With Batch Size 1 (beside items only a batch takes), an item the one-item call carries out goes in that call.
			const alone = options.batchSize === 1 && plans.length === 1 && !only?.(plans[0]);
			const request = alone ? operation.request(plans[0]) : batch.request(plans);
			sent = true;
			const attempt = await channel.send(request, indices[0], signal);
			return alone ? single(attempt, indices[0], attemptNumber) : batchVerdicts(attempt, indices, plans, attemptNumber);
		} catch (error) {
			// One batch's exception fails its items alone, never the node.
			return {
				ok: false,
				outcome: { kind: 'local', sent },
				failure: crashFailure(error, indices[0], sent, channel),
				label: sent ? 'failed in the node after it was sent' : 'failed in the node',
			};
		}
	};

	const single = (
		attempt: AttemptResult<A, CallFailure>,
		index: number,
		attemptNumber: number,
	): AttemptResult<BatchAnswer<IDataObject[], CallFailure>, CallFailure> => {
		if (!attempt.ok) return attempt;
		const plan = tasks[index] as P;
		const refused = operation.refuse?.(attempt.value, plan, index);
		const verdict: ItemVerdict<IDataObject[], CallFailure> = refused
			? { ok: false, retryable: false, label: 'refused', failure: { rejected: refused } }
			: { ok: true, value: operation.output(attempt.value, plan, items[index], attemptNumber) };
		return { ok: true, value: { verdicts: [verdict] } };
	};

	const batchVerdicts = (
		attempt: AttemptResult<A, CallFailure>,
		indices: number[],
		plans: P[],
		attemptNumber: number,
	): AttemptResult<BatchAnswer<IDataObject[], CallFailure>, CallFailure> => {
		if (!attempt.ok) {
			if ('answer' in attempt.failure && indices.length > 1 && batch.tooLarge(attempt.failure.answer)) {
				const answer: BatchAnswer<IDataObject[], CallFailure> = { tooLarge: true };
				return { ok: true as const, value: answer, untimed: true };
			}
			return attempt;
		}
		const { refused, allNamed } = batch.errors(attempt.value);
		// An answer that counts more failures than it names confirms no item: all are sent again,
		// which cannot count any twice (upserts by email, events with their messageId).
		const answers = allNamed ? batch.answers(attempt.value, plans) : [];
		const verdicts = indices.map((index, position): ItemVerdict<IDataObject[], CallFailure> => {
			const refusedItem = refused.get(position);
			if (refusedItem) return refusal(index, refusedItem);
			const answer: A | undefined = answers[position];
			if (answer === undefined) return unaccounted(index);
			return { ok: true, value: operation.output(answer, plans[position], items[index], attemptNumber) };
		});
		return { ok: true as const, value: { verdicts } };
	};

	const keyOf = operation.orderKey ? (index: number) => operation.orderKey?.(tasks[index] as P) : undefined;
	const groupOf = only ? (index: number) => (only(tasks[index] as P) ? 'only' : undefined) : undefined;
	const { results, batchSize: settled, sizeTaken } = await deliverBatches(tasks, send, { ...options, batchSize, keyOf, groupOf }, memory);
	// Learned only once SMASHSEND took a batch of that size: a 400 mistaken for "too large" does not turn batching off.
	if (sizeTaken && settled < batchSize) {
		learnedSizes.delete(where);
		learnedSizes.set(where, settled);
		if (learnedSizes.size > MAX_LEARNED) learnedSizes.delete(learnedSizes.keys().next().value as string);
	}
	// A whole batch's network failure was told for its first item: tell it for each.
	return results.map((result, index) => {
		if ((result.status !== 'failed' && result.status !== 'abandoned') || !('network' in result.failure)) return result;
		const { code } = result.failure;
		return { ...result, failure: { network: describeNetworkError(code, index, channel), code } };
	});
}

/** What the error of an item says when the one call of its batch failed: what holds for the call holds for each of them. */
export function sentWithNote(sentWith: number[] | undefined): string {
	if (!sentWith || sentWith.length < 2) return '';
	return `It was sent in one call with items ${itemRanges(sentWith)} (a batch of ${sentWith.length}): that call's answer is each item's.`;
}

function refusal(index: number, refused: BatchItemError): ItemVerdict<IDataObject[], CallFailure> {
	const code = refused.code ? ` (${refused.code})` : '';
	return {
		ok: false,
		retryable: refused.retryable,
		retryAfterMs: refused.retryAfterMs,
		label: `refused${refused.retryable ? ', retryable' : ''}${code}`,
		failure: {
			rejected: {
				message: forItem(`SMASHSEND rejected the item: ${refused.message}${code}`, index),
				description: refused.retryable
					? 'SMASHSEND said a later attempt may succeed. The other items sent with it were not affected.'
					: "Fix this item's data (see SMASHSEND's message); sending it again unchanged fails the same way. The other items sent with it were not affected.",
			},
			code: refused.code,
		},
	};
}

function unaccounted(index: number): ItemVerdict<IDataObject[], CallFailure> {
	return {
		ok: false,
		retryable: true,
		label: 'not in the answer',
		failure: {
			rejected: {
				message: forItem("SMASHSEND's answer to a batch did not say whether this item went through", index),
				description:
					"SMASHSEND's answer counted more refused items than it named, so it did not say whether this item went through. It was sent again while Max Retries allowed (which cannot count it twice). Check it in SMASHSEND.",
			},
		},
	};
}
