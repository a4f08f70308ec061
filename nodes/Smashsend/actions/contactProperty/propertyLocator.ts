import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { forItem } from '../../contract/failures';
import { showValue } from '../../helpers/emailAddress';
import { hasBrokenCharacter } from '../../helpers/text';
import { pickerParameter, readLocator } from '../../parameters/locator';
import type { Show } from '../../parameters/versions';

/** A property's id goes into the request's path: nothing that could change it. */
const PROPERTY_ID = /^(?!\.{1,2}$)[^/\\?#%\s]{1,256}$/;

/** The Property picker of Update and Delete: from SMASHSEND's list, or by its id. */
export function propertyLocator(show: Show, description: string): INodeProperties {
	return pickerParameter({
		displayName: 'Property',
		name: 'property',
		description,
		show,
		list: { placeholder: 'Select a property…', searchListMethod: 'searchProperties' },
		modes: [{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. prop_plan' }],
	});
}

/** One item's property id, checked as any id that goes into a path is; throws the item's error. */
export function readPropertyId(this: IExecuteFunctions, itemIndex: number): string {
	const { value: id } = readLocator.call(this, 'property', itemIndex, 'id');
	if (!PROPERTY_ID.test(id) || hasBrokenCharacter(id)) {
		throw new NodeOperationError(
			this.getNode(),
			forItem(id === '' ? "No property in 'Property'" : `'Property' is not a valid property ID: ${showValue(id)}`, itemIndex),
			{ description: 'Pick the property from the list, or map its id from Contact Property → Get Many.', itemIndex },
		);
	}
	return id;
}
