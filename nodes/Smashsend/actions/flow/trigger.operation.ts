import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { deliver, type AttemptResult, type ItemResult } from '../../delivery/deliver';
import { LIMITS } from '../../delivery/pacer';
import { deliveredCalls } from '../../delivery/ledger';
import type { AmbiguousPolicy } from '../../delivery/retryPolicy';
import { checkEmail } from '../../helpers/email';
import { encodeBody, formEncodingProblem, type BodyContentType, type EncodedBody } from '../../helpers/encoding';
import { callKey, keyScope, type KeyScope } from '../../helpers/idempotency';
import { failedItem } from '../../helpers/itemErrors';
import {
	describeDeliveryFailure,
	describeNetworkError,
	describeOtherItems,
	networkErrorCode,
	networkLabel,
	type ErrorText,
} from '../../helpers/messages';
import { emailReader, parameterReader } from '../../helpers/parameters';
import { buildPayload, type FieldAssignment, type PayloadMode } from '../../helpers/payload';
import { interpretResponse, type FailedAnswer, type FlowRunResult } from '../../helpers/response';
import { parseWebhookUrl, redact, type FlowWebhook } from '../../helpers/webhookUrl';
import { callFlowWebhook } from '../../transport/flowWebhook';

export const CREDENTIAL_NAME = 'smashsendFlowWebhookApi';

/** Defaults; the README explains each one. */
export const DEFAULTS = {
	concurrency: 5,
	maxRetries: 5,
	maxRetryWaitSeconds: 60,
	baseDelayMs: 1000,
	timeoutMs: 30_000,
};

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
		hint: "The Email above is always sent as 'email'",
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
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 5,
				description: 'How many items are sent at the same time',
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
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 20 },
				default: 5,
				description:
					'How many times one item is sent again after a failure that can be retried (429, 408, 5xx, network errors). Only that item is sent again.',
			},
			{
				displayName: 'Max Wait per Retry (S)',
				name: 'maxRetryWait',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 3600 },
				default: 60,
				description:
					"The longest wait before one retry, in seconds (at most 3600). It caps both the growing backoff and SMASHSEND's Retry-After.",
			},
			{
				displayName: 'Rate Limit',
				name: 'rateLimit',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'The most calls started per second or per minute (see Rate Limit Period), retries included. 0 means no limit.',
			},
			{
				displayName: 'Rate Limit Period',
				name: 'rateLimitPeriod',
				type: 'options',
				default: 'second',
				options: [
					{ name: 'Per Second', value: 'second' },
					{ name: 'Per Minute', value: 'minute' },
				],
				description: 'Whether Rate Limit counts calls per second or per minute',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 600000 },
				default: 30000,
				description: 'How long to wait for SMASHSEND to answer one call, in milliseconds (at most 600000, ten minutes)',
			},
			{
				displayName: 'When Unsure If the Flow Started',
				name: 'ambiguousFailure',
				type: 'options',
				default: 'retry',
				description:
					'A timeout or a 5xx after the call was sent may mean the flow already started for the item. Every call carries an Idempotency-Key so that a server honouring it can drop a repeat.',
				options: [
					{
						name: 'Retry (At Least Once)',
						value: 'retry',
						description: 'Send the item again: no contact is missed, but one may get the flow twice',
					},
					{
						name: 'Fail the Item (At Most Once)',
						value: 'fail',
						description: 'Never send the item again: no contact gets the flow twice, but one may be missed',
					},
				],
			},
		],
	},
];

interface PreparedCall {
	itemIndex: number;
	email: string;
	body: EncodedBody;
	idempotencyKey: string;
	includeInputFields: boolean;
}

/** The failure of one attempt: SMASHSEND's answer, or what the network said. */
type CallFailure = { answer: FailedAnswer } | { network: ErrorText; code?: string };

function itemFailure(this: IExecuteFunctions, itemIndex: number, reason: string): NodeOperationError {
	return new NodeOperationError(this.getNode(), `Item ${itemIndex} ${reason}.`, {
		itemIndex,
		description: 'Nothing was sent to SMASHSEND for this item.',
	});
}

interface ItemReaders {
	/** What this run's keys have in common (helpers/idempotency.ts). */
	scope: KeyScope;
	email: (itemIndex: number) => unknown;
	mode: (itemIndex: number) => PayloadMode;
	options: (itemIndex: number) => IDataObject;
	fields: (itemIndex: number) => FieldAssignment[];
	json: (itemIndex: number) => unknown;
}

