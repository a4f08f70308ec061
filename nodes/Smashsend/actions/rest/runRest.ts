import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { deliver, type AttemptResult, type DeliveryOptions, type ItemResult } from '../../delivery/deliver';
import { LIMITS, Pacer } from '../../delivery/pacer';
import { deliveredCalls } from '../../delivery/ledger';
import { classifyFailure } from '../../delivery/retryPolicy';
import { callKey, keyScope } from '../../helpers/idempotency';
import { failedItem } from '../../helpers/itemErrors';
import {
	describeDeliveryFailure,
	describeNetworkError,
	describeOtherItems,
	networkCause,
	networkCodeNote,
	networkErrorCode,
	networkLabel,
	type ErrorText,
} from '../../helpers/messages';
import type { FailedAnswer } from '../../helpers/response';
import { describeRestFailure, interpretRestResponse } from '../../helpers/restResponse';
import { API_CREDENTIAL, callRestApi, parseBaseUrl, type RestRequest } from '../../transport/restApi';

/** SMASHSEND's documented limits: 60 requests/minute on free accounts, events 1,000/minute. */
export const REST_DEFAULTS = {
	concurrency: 5,
	maxRetries: 5,
	maxRetryWaitSeconds: 60,
	baseDelayMs: 1000,
	timeoutMs: 30_000,
	ratePerMinute: 60,
	eventRatePerMinute: 1000,
};

/** The Options collection every REST operation has (the rate limit's default differs). */
export function restOptions(show: Record<string, string[]>, ratePerMinute: number): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				default: 5,
				typeOptions: { minValue: 1, maxValue: 100 },
				description: 'How many items are sent at once. The rate limit applies whatever this is.',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				default: 5,
				typeOptions: { minValue: 0, maxValue: 20 },
				description:
					"How often one call is retried after a rate limit (429), a server error (5xx), a timeout or a lost connection. Each retry waits longer, or as long as SMASHSEND's Retry-After asks.",
			},
			{
				displayName: 'Max Wait per Retry (Seconds)',
				name: 'maxRetryWait',
				type: 'number',
				default: 60,
				typeOptions: { minValue: 0, maxValue: 3600 },
				description: 'The longest single wait before a retry, Retry-After included (at most 3600 seconds)',
			},
			{
				displayName: 'Rate Limit (Requests per Minute)',
				name: 'rateLimit',
				type: 'number',
				default: ratePerMinute,
				typeOptions: { minValue: 0 },
				description: `At most this many calls per minute from this node (0: no limit). SMASHSEND documents ${ratePerMinute} per minute on free accounts; raise it if your plan allows more.`,
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				default: 30000,
				typeOptions: { minValue: 1, maxValue: 600000 },
				description: 'How long to wait for each answer before the call counts as failed (and is retried), at most 600000 ms',
			},
		],
	};
}

export interface PrepareContext {
	/** Custom properties of the workspace by apiSlug (fetched once per execution, on first use). */
	customProperties(): Promise<Map<string, CustomProperty>>;
	/** The key of one logical call (helpers/idempotency.ts), for ids SMASHSEND deduplicates by. */
	callKey(kind: string, itemIndex: number, content: unknown): string;
}

export interface CustomProperty {
	apiSlug: string;
	displayName: string;
	type: string;
	options?: string[];
}

