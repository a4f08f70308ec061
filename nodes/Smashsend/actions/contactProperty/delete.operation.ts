import type { INodeProperties } from 'n8n-workflow';

import { restOperation } from '../../channels/rest/restChannel';
import { forItem } from '../../contract/failures';
import { optionsParameter } from '../../runner/options';
import { propertyLocator, readPropertyId } from './propertyLocator';

const show = { resource: ['contactProperty'], operation: ['delete'] };

export const operation = restOperation<{ id: string }>({
	keyPrefix: 'contactProperty.delete',
	successSentence: 'Properties deleted for',
	isWrite: true,
	prepare(itemIndex) {
		return { id: readPropertyId.call(this, itemIndex) };
	},
	request: (plan) => ({ method: 'DELETE', path: `/contact-properties/${encodeURIComponent(plan.id)}` }),
	output: () => [{ deleted: true }],
	// What the answer holds is unconfirmed (SMASHSEND's SDK has no such call): one that says it deleted nothing fails the item.
	refuse: (json, _plan, itemIndex) =>
		json.isDeleted === false
			? {
					message: forItem('SMASHSEND did not delete the property', itemIndex),
					description: 'SMASHSEND answered that the property was not deleted (isDeleted: false). Check it in SMASHSEND.',
				}
			: undefined,
	// The first attempt deleted it but its answer was lost; the retry finds nothing.
	doneAfterLostAnswer: (answer) => (answer.statusCode === 404 ? [{ deleted: true }] : undefined),
	orderKey: (plan) => plan.id,
});

export const description: INodeProperties[] = [
	propertyLocator(show, 'The custom property to delete, with the values contacts have for it'),
	optionsParameter(show, operation.options),
];
