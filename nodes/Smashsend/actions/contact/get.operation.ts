import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { REST_DEFAULTS, restOptions, runRest, type RestOperation } from '../rest/runRest';
import { contactIdParameter, contactOutput } from './fields';

const show = { resource: ['contact'], operation: ['get'] };

export const description: INodeProperties[] = [
	contactIdParameter(show),
	restOptions(show, REST_DEFAULTS.ratePerMinute),
];

/** Reads a contact ID parameter: trimmed, non-empty, usable in a URL path. */
export function readContactId(this: IExecuteFunctions, itemIndex: number): string {
	const id = String(this.getNodeParameter('contactId', itemIndex, '') ?? '').trim();
	if (id === '' || /[/?#\s]/.test(id)) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex} has ${id === '' ? 'an empty Contact ID' : `an invalid Contact ID "${id}"`}`, {
			description: 'Map the Contact ID to the id of a contact (ctc_…), for example {{ $json.id }} after a Find or Create node.',
			itemIndex,
		});
	}
	return id;
}

const operation: RestOperation<{ id: string }> = {
	kind: 'contact.get',
	done: 'Contacts fetched for',
	changes: false,
	ratePerMinute: REST_DEFAULTS.ratePerMinute,
	async prepare(itemIndex) {
		return { id: readContactId.call(this, itemIndex) };
	},
	request: (plan) => ({ method: 'GET', path: `/contacts/${encodeURIComponent(plan.id)}` }),
	output: (json) => [contactOutput(json.contact)],
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runRest.call(this, operation);
}