/** One operation of the REST resources: how an item becomes a request, and an answer output items. */
export interface RestOperation<P> {
	/** "contact.upsert": names the operation in the keys of its calls. */
	kind: string;
	/** "Contacts saved for": the start of the sentence that lists the items that went through. */
	done: string;
	/**
	 * Whether a call changes something in SMASHSEND. Such calls, once delivered, are not sent
	 * again when n8n's Retry On Fail runs the node again (delivery/ledger.ts); reads are.
	 */
	changes: boolean;
	ratePerMinute: number;
	/** Reads and checks one item's parameters; throws NodeOperationError for bad data. */
	prepare(this: IExecuteFunctions, itemIndex: number, context: PrepareContext): Promise<P>;
	request(plan: P): RestRequest;
	/** For listings: the next page's request after an answer (undefined: done) and the page's items. */
	pages?: {
		/** The page's records; undefined when the answer holds no list (a malformed page). */
		items(json: IDataObject): IDataObject[] | undefined;
		next(json: IDataObject, plan: P, collected: number): RestRequest | undefined;
		/** Most items to output for one input item. */
		max(plan: P): number;
	};
	output(json: IDataObject, plan: P): IDataObject[];
	/**
	 * For a call that removes something: the output when a retry finds it gone (404) after an
	 * earlier attempt's answer was lost (a reset, a timeout, a 5xx): that attempt removed it.
	 */
	goneAfterLostAnswer?(plan: P): IDataObject[];
}

/** What an abandoned REST call means, in the sentence listing the other items. */
const UNSURE = 'SMASHSEND may or may not have carried the call out';

export type CallFailure = { answer: FailedAnswer } | { network: ErrorText; code?: string };
type Settings = Omit<DeliveryOptions, 'stopOnFailure' | 'signal' | 'clock' | 'pacer'> & { ratePerMinute: number; timeoutMs: number };

function positive(value: unknown, fallback: number, allowZero = false): number {
	const n = Number(value);
	return Number.isFinite(n) && (allowZero ? n >= 0 : n > 0) ? n : fallback;
}

export function settingsFrom(options: IDataObject, ratePerMinute: number): Settings {
	const rate = positive(options.rateLimit, ratePerMinute, true);
	return {
		concurrency: Math.min(100, Math.floor(positive(options.concurrency, REST_DEFAULTS.concurrency))),
		maxRetries: Math.min(20, Math.floor(positive(options.maxRetries, REST_DEFAULTS.maxRetries, true))),
		maxWaitMs: Math.min(positive(options.maxRetryWait, REST_DEFAULTS.maxRetryWaitSeconds, true), LIMITS.maxWaitSeconds) * 1000,
		baseDelayMs: REST_DEFAULTS.baseDelayMs,
		// Every REST call may be sent again: reads and upserts are idempotent, events carry a
		// messageId and emails an idempotency key that SMASHSEND deduplicates.
		ambiguous: 'retry',
		ratePerSecond: rate / 60,
		timeoutMs: Math.min(positive(options.timeout, REST_DEFAULTS.timeoutMs), LIMITS.maxTimeoutMs),
		ratePerMinute: rate,
	};
}

/**
 * Runs a REST operation for every input item through the delivery engine: bounded
 * concurrency, one rate limit for the whole execution (pages included), per-call retries
 * with Retry-After, cancellation, and per-item errors that honour "On Error".
 */
