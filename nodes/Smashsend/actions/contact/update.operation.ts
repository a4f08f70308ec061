import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { REST_DEFAULTS, restOptions, runRest, type RestOperation } from '../rest/runRest';
import { contactFields, contactIdParameter, contactOutput, readContactProperties } from './fields';
import { readContactId } from './get.operation';

const show = { resource: ['contact'], operation: ['update'] };

export const description: INodeProperties[] = [
	contactIdParameter(show),
	...contactFields(show, true),
	restOptions(show, REST_DEFAULTS.ratePerMinute),
];

const operation: RestOperation<{ id: string; properties: IDataObject }> = {
	kind: 'contact.update',
	done: 'Contacts updated for',
	changes: true,
	ratePerMinute: REST_DEFAULTS.ratePerMinute,
	async prepare(itemIndex, context) {
		const id = readContactId.call(this, itemIndex);
		const properties = await readContactProperties.call(this, itemIndex, context);
		if (Object.keys(properties).length === 0) {
			throw new NodeOperationError(this.getNode(), `Item ${itemIndex} changes nothing: no contact field or custom property is set`, {
				description: 'Add a field under Contact Fields or Custom Properties.',
				itemIndex,
			});
		}
		return { id, properties };
	},
	request: (plan) => ({ method: 'PUT', path: `/contacts/${encodeURIComponent(plan.id)}`, body: { properties: plan.properties } }),
	output: (json) => [contactOutput(json.contact)],
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runRest.call(this, operation);
}
