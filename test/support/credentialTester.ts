import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { httpRequest } from './n8nHttp';

/** lodash's `get` for the paths rules use (`status`, `status.length`, `status[0]`): what n8n reads a rule's key with. */
function get(value: unknown, path: string): unknown {
	let current: unknown = value;
	for (const part of path.split(/[.[\]]/).filter(Boolean)) {
		if (current === undefined || current === null) return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

/**
 * What n8n does when the editor tests a credential with a declarative `test`
 * (credentials-tester.service + routing node): resolve the request, apply the
 * credential's `authenticate`, send it, then check the answer against the rules in order.
 * The real editor runs this in the browser suite.
 */
export async function testCredential(
	credential: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const test = credential.test;
	if (!test) throw new Error('the credential has no test');
	const { url, baseURL, ...rest } = test.request;
	// The API credential's Base URL expression, as n8n resolves it: without a trailing slash or /v1.
	const base =
		baseURL === undefined
			? ''
			: String(baseURL).includes('$credentials.baseUrl')
				? String(data.baseUrl).replace(/\/+$/, '').replace(/\/v1$/, '')
				: String(baseURL);
	let options: IHttpRequestOptions = {
		...rest,
		url: url === '={{$credentials.webhookUrl}}' ? String(data.webhookUrl) : `${base}${String(url)}`,
		returnFullResponse: true,
	} as IHttpRequestOptions;
	let response: IN8nHttpFullResponse;
	try {
		if (typeof credential.authenticate === 'function') options = await credential.authenticate(data, options);
		response = (await httpRequest(options)) as IN8nHttpFullResponse;
	} catch (error) {
		const { code, response: failed } = error as { code?: string; response?: { status: number; statusText: string } };
		if (failed) return { status: 'Error', message: failed.statusText || `Received HTTP status code: ${failed.status}` };
		if (code) return { status: 'Error', message: code };
		return { status: 'Error', message: (error as Error).message };
	}
	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		// n8n reads the rule's key as a lodash path (credentials-tester.service: `get(responseData, key)`).
		if (get(response.body, rule.properties.key) === rule.properties.value) return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
