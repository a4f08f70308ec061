import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { restOperation } from '../../channels/rest/restChannel';
import { optionsParameter } from '../../runner/options';
import { contactFields } from './contactFields';
import { contactOutput, readSimplify, simplifyParameter } from './contactOutput';
import { readContactProperties } from './contactProperties';
import { VERSION_1 } from '../../parameters/versions';
import { contactIdParameter, contactLocator, readContactTarget, resolveContactId } from './contactLocator';
import { forItem } from '../../contract/failures';

const show = { resource: ['contact'], operation: ['update'] };

export const operation = restOperation<{ id: string; properties: IDataObject; simplify: boolean }>({
	keyPrefix: 'contact.update',
	successSentence: 'Contacts updated for',
	isWrite: true,
	async prepare(itemIndex, context) {
		const target = readContactTarget.call(this, itemIndex);
		const properties = await readContactProperties.call(this, itemIndex, context);
		if (Object.keys(properties).length === 0) {
			throw new NodeOperationError(this.getNode(), forItem('Nothing to update: no contact field or custom property is set', itemIndex), {
				description: 'Add a field under Contact Fields or Custom Properties.',
				itemIndex,
			});
		}
		// Looked up by email only once the item's data is known to be good.
		const simplify = readSimplify.call(this, itemIndex, 3);
		return { id: await resolveContactId.call(this, target, itemIndex, context), properties, simplify };
	},
	request: (plan) => ({ method: 'PUT', path: `/contacts/${encodeURIComponent(plan.id)}`, body: { properties: plan.properties } }),
	output: (json, plan) => [contactOutput(json.contact, plan.simplify)],
	// The updates of one contact go in input order: the last one's data stays.
	orderKey: (plan) => plan.id,
});

export const description: INodeProperties[] = [
	contactIdParameter({ ...show, ...VERSION_1 }),
	...contactLocator(show),
	...contactFields(show, { newEmail: true }),
	simplifyParameter(show, 3),
	optionsParameter(show, operation.options),
];
