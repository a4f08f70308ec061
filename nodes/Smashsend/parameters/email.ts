import type { IExecuteFunctions, INodeProperties, INodePropertyMode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkEmail } from '../helpers/emailAddress';
import type { Show } from './versions';
import { forItem } from '../contract/failures';

/** The Email parameter of the operations that take one contact's address. */
export function emailParameter(show: Show, extra: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '={{ $json.email }}',
		required: true,
		placeholder: 'name@example.com',
		displayOptions: { show },
		...extra,
	};
}

/** An address one item needs, checked; throws the item's error otherwise. */
export function requireEmail(this: IExecuteFunctions, value: unknown, itemIndex: number, parameter = 'Email'): string {
	const checked = checkEmail(value, parameter, 'Map it to a field that holds an address, or filter such items out before this node.');
	if (!checked.ok)
		throw new NodeOperationError(this.getNode(), forItem(checked.message, itemIndex), { description: checked.description, itemIndex });
	return checked.email;
}

/** What a mode that takes an email address checks as the user types. */
const EMAIL_MODE: Pick<INodePropertyMode, 'type' | 'validation'> = {
	type: 'string',
	validation: [{ type: 'regex', properties: { regex: '^[^\\s@]+@[^\\s@]+\\.[^\\s@.]+$', errorMessage: 'Not an email address' } }],
};

/** A resource locator's mode that takes an email address. */
export function emailMode(name: string, displayName: string, placeholder: string, hint: string): INodePropertyMode {
	return { ...EMAIL_MODE, name, displayName, placeholder, hint };
}
