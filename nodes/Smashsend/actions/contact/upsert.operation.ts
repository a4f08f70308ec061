import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { restOperation, restOptions } from '../rest/channel';
import { emailParameter, requireEmail } from '../shared/fields';
import { contactFields, contactOutput, readContactProperties } from './fields';

const show = { resource: ['contact'], operation: ['upsert'] };

export const description: INodeProperties[] = [
	emailParameter(show, { description: 'SMASHSEND creates the contact, or updates the one that already has this email' }),
	...contactFields(show, false),
	restOptions(show),
];

export const operation = restOperation<{ properties: IDataObject }>({
	kind: 'contact.upsert',
	done: 'Contacts saved for',
	changes: true,
	async prepare(itemIndex, context) {
		const email = requireEmail.call(this, this.getNodeParameter('email', itemIndex), itemIndex);
		const properties = await readContactProperties.call(this, itemIndex, context);
		return { properties: { ...properties, email } };
	},
	request: (plan) => ({ method: 'POST', path: '/contacts', body: { properties: plan.properties } }),
	output: (json) => [contactOutput(json.contact)],
});
