import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { restOperation } from '../../channels/rest/restChannel';
import { showValue } from '../../helpers/emailAddress';
import { hasBrokenCharacter } from '../../helpers/text';
import { readLocator } from '../../parameters/locator';
import { optionsParameter } from '../../runner/options';
import { forItem } from '../../contract/failures';

const show = { resource: ['contactProperty'], operation: ['update'] };

/** A property's id goes into the request's path: nothing that could change it. */
const PROPERTY_ID = /^(?!\.{1,2}$)[^/\\?#%\s]{1,256}$/;

interface Plan {
	id: string;
	body: IDataObject;
}

export const operation = restOperation<Plan>({
	keyPrefix: 'contactProperty.update',
	successSentence: 'Properties updated for',
	isWrite: true,
	async prepare(itemIndex) {
		const { value: id } = readLocator.call(this, 'property', itemIndex, 'id');
		if (!PROPERTY_ID.test(id) || hasBrokenCharacter(id)) {
			throw new NodeOperationError(
				this.getNode(),
				forItem(id === '' ? "No property in 'Property'" : `'Property' is not a valid property ID: ${showValue(id)}`, itemIndex),
				{
					description: 'Pick the property from the list, or map its id from Contact Property → Get Many.',
					itemIndex,
				},
			);
		}
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
	{
		displayName: 'Property',
		name: 'property',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The custom property to change',
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a property…',
				typeOptions: { searchListMethod: 'searchProperties', searchable: true, searchFilterRequired: false },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. prop_plan' },
		],
	},
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