export async function runRest<P>(this: IExecuteFunctions, operation: RestOperation<P>): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	if (items.length === 0) return [];
	const credentials = await this.getCredentials(API_CREDENTIAL);
	const base = parseBaseUrl(credentials.baseUrl);
	if (!base.ok) throw new NodeOperationError(this.getNode(), base.reason, { description: 'Edit the SMASHSEND API credential of this node. Nothing was sent.' });
	const baseUrl = base.url;
	const continueOnFail = this.continueOnFail();
	const signal = this.getExecutionCancelSignal?.();
	const settings = settingsFrom(this.getNodeParameter('options', 0, {}) as IDataObject, operation.ratePerMinute);
	const pacer = new Pacer(settings.ratePerSecond);

	const send = async (request: RestRequest, callSignal: AbortSignal, itemIndex: number): Promise<AttemptResult<IDataObject, CallFailure>> => {
		let response;
		try {
			response = await callRestApi.call(this, baseUrl, request, { timeoutMs: settings.timeoutMs, abortSignal: callSignal });
		} catch (error) {
			const code = networkErrorCode(error);
			return {
				ok: false,
				outcome: { kind: 'network', code },
				failure: { network: describeNetworkError(code, itemIndex), code },
				label: networkLabel(code),
			};
		}
		const answer = interpretRestResponse(response);
		if (answer.ok) return { ok: true, value: answer.json };
		return {
			ok: false,
			outcome: { kind: 'answer', statusCode: answer.failure.statusCode, retryAfter: answer.failure.retryAfter },
			failure: { answer: answer.failure },
			label: `HTTP ${answer.failure.statusCode}`,
		};
	};

	/** One call with the execution's retries, Retry-After, pace and cancellation: pages and lookups. */
	const sendPaced = async (request: RestRequest, itemIndex: number): Promise<ItemResult<IDataObject, CallFailure>> => {
		const [result] = await deliver([request], async (r, _a, _i, callSignal) => await send(r, callSignal, itemIndex), {
			...settings,
			concurrency: 1,
			stopOnFailure: true,
			signal,
			pacer,
		});
		return result;
	};

	let definitions: ReturnType<typeof loadCustomProperties> | undefined;
	const scope = keyScope.call(this);
	const context: PrepareContext = {
		callKey: (kind, itemIndex, content) => callKey(scope, kind, itemIndex, JSON.stringify(content)),
		customProperties: async () => {
			definitions ??= loadCustomProperties((request) => sendPaced(request, -1));
			const loaded = await definitions;
			if (loaded.ok) return loaded.properties;
			const { failure } = loaded;
			const answered = 'answer' in failure;
			const why = answered ? `HTTP ${failure.answer.statusCode}: ${failure.answer.serverMessage}` : failure.code === undefined ? failure.network.message : networkCause(failure.code);
			// Every item that needs them fails (with its own error); the others can go through.
			throw new NodeOperationError(this.getNode(), `Could not load the workspace's custom properties from SMASHSEND (${why})`, {
				description: `Custom properties are looked up once per execution, to send each value with its property's type. ${answered ? '' : networkCodeNote(failure.code)}`.trim(),
			});
		},
	};

	const prepared: Array<P | NodeOperationError> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			prepared.push(await operation.prepare.call(this, itemIndex, context));
		} catch (error) {
			// Bad data, or an expression that failed for this item: the item fails alone.
			const itemError = error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			itemError.context.itemIndex = itemIndex;
			prepared.push(itemError);
		}
	}
	if (!continueOnFail) {
		const bad = prepared.filter((p): p is NodeOperationError => p instanceof NodeOperationError);
		if (bad.length > 0) {
			const first = bad[0];
			first.description = `${bad.length === 1 ? '' : `${bad.length} items have bad data (the first is shown). `}Nothing was sent to SMASHSEND: fix or filter the bad items, or set "On Error" to continue so that the other items go through.`;
			throw first;
		}
	}

	const tasks = prepared.map((p) => (p instanceof NodeOperationError ? undefined : p));
	const pages = operation.pages;
	// Only n8n's Retry On Fail runs the same node run again: only then is there anything to remember.
	const ledger = operation.changes && this.getNode().retryOnFail === true ? deliveredCalls.forRun<IDataObject[], CallFailure>(scope) : undefined;
	const keyOf = (index: number) => callKey(scope, operation.kind, index, JSON.stringify(operation.request(tasks[index] as P)));
	/** Items whose call may have been carried out although its answer was lost. */
	const maybeDone = new Set<number>();
	let output: INodeExecutionData[] | undefined;
	try {
		const results = await deliver<P, IDataObject[], CallFailure>(
			tasks,
			async (plan, _attempt, itemIndex, callSignal) => {
				if (!pages) {
					const result = await send(operation.request(plan), callSignal, itemIndex);
					if (result.ok) return { ok: true, value: operation.output(result.value, plan) };
					const gone = 'answer' in result.failure && result.failure.answer.statusCode === 404;
					if (gone && operation.goneAfterLostAnswer && maybeDone.has(itemIndex)) return { ok: true, value: operation.goneAfterLostAnswer(plan) };
					if (classifyFailure(result.outcome) === 'maybe-arrived') maybeDone.add(itemIndex);
					return result;
				}
				// A listing: every page is one call of its own (retried on its own), all under one pace.
				const listing = await walkPages(operation.request(plan), pages.items, (json, collected) => pages.next(json, plan, collected), pages.max(plan), (request) => sendPaced(request, itemIndex), `SMASHSEND's listing for item ${itemIndex}`);
				if (!listing.ok) return { ok: false, outcome: { kind: 'network', code: 'PAGE_FAILED' }, failure: listing.failure, label: 'page failed' };
				return { ok: true, value: listing.items.flatMap((json) => operation.output(json, plan)) };
			},
			// For listings the pages take the rate-limit slots; the item itself must not take one too.
			{ ...settings, maxRetries: pages ? 0 : settings.maxRetries, stopOnFailure: !continueOnFail, signal, pacer: pages ? new Pacer() : pacer },
			ledger?.memory(keyOf),
		);
		output = restOutput.call(this, { operation, prepared, results, continueOnFail, ratePerMinute: settings.ratePerMinute, signal });
		return output;
	} finally {
		ledger?.close(output);
	}
}

