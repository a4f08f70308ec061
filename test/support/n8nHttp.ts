import axios, { type AxiosRequestConfig } from 'axios';
import type { IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

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

/**
 * n8n's `httpRequestWithAuthentication` for a credential with a generic `authenticate`:
 * its headers, with `{{$credentials.<name>}}` filled in, are added to the request.
 */
export function authenticatedHttpRequest(
	authenticate: { type: string; properties: { headers?: Record<string, string> } },
	credentials: Record<string, unknown>,
) {
	return async (_type: string, options: IHttpRequestOptions): Promise<unknown> => {
		const headers: Record<string, string> = { ...((options.headers ?? {}) as Record<string, string>) };
		for (const [name, template] of Object.entries(authenticate.properties.headers ?? {})) {
			headers[name] = template.replace(/^=/, '').replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_m, key: string) => String(credentials[key] ?? ''));
		}
		return await httpRequest({ ...options, headers });
	};
}
