import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { restOperation, restOptions } from '../rest/channel';
import { contactIdParameter, readContactId } from '../shared/fields';
import { contactFields, contactOutput, readContactProperties } from './fields';

const show = { resource: ['contact'], operation: ['update'] };

export const description: INodeProperties[] = [contactIdParameter(show), ...contactFields(show, true), restOptions(show)];

export const operation = restOperation<{ id: string; properties: IDataObject }>({
	kind: 'contact.update',
	done: 'Contacts updated for',
	changes: true,
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
});
