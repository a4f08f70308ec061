import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { showValue } from '../../helpers/email';
import { REST_DEFAULTS, restOptions, runRest, type RestOperation } from '../rest/runRest';
import { contactIdParameter, contactOutput } from './fields';

const show = { resource: ['contact'], operation: ['get'] };

export const description: INodeProperties[] = [
	contactIdParameter(show),
	restOptions(show, REST_DEFAULTS.ratePerMinute),
];

/** Reads a contact ID parameter: trimmed, non-empty, usable in a URL path. */
const CONTACT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function readContactId(this: IExecuteFunctions, itemIndex: number): string {
	const id = String(this.getNodeParameter('contactId', itemIndex, '') ?? '').trim();
	// SMASHSEND's ids are letters, digits, _ and -: anything else ("..", "a/b") could make
	// the request's path point somewhere else once URLs are normalised.
	if (!CONTACT_ID.test(id)) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex} has ${id === '' ? 'an empty Contact ID' : `an invalid Contact ID ${showValue(id)}`}`, {
			description:
				'A Contact ID has letters, digits, _ and - only (ctc_…). Map it to the id of a contact, for example {{ $json.id }} after a Find or Create node.',
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
