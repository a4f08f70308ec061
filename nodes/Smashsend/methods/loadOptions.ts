import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { API_CREDENTIAL } from '../../shared/credentials';
import { networkCause, networkCodeNote } from '../../shared/transport/networkErrors';
import { parseBaseUrl, restCall } from '../../shared/transport/restApi';
import { loadCustomProperties, whyNotLoaded } from '../actions/contact/customProperties';
import type { CallResult } from '../delivery/call';
import type { CallFailure } from '../helpers/messages';

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
	// The editor waits for the list: one call per page, no retries.
	const loaded = await loadCustomProperties(async (request): Promise<CallResult<IDataObject, CallFailure>> => {
		const outcome = await restCall.call(this, base.url, request);
		if (outcome.ok) return { status: 'delivered', value: outcome.json, attempts: 1 };
		const failure: CallFailure =
			'network' in outcome
				? {
						network: { message: networkCause(outcome.network.code), description: networkCodeNote(outcome.network.code) },
						code: outcome.network.code,
					}
				: { answer: outcome.failure };
		return { status: 'failed', failure, attempts: 1, history: [], cause: 'final', retriesExhausted: false };
	});
	if (!loaded.ok) {
		const { failure } = loaded;
		if ('answer' in failure) {
			throw new NodeOperationError(
				this.getNode(),
				`SMASHSEND did not list the custom properties (HTTP ${failure.answer.statusCode}): ${failure.answer.serverMessage}`,
			);
		}
		const { why, note } = whyNotLoaded(failure);
		throw new NodeOperationError(this.getNode(), `SMASHSEND did not list the custom properties: ${why}`, {
			description: `${note} Check the Base URL of the SMASHSEND API credential and that n8n can reach it.`.trim(),
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
