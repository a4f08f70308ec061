import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { toRawResponse, type RawResponse } from '../helpers/response';
import { USER_AGENT } from '../helpers/userAgent';
import { isLoopback } from '../helpers/webhookUrl';

export const API_CREDENTIAL = 'smashsendApi';
export const DEFAULT_BASE_URL = 'https://api.smashsend.com';

export interface RestRequest {
	method: IHttpRequestMethods;
	/** Below /v1, e.g. `/contacts/search`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

type ApiContext = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions;

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
		return { ok: false, reason: `The Base URL of the SMASHSEND API credential is not a URL. Leave it at ${DEFAULT_BASE_URL} unless you know otherwise.` };
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

/**
 * The only code that speaks HTTP to SMASHSEND's REST API: one call with the API key,
 * whatever the answer. HTTP error statuses come back as responses; only network failures throw.
 */
export async function callRestApi(
	this: ApiContext,
	baseUrl: string,
	request: RestRequest,
	options: { timeoutMs?: number; abortSignal?: AbortSignal } = {},
): Promise<RawResponse> {
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
		timeout: options.timeoutMs,
		abortSignal: options.abortSignal,
	};
	if (request.body !== undefined) {
		http.body = JSON.stringify(request.body);
		http.headers = { ...http.headers, 'Content-Type': 'application/json' };
	}
	return toRawResponse((await this.helpers.httpRequestWithAuthentication.call(this, API_CREDENTIAL, http)) as IN8nHttpFullResponse);
}
