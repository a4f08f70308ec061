import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { API_CREDENTIAL } from '../credentials';
import { networkErrorCode } from './networkErrors';
import { startDeadline } from './deadline';
import { failedAnswer, readAnswer, toRawResponse, type FailedAnswer, type RawResponse } from './response';
import { USER_AGENT } from './userAgent';

export const DEFAULT_BASE_URL = 'https://api.smashsend.com';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether a URL's host is this machine: the only place a secret may travel over plain http. */
export function isLoopback(hostname: string): boolean {
	return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export interface RestRequest {
	method: IHttpRequestMethods;
	/** Below /v1, e.g. `/contacts/search`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

export type ApiContext = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions;

/** The credential's base URL without a trailing slash or /v1 (users paste either). */
export function normalizeBaseUrl(value: unknown): string {
	const text = typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_BASE_URL;
	return text.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/**
 * The credential's base URL, normalised, if the API key may travel to it: over https, or
 * plain http to this machine only (a test server). The reason says what to change.
 */
export function parseBaseUrl(value: unknown): { ok: true; url: string } | { ok: false; reason: string } {
	const text = normalizeBaseUrl(value);
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return {
			ok: false,
			reason: `The Base URL of the SMASHSEND API credential is not a URL. Leave it at ${DEFAULT_BASE_URL} unless you know otherwise.`,
		};
	}
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
		return {
			ok: false,
			reason: `The Base URL of the SMASHSEND API credential must start with https:// (plain http only for localhost), so that the API key never travels in clear text. Leave it at ${DEFAULT_BASE_URL} unless you know otherwise.`,
		};
	}
	if (url.username || url.password || url.search || url.hash) {
		return { ok: false, reason: 'The Base URL of the SMASHSEND API credential must not contain a user name, password, query or fragment.' };
	}
	return { ok: true, url: text };
}

/** n8n's request for one REST call: whatever the answer, as text, with its status (no redirect followed). */
function httpOptions(
	baseUrl: string,
	request: RestRequest,
	timeoutMs: number | undefined,
	abortSignal: AbortSignal | undefined,
): IHttpRequestOptions {
	const http: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}/v1${request.path}`,
		qs: request.qs,
		headers: { Accept: 'application/json', 'User-Agent': USER_AGENT },
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect elsewhere would carry the API key along on some n8n versions: never follow one.
		disableFollowRedirect: true,
		timeout: timeoutMs,
		abortSignal,
	};
	if (request.body !== undefined) {
		http.body = JSON.stringify(request.body);
		http.headers = { ...http.headers, 'Content-Type': 'application/json' };
	}
	return http;
}

/** A REST answer: the JSON object of a 2xx, or what went wrong in words safe to show. */
export type RestAnswer = { ok: true; json: IDataObject } | { ok: false; failure: FailedAnswer };

/**
 * Reads a REST answer; `redactText` removes secrets (the API key, should a page echo it) first,
 * and from a failure, which becomes an error's text, `redactFailure` too.
 * A 2xx with JSON or with no body at all (a 202, a 204) is SMASHSEND's success: its JSON object,
 * or an empty one. A 2xx with something else (an HTML page: a proxy's sign-in page, another
 * site at a wrong Base URL) confirms nothing: it is `unconfirmed`.
 */
export function interpretRestResponse(
	response: RawResponse,
	redactText: (text: string) => string = (text) => text,
	redactFailure: (text: string) => string = (text) => text,
): RestAnswer {
	const { statusCode } = response;
	if (statusCode < 200 || statusCode >= 300) {
		return {
			ok: false,
			failure: failedAnswer(
				response,
				readAnswer(response, (text) => redactFailure(redactText(text))),
			),
		};
	}
	const answer = readAnswer(response, redactText);
	if (answer.json === undefined && answer.body.trim() !== '') {
		const failure = failedAnswer(
			response,
			readAnswer(response, (text) => redactFailure(redactText(text))),
		);
		return { ok: false, failure: { ...failure, unconfirmed: true } };
	}
	const isObject = typeof answer.json === 'object' && answer.json !== null && !Array.isArray(answer.json);
	return { ok: true, json: isObject ? (answer.json as IDataObject) : {} };
}

/** One REST call as data: SMASHSEND's answer, or the code of the network failure. Never throws. */
export type RestOutcome =
	| { ok: true; statusCode: number; json: IDataObject }
	| { ok: false; failure: FailedAnswer }
	| { ok: false; network: { code?: string } };

/**
 * The only code that speaks HTTP to SMASHSEND's REST API: one call with the API key, within
 * `timeoutMs` from start to end (deadline.ts: a call past it fails as a timeout, ECONNABORTED,
 * whatever the server still sends). Never throws: HTTP error statuses are answers, a network
 * failure is its code (not n8n's error, whose cause holds the request with its Authorization
 * header on n8n 2.x).
 */
export async function restCall(
	this: ApiContext,
	baseUrl: string,
	request: RestRequest,
	options: {
		timeoutMs?: number;
		abortSignal?: AbortSignal;
		redact?: (text: string) => string;
		redactFailure?: (text: string) => string;
	} = {},
): Promise<RestOutcome> {
	const deadline = startDeadline(options.timeoutMs, options.abortSignal);
	let response: RawResponse;
	try {
		// (n8n puts the execution's cancel signal in place of the deadline's: the deadline is the race.)
		const http = httpOptions(baseUrl, request, options.timeoutMs, deadline.signal);
		const done = await deadline.race(this.helpers.httpRequestWithAuthentication.call(this, API_CREDENTIAL, http));
		if (done.late) return { ok: false, network: { code: 'ECONNABORTED' } };
		response = toRawResponse(done.value as IN8nHttpFullResponse);
	} catch (error) {
		return { ok: false, network: { code: networkErrorCode(error) } };
	} finally {
		deadline.end();
	}
	const answer = interpretRestResponse(response, options.redact, options.redactFailure);
	return answer.ok ? { ok: true, statusCode: response.statusCode, json: answer.json } : answer;
}
