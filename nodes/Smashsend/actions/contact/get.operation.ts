import type { INodeProperties } from 'n8n-workflow';

import { restOperation, restOptions } from '../rest/channel';
import { contactIdParameter, readContactId } from '../shared/fields';
import { contactOutput } from './fields';

const show = { resource: ['contact'], operation: ['get'] };

export const description: INodeProperties[] = [contactIdParameter(show), restOptions(show)];

export const operation = restOperation<{ id: string }>({
	kind: 'contact.get',
	done: 'Contacts fetched for',
	changes: false,
	async prepare(itemIndex) {
		return { id: readContactId.call(this, itemIndex) };
	},
	request: (plan) => ({ method: 'GET', path: `/contacts/${encodeURIComponent(plan.id)}` }),
	output: (json) => [contactOutput(json.contact)],
});
