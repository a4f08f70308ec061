import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { restOperation } from '../../channels/rest/restChannel';
import { forItem } from '../../contract/failures';
import { optionsParameter } from '../../runner/options';
import { propertyLocator, readPropertyId } from './propertyLocator';

const show = { resource: ['contactProperty'], operation: ['update'] };

interface Plan {
	id: string;
	body: IDataObject;
}

export const operation = restOperation<Plan>({
	keyPrefix: 'contactProperty.update',
	successSentence: 'Properties updated for',
	isWrite: true,
	async prepare(itemIndex) {
		const id = readPropertyId.call(this, itemIndex);
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		const body: IDataObject = {};
		for (const key of ['displayName', 'description']) {
			if (typeof fields[key] === 'string' && fields[key].trim() !== '') body[key] = fields[key].trim();
		}
		if (Object.keys(body).length === 0) {
			throw new NodeOperationError(this.getNode(), forItem('Nothing to update: no field is set under Update Fields', itemIndex), {
				description: 'Add a new Name or a Description under Update Fields.',
				itemIndex,
			});
		}
		return { id, body };
	},
	request: (plan) => ({ method: 'PUT', path: `/contact-properties/${encodeURIComponent(plan.id)}`, body: plan.body }),
	output: (json) => [{ ...((json.property ?? {}) as IDataObject) }],
	// The updates of one property go in input order: the last one's name stays.
	orderKey: (plan) => plan.id,
});

export const description: INodeProperties[] = [
	propertyLocator(show, 'The custom property to change'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: { show },
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'What the property is for' },
			{ displayName: 'Name', name: 'displayName', type: 'string', default: '', description: 'The new name contacts show it under' },
		],
	},
	optionsParameter(show, operation.options),
];
