import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { loadCustomProperties, type CallFailure } from '../actions/rest/runRest';
import type { ItemResult } from '../delivery/deliver';
import { networkCause, networkCodeNote, networkErrorCode } from '../helpers/messages';
import { interpretRestResponse } from '../helpers/restResponse';
import { API_CREDENTIAL, callRestApi, parseBaseUrl } from '../transport/restApi';

const TYPE_NAMES: Record<string, string> = {
	BOOLEAN: 'true/false',
	DATE: 'date',
	MULTI_SELECT: 'multi-select',
	NUMBER: 'number',
	SELECT: 'select',
	STRING: 'text',
};

/** The workspace's custom contact properties, by name, for the Custom Properties picker (every page of them). */
export async function getCustomProperties(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const credentials = await this.getCredentials(API_CREDENTIAL);
	const base = parseBaseUrl(credentials.baseUrl);
	if (!base.ok) throw new NodeOperationError(this.getNode(), base.reason);
	const baseUrl = base.url;
	const loaded = await loadCustomProperties(async (request): Promise<ItemResult<IDataObject, CallFailure>> => {
		let response;
		try {
			response = await callRestApi.call(this, baseUrl, request);
		} catch (error) {
			// Not n8n's error itself: on 2.x its cause holds the request, Authorization header included.
			const code = networkErrorCode(error);
			return { status: 'failed', failure: { network: { message: networkCause(code), description: networkCodeNote(code) }, code }, attempts: 1, history: [], cause: 'final', retriesExhausted: false };
		}
		const answer = interpretRestResponse(response);
		if (answer.ok) return { status: 'delivered', value: answer.json, attempts: 1 };
		return { status: 'failed', failure: { answer: answer.failure }, attempts: 1, history: [], cause: 'final', retriesExhausted: false };
	});
	if (!loaded.ok) {
		const { failure } = loaded;
		if ('answer' in failure) {
			throw new NodeOperationError(this.getNode(), `SMASHSEND did not list the custom properties (HTTP ${failure.answer.statusCode}): ${failure.answer.serverMessage}`);
		}
		throw new NodeOperationError(this.getNode(), `SMASHSEND did not list the custom properties: ${failure.network.message}`, {
			description: `${failure.network.description} Check the Base URL of the SMASHSEND API credential and that n8n can reach it.`.trim(),
		});
	}
	return [...loaded.properties.values()]
		.map((p) => ({
			name: p.displayName,
			value: p.apiSlug,
			description: `${p.apiSlug} · ${TYPE_NAMES[p.type] ?? p.type.toLowerCase()}${p.options ? `: ${p.options.join(', ')}` : ''}`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
