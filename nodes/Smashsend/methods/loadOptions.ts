import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { interpretRestResponse } from '../helpers/restResponse';
import { API_CREDENTIAL, callRestApi, normalizeBaseUrl } from '../transport/restApi';
import { customPropertiesOf } from '../actions/rest/runRest';

const TYPE_NAMES: Record<string, string> = {
	BOOLEAN: 'true/false',
	DATE: 'date',
	MULTI_SELECT: 'multi-select',
	NUMBER: 'number',
	SELECT: 'select',
	STRING: 'text',
};

/** The workspace's custom contact properties, by name, for the Custom Properties picker. */
export async function getCustomProperties(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const credentials = await this.getCredentials(API_CREDENTIAL);
	const response = await callRestApi.call(this, normalizeBaseUrl(credentials.baseUrl), {
		method: 'GET',
		path: '/contacts/properties',
		qs: { type: 'CUSTOM', limit: 100 },
	});
	const answer = interpretRestResponse(response);
	if (!answer.ok) {
		throw new NodeOperationError(this.getNode(), `SMASHSEND did not list the custom properties (HTTP ${answer.failure.statusCode}): ${answer.failure.serverMessage}`);
	}
	return customPropertiesOf(answer.json)
		.map((p) => ({
			name: p.displayName,
			value: p.apiSlug,
			description: `${p.apiSlug} · ${TYPE_NAMES[p.type] ?? p.type.toLowerCase()}${p.options ? `: ${p.options.join(', ')}` : ''}`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