function restOutput<P>(
	this: IExecuteFunctions,
	run: {
		operation: RestOperation<P>;
		prepared: Array<P | NodeOperationError>;
		results: Array<ItemResult<IDataObject[], CallFailure>>;
		continueOnFail: boolean;
		ratePerMinute: number;
		signal: AbortSignal | undefined;
	},
): INodeExecutionData[] {
	const { operation, prepared, results, continueOnFail, ratePerMinute, signal } = run;
	if (signal?.aborted) {
		throw new NodeOperationError(this.getNode(), 'The execution was cancelled while sending items to SMASHSEND', {
			description: describeOtherItems(results, -1, { done: operation.done, unsure: UNSURE }),
		});
	}

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < prepared.length; itemIndex++) {
		const plan = prepared[itemIndex];
		const result = results[itemIndex];
		if (plan instanceof NodeOperationError) {
			output.push(failedItem(plan, itemIndex));
			continue;
		}
		if (result.status === 'delivered') {
			for (const json of result.value) output.push({ json, pairedItem: { item: itemIndex } });
			continue;
		}
		if (result.status === 'failed' || result.status === 'abandoned') {
			const error = toNodeError.call(this, result, itemIndex, ratePerMinute);
			if (continueOnFail) {
				output.push(failedItem(error, itemIndex, { attempts: result.attempts }));
				continue;
			}
			if (result.status === 'abandoned') continue;
			error.description = [error.description, describeOtherItems(results, itemIndex, { done: operation.done, unsure: UNSURE })].filter(Boolean).join(' ');
			throw error;
		}
	}
	return output;
}

