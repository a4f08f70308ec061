import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkEmail } from '../../helpers/emailAddress';
import { emailReader, parameterReader } from '../../helpers/parameterReaders';
import { forItem } from '../../contract/failures';
import type { PrepareContext } from '../../contract/Operation';
import type { FlowRunResult } from '../../channels/flowWebhook/flowRunAnswer';
import type { FlowCall } from '../../channels/flowWebhook/flowWebhookChannel';
import { encodeBody, formEncodingProblem, type BodyContentType } from '../../channels/flowWebhook/bodyEncoding';
import { buildPayload, type FieldAssignment, type PayloadMode } from './payload';

/** One item's flow call, and what its output needs. */
export interface FlowPlan {
	email: string;
	call: FlowCall;
	includeInputFields: boolean;
}

interface ItemReaders {
	email: (itemIndex: number) => unknown;
	mode: (itemIndex: number) => PayloadMode;
	options: (itemIndex: number) => IDataObject;
	fields: (itemIndex: number) => FieldAssignment[];
	json: (itemIndex: number) => unknown;
}

/** How each parameter is read: once when it holds no expression, per item otherwise (helpers/parameterReaders.ts). */
function itemReaders(this: IExecuteFunctions, items: INodeExecutionData[]): ItemReaders {
	return {
		email: emailReader(this, items),
		mode: parameterReader<PayloadMode>(this, 'payloadMode', 'allFields'),
		options: parameterReader<IDataObject>(this, 'options', {}),
		fields: (itemIndex) => this.getNodeParameter('fields.assignments', itemIndex, []) as FieldAssignment[],
		json: (itemIndex) => this.getNodeParameter('jsonBody', itemIndex, '{}'),
	};
}

function itemFailure(this: IExecuteFunctions, itemIndex: number, what: { message: string; description?: string }): NodeOperationError {
	return new NodeOperationError(this.getNode(), forItem(what.message, itemIndex), {
		itemIndex,
		description: [what.description, 'Nothing was sent to SMASHSEND for this item.'].filter(Boolean).join(' '),
	});
}

/** Reads one item's parameters and maps it to the body of its flow call; touches no network. */
export function prepareFlowCall(this: IExecuteFunctions, itemIndex: number, context: PrepareContext<FlowCall, FlowRunResult>): FlowPlan {
	const read = context.once('flowReaders', () => itemReaders.call(this, context.items));
	let failure: NodeOperationError | undefined;
	try {
		const emailCheck = checkEmail(read.email(itemIndex));
		if (!emailCheck.ok) throw itemFailure.call(this, itemIndex, emailCheck);
		const mode = read.mode(itemIndex);
		const options = read.options(itemIndex);
		const payload = buildPayload({
			mode,
			email: emailCheck.email,
			inputJson: context.items[itemIndex].json,
			fields: mode === 'definedFields' ? read.fields(itemIndex) : undefined,
			json: mode === 'json' ? read.json(itemIndex) : undefined,
		});
		if (!payload.ok) throw itemFailure.call(this, itemIndex, payload);
		const contentType = (options.bodyContentType ?? 'json') as BodyContentType;
		const formProblem = contentType === 'json' ? undefined : formEncodingProblem(payload.payload);
		if (formProblem) throw itemFailure.call(this, itemIndex, formProblem);
		const body = encodeBody(payload.payload, contentType);
		// A JSON body is the payload's JSON already; the form encodings carry a random boundary.
		const content = body.contentType === 'application/json' ? body.body : JSON.stringify(payload.payload);
		return {
			email: emailCheck.email,
			call: { body, idempotencyKey: context.callKey('flow', itemIndex, content) },
			includeInputFields: options.includeInputFields === true,
		};
	} catch (error) {
		failure =
			error instanceof NodeOperationError
				? error
				: itemFailure.call(this, itemIndex, { message: `The item's parameters could not be read: ${(error as Error).message}` });
	}
	throw failure;
}