function itemReaders(this: IExecuteFunctions, items: INodeExecutionData[]): ItemReaders {
	return {
		scope: keyScope.call(this),
		email: emailReader(this, items),
		mode: parameterReader<PayloadMode>(this, 'payloadMode', 'allFields'),
		options: parameterReader<IDataObject>(this, 'options', {}),
		fields: (itemIndex) => this.getNodeParameter('fields.assignments', itemIndex, []) as FieldAssignment[],
		json: (itemIndex) => this.getNodeParameter('jsonBody', itemIndex, '{}'),
	};
}

/** Reads one item's parameters and maps it to a request body; touches no network. */
function prepare(
	this: IExecuteFunctions,
	read: ItemReaders,
	item: INodeExecutionData,
	itemIndex: number,
): PreparedCall | NodeOperationError {
	try {
		const emailCheck = checkEmail(read.email(itemIndex));
		if (!emailCheck.ok) return itemFailure.call(this, itemIndex, emailCheck.reason);
		const mode = read.mode(itemIndex);
		const options = read.options(itemIndex);
		const payload = buildPayload({
			mode,
			email: emailCheck.email,
			inputJson: item.json,
			fields: mode === 'definedFields' ? read.fields(itemIndex) : undefined,
			json: mode === 'json' ? read.json(itemIndex) : undefined,
		});
		if (!payload.ok) return itemFailure.call(this, itemIndex, payload.reason);
		const contentType = (options.bodyContentType ?? 'json') as BodyContentType;
		const formProblem = contentType === 'json' ? undefined : formEncodingProblem(payload.payload);
		if (formProblem) return itemFailure.call(this, itemIndex, formProblem);
		const body = encodeBody(payload.payload, contentType);
		// A JSON body is the payload's JSON already; the form encodings carry a random boundary.
		const content = body.contentType === 'application/json' ? body.body : JSON.stringify(payload.payload);
		return {
			itemIndex,
			email: emailCheck.email,
			body,
			idempotencyKey: callKey(read.scope, 'flow', itemIndex, content),
			includeInputFields: options.includeInputFields === true,
		};
	} catch (error) {
		if (error instanceof NodeOperationError) return error;
		return itemFailure.call(this, itemIndex, `could not be read: ${(error as Error).message}`);
	}
}

function positiveNumber(value: unknown, fallback: number, { allowZero = false } = {}): number {
	const number = Number(value);
	if (!Number.isFinite(number) || number < 0 || (!allowZero && number === 0)) return fallback;
	return number;
}

/** The delivery knobs apply to the whole node: they come from the first item's options. */
export function deliverySettings(options: IDataObject) {
	const rate = positiveNumber(options.rateLimit, 0, { allowZero: true });
	return {
		concurrency: Math.min(100, Math.floor(positiveNumber(options.concurrency, DEFAULTS.concurrency))),
		maxRetries: Math.min(20, Math.floor(positiveNumber(options.maxRetries, DEFAULTS.maxRetries, { allowZero: true }))),
		maxWaitMs: Math.min(positiveNumber(options.maxRetryWait, DEFAULTS.maxRetryWaitSeconds, { allowZero: true }), LIMITS.maxWaitSeconds) * 1000,
		baseDelayMs: DEFAULTS.baseDelayMs,
		ambiguous: (options.ambiguousFailure === 'fail' ? 'fail' : 'retry') as AmbiguousPolicy,
		ratePerSecond: options.rateLimitPeriod === 'minute' ? rate / 60 : rate,
		timeoutMs: Math.min(positiveNumber(options.timeout, DEFAULTS.timeoutMs), LIMITS.maxTimeoutMs),
	};
}

/** One call for one item: its answer, or a failure the delivery can classify. */
async function attemptCall(
	this: IExecuteFunctions,
	call: PreparedCall,
	webhook: FlowWebhook,
	timeoutMs: number,
	abortSignal: AbortSignal | undefined,
): Promise<AttemptResult<FlowRunResult, CallFailure>> {
	let response;
	try {
		response = await callFlowWebhook.call(this, {
			url: webhook.url,
			body: call.body,
			idempotencyKey: call.idempotencyKey,
			timeoutMs,
			abortSignal,
		});
	} catch (error) {
		const code = networkErrorCode(error);
		return {
			ok: false,
			outcome: { kind: 'network', code },
			failure: { network: describeNetworkError(code, call.itemIndex), code },
			label: networkLabel(code),
		};
	}
	const answer = interpretResponse(response, webhook.secrets);
	if (answer.ok) return { ok: true, value: answer.result };
	return {
		ok: false,
		outcome: { kind: 'answer', statusCode: answer.failure.statusCode, retryAfter: answer.failure.retryAfter },
		failure: { answer: answer.failure },
		label: `HTTP ${answer.failure.statusCode}`,
	};
}