function toNodeError(
	this: IExecuteFunctions,
	result: Extract<ItemResult<IDataObject[], CallFailure>, { status: 'failed' | 'abandoned' }>,
	itemIndex: number,
	ratePerMinute: number,
): NodeApiError {
	const text = describeDeliveryFailure({
		result,
		itemIndex,
		ambiguous: 'retry',
		describeAnswer: (answer, index) => describeRestFailure(answer, index, ratePerMinute),
	});
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

/** A listing never has more pages than this (a million contacts at 100 a page). */
export const MAX_PAGES = 10_000;

export type Listing = { ok: true; items: IDataObject[] } | { ok: false; failure: CallFailure };

/**
 * Fetches a listing page by page until `next` says it is done or `max` records are in. Each
 * page is one call through `sendPage` (its own retries). A page that holds no list, a page
 * asked for twice (a server repeating its cursor) and a listing past MAX_PAGES end the
 * listing with an error instead of a crash or an endless loop; it never throws.
 */
export async function walkPages(
	first: RestRequest,
	itemsOf: (json: IDataObject) => IDataObject[] | undefined,
	next: (json: IDataObject, collected: number) => RestRequest | undefined,
	max: number,
	sendPage: (request: RestRequest) => Promise<ItemResult<IDataObject, CallFailure>>,
	/** "SMASHSEND's listing for item 3": what the errors call it. */
	subject: string,
): Promise<Listing> {
	const collected: IDataObject[] = [];
	const asked = new Set<string>();
	const stop = (why: string): Listing => ({
		ok: false,
		failure: {
			network: {
				message: `${subject} could not be read: ${why}`,
				description: `Stopped after ${asked.size} page${asked.size === 1 ? '' : 's'} and ${collected.length} records; nothing was output for this item. Narrow the listing (filters, Limit) or try again later.`,
			},
		},
	});
	let request: RestRequest | undefined = first;
	while (request) {
		const key = JSON.stringify(request);
		if (asked.has(key)) return stop('it sent the same page twice (its cursor did not move on)');
		if (asked.size >= MAX_PAGES) return stop(`it had more than ${MAX_PAGES} pages`);
		asked.add(key);
		const page = await sendPage(request);
		if (page.status !== 'delivered') {
			if (page.status === 'failed' || page.status === 'abandoned') return { ok: false, failure: page.failure };
			return { ok: false, failure: { network: { message: `${subject} was cut short: the execution was cancelled`, description: '' }, code: 'ERR_CANCELED' } };
		}
		const records = itemsOf(page.value);
		if (!Array.isArray(records)) return stop(`page ${asked.size} holds no list of records`);
		collected.push(...records);
		request = next(page.value, collected.length);
	}
	// A server may send more than a page asked for; the limit is the user's.
	return { ok: true, items: collected.slice(0, max) };
}

/** `GET /contacts/properties?type=CUSTOM`, every page: the properties by apiSlug, or why they could not be had. */
export async function loadCustomProperties(
	sendPage: (request: RestRequest) => Promise<ItemResult<IDataObject, CallFailure>>,
): Promise<{ ok: true; properties: Map<string, CustomProperty> } | { ok: false; failure: CallFailure }> {
	const request = (cursor?: string): RestRequest => ({ method: 'GET', path: '/contacts/properties', qs: { type: 'CUSTOM', limit: 100, ...(cursor ? { cursor } : {}) } });
	const listing = await walkPages(
		request(),
		(json) => propertiesPage(json).items,
		(json) => {
			const { hasMore, cursor } = propertiesPage(json);
			return hasMore && cursor ? request(cursor) : undefined;
		},
		Number.POSITIVE_INFINITY,
		sendPage,
		"SMASHSEND's list of custom properties",
	);
	if (!listing.ok) return listing;
	return { ok: true, properties: new Map(customPropertiesOf({ properties: listing.items }).map((p) => [p.apiSlug, p])) };
}

/** One page of custom properties: `{properties: {items, hasMore, cursor?}}`, or a bare list. */
function propertiesPage(json: IDataObject): { items?: IDataObject[]; hasMore: boolean; cursor?: string } {
	const container = json.properties as IDataObject | IDataObject[] | undefined;
	if (Array.isArray(container)) return { items: container, hasMore: false };
	const items = Array.isArray(container?.items) ? (container.items as IDataObject[]) : undefined;
	return { items, hasMore: container?.hasMore === true, cursor: typeof container?.cursor === 'string' ? container.cursor : undefined };
}

/** Reads `{properties: {items}}` (or a bare list), as SMASHSEND's two documented property endpoints may answer. */
export function customPropertiesOf(json: IDataObject): CustomProperty[] {
	const container = json.properties as IDataObject | IDataObject[] | undefined;
	const list = Array.isArray(container) ? container : Array.isArray(container?.items) ? (container.items as IDataObject[]) : [];
	return list
		.filter((p) => typeof p.apiSlug === 'string')
		.map((p) => ({
			apiSlug: String(p.apiSlug),
			displayName: typeof p.displayName === 'string' ? p.displayName : String(p.apiSlug),
			type: typeof p.type === 'string' ? p.type : 'STRING',
			options: Array.isArray(p.options) ? p.options.map(String) : undefined,
		}));
}
