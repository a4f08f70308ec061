import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { httpRequest } from './n8nHttp';

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
	const { url, ...rest } = test.request;
	let options: IHttpRequestOptions = {
		...rest,
		url: url === '={{$credentials.webhookUrl}}' ? String(data.webhookUrl) : String(url),
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
		const body = response.body as unknown;
		const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[rule.properties.key] : undefined;
		if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
