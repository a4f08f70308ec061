import type { IExecuteFunctions, INodeProperties, INodePropertyMode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkEmail } from '../helpers/emailAddress';
import { FROM_VERSION_4, type Show } from './versions';
import { forItem } from '../contract/failures';

/** The Email parameter of the operations that take one contact's address (see withToolDefault). */
export function emailParameter(show: Show, extra: Partial<INodeProperties> = {}): INodeProperties[] {
	return withToolDefault(
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			default: '={{ $json.email }}',
			required: true,
			placeholder: 'name@example.com',
			displayOptions: { show },
			...extra,
		},
		"={{ $fromAI('email', 'The email address of the contact', 'string') }}",
	);
}

/**
 * A parameter as it is in a workflow (its default reads the item's `email` field, or picks from
 * a list), and, from node version 4, as it is when the node is an AI agent's tool: there the
 * default is `modelFills` (`$fromAI`: the model gives the value with each call), since a tool
 * call's item seldom has such a field and no one picks. Tools saved before version 4 keep the
 * workflow default (an agent's input item may carry `email`). All have the parameter's name: a
 * value the user set is kept either way. A parameter of older versions only stays as it is.
 */
export function withToolDefault(parameter: INodeProperties, modelFills: INodeProperties['default']): INodeProperties[] {
	const show = parameter.displayOptions?.show ?? {};
	const shown = show['@version'] as unknown[] | undefined;
	// Before version 4, as a tool too: versions 1–3, or from the version it appeared in to 3.
	const from = (shown?.[0] as { _cnd?: { gte?: number } } | undefined)?._cnd?.gte;
	const before4 =
		shown === undefined
			? [1, 2, 3]
			: shown.length === 1 && from !== undefined && from <= 3
				? [{ _cnd: { between: { from, to: 3 } } }]
				: undefined;
	if (!before4) return [parameter];
	return [
		{ ...parameter, displayOptions: { ...parameter.displayOptions, show: { ...show, '@tool': [false] } } },
		{ ...parameter, displayOptions: { ...parameter.displayOptions, show: { ...show, '@tool': [true], '@version': before4 } } },
		{
			...parameter,
			default: modelFills,
			displayOptions: { ...parameter.displayOptions, show: { ...show, '@tool': [true], ...FROM_VERSION_4 } },
		},
	];
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
