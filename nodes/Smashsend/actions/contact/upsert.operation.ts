import type { IDataObject, INodeExecutionData, INodeProperties, IExecuteFunctions } from 'n8n-workflow';

import { REST_DEFAULTS, restOptions, runRest, type RestOperation } from '../rest/runRest';
import { contactFields, contactOutput, emailParameter, readContactProperties, requireEmail } from './fields';

const show = { resource: ['contact'], operation: ['upsert'] };

export const description: INodeProperties[] = [
	emailParameter(show, { description: 'SMASHSEND creates the contact, or updates the one that already has this email' }),
	...contactFields(show, false),
	restOptions(show, REST_DEFAULTS.ratePerMinute),
];

const operation: RestOperation<{ properties: IDataObject }> = {
	kind: 'contact.upsert',
	done: 'Contacts saved for',
	changes: true,
	ratePerMinute: REST_DEFAULTS.ratePerMinute,
	async prepare(itemIndex, context) {
		const email = requireEmail.call(this, this.getNodeParameter('email', itemIndex), itemIndex);
		const properties = await readContactProperties.call(this, itemIndex, context);
		return { properties: { ...properties, email } };
	},
	request: (plan) => ({ method: 'POST', path: '/contacts', body: { properties: plan.properties } }),
	output: (json) => [contactOutput(json.contact)],
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runRest.call(this, operation);
}