function toNodeError(
	this: IExecuteFunctions,
	result: Extract<ItemResult<FlowRunResult, CallFailure>, { status: 'failed' | 'abandoned' }>,
	itemIndex: number,
	ambiguous: AmbiguousPolicy,
): NodeApiError {
	const text = describeDeliveryFailure({ result, itemIndex, ambiguous });
	const { failure } = result;
	const errorBody: IDataObject =
		'answer' in failure
			? { statusCode: failure.answer.statusCode, message: failure.answer.serverMessage, error: failure.answer.serverError }
			: { message: failure.network.message };
	return new NodeApiError(this.getNode(), errorBody as never, {
		message: text.message,
		description: text.description,
		httpCode: 'answer' in failure ? String(failure.answer.statusCode) : undefined,
		itemIndex,
	});
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	if (items.length === 0) return [];
	const credentials = await this.getCredentials(CREDENTIAL_NAME);
	const parsed = parseWebhookUrl(credentials.webhookUrl);
	if (!parsed.ok) {
		throw new NodeOperationError(this.getNode(), parsed.reason, {
			description: 'Edit the SMASHSEND Flow Webhook credential of this node. Nothing was sent.',
		});
	}
	const webhook = parsed.webhook;
	const continueOnFail = this.continueOnFail();
	const signal = this.getExecutionCancelSignal?.();

	const read = itemReaders.call(this, items);
	const settings = deliverySettings(read.options(0));
	const prepared = items.map((item, itemIndex) => prepare.call(this, read, item, itemIndex));
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

	const tasks = prepared.map((p) => (p instanceof NodeOperationError ? undefined : p));
	// Only n8n's Retry On Fail runs the same node run again: only then is there anything to remember.
	const ledger = this.getNode().retryOnFail === true ? deliveredCalls.forRun<FlowRunResult, CallFailure>(read.scope) : undefined;
	const keyOf = (index: number) => (tasks[index] as PreparedCall).idempotencyKey;
	let output: INodeExecutionData[] | undefined;
	try {
		const results = await deliver(
			tasks,
			async (call, _attempt, _index, callSignal) => await attemptCall.call(this, call, webhook, settings.timeoutMs, callSignal),
			{ ...settings, stopOnFailure: !continueOnFail, signal },
			ledger?.memory(keyOf),
		);
		output = outputItems.call(this, { items, prepared, results, continueOnFail, settings, webhook, signal });
		return output;
	} finally {
		ledger?.close(output);
	}
}

function outputItems(
	this: IExecuteFunctions,
	run: {
		items: INodeExecutionData[];
		prepared: Array<PreparedCall | NodeOperationError>;
		results: Array<ItemResult<FlowRunResult, CallFailure>>;
		continueOnFail: boolean;
		settings: ReturnType<typeof deliverySettings>;
		webhook: FlowWebhook;
		signal: AbortSignal | undefined;
	},
): INodeExecutionData[] {
	const { items, prepared, results, continueOnFail, settings, webhook, signal } = run;

	if (signal?.aborted) {
		throw new NodeOperationError(this.getNode(), 'The execution was cancelled while sending items to SMASHSEND', {
			description: describeOtherItems(results, -1),
		});
	}

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const call = prepared[itemIndex];
		const result = results[itemIndex];
		if (call instanceof NodeOperationError) {
			output.push(failedItem(call, itemIndex));
			continue;
		}
		if (result.status === 'delivered') {
			const json: IDataObject = { email: call.email, ...result.value, attempts: result.attempts };
			output.push({
				json: call.includeInputFields ? { ...items[itemIndex].json, ...json } : json,
				pairedItem: { item: itemIndex },
			});
			continue;
		}
		if (result.status === 'failed' || result.status === 'abandoned') {
			const error = toNodeError.call(this, result, itemIndex, settings.ambiguous);
			if (continueOnFail) {
				output.push(failedItem(error, itemIndex, { email: call.email, attempts: result.attempts }));
				continue;
			}
			if (result.status === 'abandoned') continue;
			error.description = redact(
				[error.description, describeOtherItems(results, itemIndex)].filter(Boolean).join(' '),
				webhook.secrets,
			);
			throw error;
		}
	}
	return output;
}
