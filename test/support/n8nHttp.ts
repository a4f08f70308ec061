import axios, { type AxiosRequestConfig } from 'axios';
import { NodeApiError as NodeApiErrorV2, type IHttpRequestOptions, type IN8nHttpFullResponse, type INode } from 'n8n-workflow';
import { NodeApiError as NodeApiErrorV1 } from 'n8n-workflow-v1';

import { selectedVersion } from '../../n8n-runtime/install';

/**
 * The subset of n8n-core's `helpers.httpRequest` (convertN8nRequestToAxios + httpRequest)
 * that the SMASHSEND node relies on, rebuilt on the same axios so that tests run the
 * node's transport over real HTTP. The real-n8n suite checks the real helper.
 */
export async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const headers: Record<string, string> = { ...((options.headers ?? {}) as Record<string, string>) };
	const find = (name: string) => Object.keys(headers).find((k) => k.toLowerCase() === name);
	if (options.json && !find('accept')) headers.Accept = 'application/json';
	if (!find('user-agent')) headers['User-Agent'] = 'n8n';
	const config: AxiosRequestConfig = {
		method: options.method,
		url: options.url,
		headers,
		timeout: options.timeout,
		maxBodyLength: Infinity,
		maxContentLength: Infinity,
		signal: options.abortSignal,
		params: options.qs,
	};
	// n8n sends a string body as is, and an object body only when it has properties.
	const { body } = options;
	if (typeof body === 'string' || (typeof body === 'object' && body !== null && Object.keys(body).length > 0)) {
		config.data = body;
	}
	if (options.encoding !== undefined) config.responseType = options.encoding;
	if (options.ignoreHttpStatusErrors) config.validateStatus = () => true;
	if (options.disableFollowRedirect) config.maxRedirects = 0;
	const result = await axios(config);
	if (options.returnFullResponse) {
		const full: IN8nHttpFullResponse = {
			body: result.data,
			headers: { ...result.headers },
			statusCode: result.status,
			statusMessage: result.statusText,
		};
		return full;
	}
	return result.data;
}

/** Which n8n line a stand-in helper behaves like: they differ in what they throw. */
export type N8nLine = 1 | 2;

/** The line the real-n8n suite runs (N8N_LINE), 2 by default. */
export const DEFAULT_LINE: N8nLine = selectedVersion().startsWith('1.') ? 1 : 2;

/**
 * n8n's `httpRequestWithAuthentication` for a credential with a generic `authenticate`:
 * its headers, with `{{$credentials.<name>}}` filled in, are added to the request. As in
 * n8n-core on both lines, the execution's cancel signal replaces the request's own, and
 * every failure is rethrown wrapped in that line's NodeApiError: on 2.x the original error
 * stays reachable as `cause`, on 1.x n8n-workflow drops it (its class field resets it).
 */
export function authenticatedHttpRequest(authenticate: unknown, credentials: Record<string, unknown>, line: N8nLine = DEFAULT_LINE) {
	return async function (
		this: { getNode?: () => INode; getExecutionCancelSignal?: () => AbortSignal | undefined } | undefined,
		_type: string,
		options: IHttpRequestOptions,
	): Promise<unknown> {
		const node =
			this?.getNode?.() ??
			({ id: 'node', name: 'SMASHSEND', type: 'n8n-nodes-smashsend.smashsend', typeVersion: 1, position: [0, 0], parameters: {} } as INode);
		let request: IHttpRequestOptions = { ...options };
		if (this && typeof this.getExecutionCancelSignal === 'function') request.abortSignal = this.getExecutionCancelSignal();
		try {
			request = await applyAuthentication(authenticate, credentials, request);
			return await httpRequest(request);
		} catch (error) {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			throw line === 1 ? new NodeApiErrorV1(node as any, error as any) : new NodeApiErrorV2(node, error as never);
		}
	};
}

/** n8n's credentialsHelper.authenticate: a credential's `authenticate` function, or its generic headers with `{{$credentials.<name>}}` filled in. */
async function applyAuthentication(
	authenticate: unknown,
	credentials: Record<string, unknown>,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (typeof authenticate === 'function') {
		return (
			(await (authenticate as (c: Record<string, unknown>, o: IHttpRequestOptions) => Promise<IHttpRequestOptions>)(
				credentials,
				options,
			)) ?? options
		);
	}
	const generic = authenticate as { properties?: { headers?: Record<string, string> } };
	const headers: Record<string, string> = { ...((options.headers ?? {}) as Record<string, string>) };
	for (const [name, template] of Object.entries(generic.properties?.headers ?? {})) {
		headers[name] = template
			.replace(/^=/, '')
			.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_m, key: string) => String(credentials[key] ?? ''));
	}
	return { ...options, headers };
}
