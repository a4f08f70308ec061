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
		timeout: options.timeoutMs,
		abortSignal: options.abortSignal,
	};
	if (request.body !== undefined) {
		http.body = JSON.stringify(request.body);
		http.headers = { ...http.headers, 'Content-Type': 'application/json' };
	}
	return toRawResponse((await this.helpers.httpRequestWithAuthentication.call(this, API_CREDENTIAL, http)) as IN8nHttpFullResponse);
}
