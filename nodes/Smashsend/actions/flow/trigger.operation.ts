import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { checkEmail } from '../../helpers/email';
import { encodeBody, type BodyContentType, type EncodedBody } from '../../helpers/encoding';
import { failedItem } from '../../helpers/itemErrors';
import { describeFailedAnswer, describeNetworkError, networkErrorCode } from '../../helpers/messages';
import { buildPayload, type FieldAssignment, type PayloadMode } from '../../helpers/payload';
import { interpretResponse } from '../../helpers/response';
import { parseWebhookUrl, redact, type FlowWebhook } from '../../helpers/webhookUrl';
import { callFlowWebhook } from '../../transport/flowWebhook';

export const CREDENTIAL_NAME = 'smashsendFlowWebhookApi';
const DEFAULT_TIMEOUT_MS = 30_000;

const showFor = { show: { resource: ['flow'], operation: ['trigger'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '={{ $json.email }}',
		required: true,
		placeholder: 'name@example.com',
		description:
			'The contact the flow runs for. SMASHSEND requires it. By default it is read from the input item\'s "email" field.',
		hint: 'Items whose email is empty or not an address fail alone, and nothing is sent for them',
		displayOptions: showFor,
	},
	{
		displayName: 'Data to Send',
		name: 'payloadMode',
		type: 'options',
		default: 'allFields',
		description: 'What else the flow receives besides the email. Every field becomes available to all steps of the flow.',
		options: [
			{
				name: 'All Input Fields',
				value: 'allFields',
				description: "Send every field of the input item, with the email above in 'email'",
			},
			{
				name: 'Only Fields Defined Below',
				value: 'definedFields',
				description: 'Send the email and the fields you define, by name or by dragging them in',
			},
			{
				name: 'JSON',
				value: 'json',
				description: 'Send an object written as JSON (expressions allowed), with the email above in \'email\'',
			},
		],
		displayOptions: showFor,
	},
	{
		displayName: 'Fields to Send',
		name: 'fields',
		type: 'assignmentCollection',
		default: {},
		description: 'Fields the flow receives. Drag fields from the input panel or type a name and a value.',
		displayOptions: { show: { ...showFor.show, payloadMode: ['definedFields'] } },
	},
	{
		displayName: 'JSON',
		name: 'jsonBody',
		type: 'json',
		default: '{\n  "firstName": "",\n  "lastName": ""\n}',
		description: "An object whose fields the flow receives. The Email parameter above always sets 'email'.",
		displayOptions: { show: { ...showFor.show, payloadMode: ['json'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor,
		options: [
			{
				displayName: 'Body Content Type',
				name: 'bodyContentType',
				type: 'options',
				default: 'json',
				description:
					'How the data is encoded. Form encodings send nested fields in bracket notation (address[city], tags[0]) and every value as text.',
				options: [
					{ name: 'JSON', value: 'json' },
					{ name: 'Form-Data (Multipart)', value: 'multipart' },
					{ name: 'Form URL-Encoded', value: 'urlencoded' },
				],
			},
			{
				displayName: 'Include Input Fields',
				name: 'includeInputFields',
				type: 'boolean',
				default: false,
				description:
					'Whether to output the input item\'s fields next to flowRunId, success and message (SMASHSEND\'s fields win on a name clash)',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_TIMEOUT_MS,
				description: 'How long to wait for SMASHSEND to answer one call, in milliseconds',
			},
		],
	},
];

interface PreparedCall {
	itemIndex: number;
	email: string;
	body: EncodedBody;
	includeInputFields: boolean;
	timeoutMs: number;
}

function itemFailure(this: IExecuteFunctions, itemIndex: number, reason: string): NodeOperationError {
	return new NodeOperationError(this.getNode(), `Item ${itemIndex} ${reason}.`, {
		itemIndex,
		description: 'Nothing was sent to SMASHSEND for this item.',
	});
}

/** Reads one item's parameters and maps it to a request body; touches no network. */
function prepare(this: IExecuteFunctions, item: INodeExecutionData, itemIndex: number): PreparedCall | NodeOperationError {
	try {
		const emailCheck = checkEmail(this.getNodeParameter('email', itemIndex, undefined));
		if (!emailCheck.ok) return itemFailure.call(this, itemIndex, emailCheck.reason);
		const mode = this.getNodeParameter('payloadMode', itemIndex, 'allFields') as PayloadMode;
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const payload = buildPayload({
			mode,
			email: emailCheck.email,
			inputJson: item.json,
			fields:
				mode === 'definedFields'
					? (this.getNodeParameter('fields.assignments', itemIndex, []) as FieldAssignment[])
					: undefined,
			json: mode === 'json' ? this.getNodeParameter('jsonBody', itemIndex, '{}') : undefined,
		});
		if (!payload.ok) return itemFailure.call(this, itemIndex, payload.reason);
		const timeout = Number(options.timeout ?? DEFAULT_TIMEOUT_MS);
		return {
			itemIndex,
			email: emailCheck.email,
			body: encodeBody(payload.payload, (options.bodyContentType ?? 'json') as BodyContentType),
			includeInputFields: options.includeInputFields === true,
			timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS,
		};
	} catch (error) {
		if (error instanceof NodeOperationError) return error;
		return itemFailure.call(this, itemIndex, `could not be read: ${(error as Error).message}`);
	}
}

/** Sends one prepared item and returns its output json, or the error that explains the failure. */
async function send(
	this: IExecuteFunctions,
	call: PreparedCall,
	webhook: FlowWebhook,
): Promise<{ ok: true; json: IDataObject } | { ok: false; error: NodeApiError }> {
	let response;
	try {
		response = await callFlowWebhook.call(this, {
			url: webhook.url,
			body: call.body,
			timeoutMs: call.timeoutMs,
			abortSignal: this.getExecutionCancelSignal?.(),
		});
	} catch (error) {
		const code = networkErrorCode(error);
		const text = describeNetworkError(code, call.itemIndex);
		return {
			ok: false,
			error: new NodeApiError(
				this.getNode(),
				{ message: text.message },
				{ message: text.message, description: text.description, itemIndex: call.itemIndex },
			),
		};
	}
	const answer = interpretResponse(response, webhook.secrets);
	if (!answer.ok) {
		const text = describeFailedAnswer(answer.failure, call.itemIndex);
		const errorBody: IDataObject = { statusCode: answer.failure.statusCode, message: answer.failure.serverMessage };
		if (answer.failure.serverError) errorBody.error = answer.failure.serverError;
		return {
			ok: false,
			error: new NodeApiError(this.getNode(), errorBody as never, {
				message: text.message,
				description: text.description,
				httpCode: String(answer.failure.statusCode),
				itemIndex: call.itemIndex,
			}),
		};
	}
	return { ok: true, json: { email: call.email, ...answer.result } };
}

function otherItemsNote(itemIndex: number, total: number): string {
	const before = itemIndex === 0 ? '' : itemIndex === 1 ? 'Item 0 was sent. ' : `Items 0–${itemIndex - 1} were sent. `;
	const after =
		itemIndex === total - 1 ? '' : itemIndex === total - 2 ? `Item ${total - 1} was not sent.` : `Items ${itemIndex + 1}–${total - 1} were not sent.`;
	return `${before}${after}`.trim();
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const credentials = await this.getCredentials(CREDENTIAL_NAME);
	const parsed = parseWebhookUrl(credentials.webhookUrl);
	if (!parsed.ok) {
		throw new NodeOperationError(this.getNode(), parsed.reason, {
			description: 'Edit the SMASHSEND Flow Webhook credential of this node. Nothing was sent.',
		});
	}
	const webhook = parsed.webhook;
	const continueOnFail = this.continueOnFail();

	const prepared = items.map((item, itemIndex) => prepare.call(this, item, itemIndex));
	if (!continueOnFail) {
		const bad = prepared.filter((p): p is NodeOperationError => p instanceof NodeOperationError);
		if (bad.length > 0) {
			// Fail before sending anything: a rerun after fixing the data then sends every item once.
			const first = bad[0];
			first.description =
				bad.length === 1
					? 'Nothing was sent to SMASHSEND: fix this item, filter it out, or set "On Error" to continue so that the other items go through.'
					: `${bad.length} items have bad data (the first is shown). Nothing was sent to SMASHSEND: fix or filter them, or set "On Error" to continue so that the other items go through.`;
			throw first;
		}
	}

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const call = prepared[itemIndex];
		if (call instanceof NodeOperationError) {
			output.push(failedItem(call, itemIndex));
			continue;
		}
		const result = await send.call(this, call, webhook);
		if (!result.ok) {
			if (continueOnFail) {
				output.push(failedItem(result.error, itemIndex, { email: call.email }));
				continue;
			}
			const note = otherItemsNote(itemIndex, items.length);
			result.error.description = redact(
				[result.error.description, note].filter(Boolean).join(' '),
				webhook.secrets,
			);
			throw result.error;
		}
		output.push({
			json: call.includeInputFields ? { ...items[itemIndex].json, ...result.json } : result.json,
			pairedItem: { item: itemIndex },
		});
	}
	return output;
}
