import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { BatchItemResult } from '../delivery/batchDelivery';
import type { ItemResult } from '../delivery/itemDelivery';
import { describeDeliveryFailure, describeOtherItems, failureText, forItem, type CallFailure } from '../contract/failures';
import type { Channel, Operation } from '../contract/Operation';
import type { Settings } from '../contract/settings';
import { sentWithNote } from './batchCalls';
import { failedItem } from './failedItem';

type Failed = Extract<ItemResult<IDataObject[], CallFailure>, { status: 'failed' | 'abandoned' }>;

/**
 * The output items of one run: each input item's output, paired with it, or its error worded
 * (runner/failures) and put where On Error says; under Stop Workflow the first failure throws,
 * naming what happened to the other items.
 */
export function outputItems<P, R, A>(
	this: IExecuteFunctions,
	run: {
		operation: Operation<P, R, A>;
		channel: Channel<R, A>;
		settings: Settings;
		prepared: Array<P | NodeOperationError>;
		results: Array<BatchItemResult<IDataObject[], CallFailure>>;
		continueOnFail: boolean;
		signal: AbortSignal | undefined;
	},
): INodeExecutionData[] {
	const { operation, channel, settings, prepared, results, continueOnFail, signal } = run;
	const wording = { successSentence: operation.successSentence, unsure: channel.unsure };
	if (signal?.aborted) {
		throw new NodeOperationError(this.getNode(), 'The execution was cancelled while sending items to SMASHSEND', {
			description: describeOtherItems(results, -1, wording),
		});
	}
	const output: INodeExecutionData[] = [];
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
	for (let itemIndex = 0; itemIndex < prepared.length; itemIndex++) {
		const plan = prepared[itemIndex];
		const result = results[itemIndex];
		if (plan instanceof NodeOperationError) {
			output.push(failedItem(plan, itemIndex, {}, toErrorOutput));
			continue;
		}
		if (result.status === 'delivered') {
			for (const json of result.value) output.push({ json, pairedItem: { item: itemIndex } });
			continue;
		}
		if (result.status !== 'failed' && result.status !== 'abandoned') continue;
		const error = toNodeError.call(this, result, itemIndex, channel, settings);
		const batchNote = sentWithNote(result.sentWith);
		if (batchNote) error.description = [error.description, batchNote].filter(Boolean).join(' ');
		if (continueOnFail) {
			output.push(failedItem(error, itemIndex, { ...operation.failedFields?.(plan), attempts: result.attempts }, toErrorOutput));
			continue;
		}
		if (result.status === 'abandoned') continue;
		error.description = channel.redact([error.description, describeOtherItems(results, itemIndex, wording)].filter(Boolean).join(' '));
		throw error;
	}
	return output;
}

function toNodeError<R, A>(
	this: IExecuteFunctions,
	result: Failed,
	itemIndex: number,
	channel: Channel<R, A>,
	settings: Settings,
): NodeApiError {
	const text = describeDeliveryFailure({
		result,
		itemIndex,
		ambiguous: settings.ambiguous,
		describeAnswer: channel.describeAnswer,
		words: channel,
	});
	const { failure } = result;
	const body: JsonObject =
		'answer' in failure
			? {
					statusCode: failure.answer.statusCode,
					message: failure.answer.serverMessage,
					...(failure.answer.serverError ? { error: failure.answer.serverError } : {}),
					...(failure.answer.requestId ? { requestId: failure.answer.requestId } : {}),
				}
			: { message: failureText(failure).message, ...('rejected' in failure && failure.code ? { error: failure.code } : {}) };
	return new NodeApiError(this.getNode(), body, {
		message: forItem(text.message, itemIndex),
		description: text.description,
		httpCode: 'answer' in failure ? String(failure.answer.statusCode) : undefined,
		itemIndex,
	});
}

/** An item of a retried run whose earlier try's record was dropped (delivery/retryOnFailMemory.ts): failed, not sent again. */
export function recordDropped(itemIndex: number): Failed {
	return {
		status: 'failed',
		failure: {
			rejected: {
				message: forItem('Not sent again when n8n retried the node (Retry On Fail)', itemIndex),
				description:
					"An earlier try of this node may have sent it, and the node's record of what that try sent was dropped to keep n8n's memory bounded (more than 100,000 calls were held). Check in SMASHSEND which items arrived, then send only the missing ones.",
			},
		},
		attempts: 0,
		history: [],
		cause: 'maybe-arrived',
		retriesExhausted: false,
	};
}
