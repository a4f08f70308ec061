import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
	INodePropertyMode,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CONTACT_ID_RULE, isContactId } from '../../helpers/contactId';
import { checkEmail, showValue } from '../../helpers/email';

/** When a parameter shows: the parameters it depends on (and `@version`, the node's version). */
export type Show = NonNullable<IDisplayOptions['show']>;

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
	if (!checked.ok) throw new NodeOperationError(this.getNode(), `Item ${itemIndex} ${checked.reason}`, { itemIndex });
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

/**
 * One item's resource locator: its mode and its value, trimmed. An expression can give the
 * whole locator a plain string; that counts as `plainMode` (the mode that takes typed text).
 */
export function readLocator(this: IExecuteFunctions, name: string, itemIndex: number, plainMode: string): { mode: string; value: string } {
	const locator = this.getNodeParameter(name, itemIndex, '') as INodeParameterResourceLocator | string | undefined;
	const isLocator = typeof locator === 'object' && locator !== null;
	const raw = isLocator ? locator.value : locator;
	const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	return { mode: isLocator ? String(locator.mode) : plainMode, value };
}

/** A JSON parameter that must hold an object (written as JSON, or an object from an expression). */
export function jsonObject(this: IExecuteFunctions, value: unknown, name: string, itemIndex: number): IDataObject {
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return {};
		try {
			parsed = JSON.parse(value);
		} catch {
			throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${name} is not valid JSON`, { itemIndex });
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${name} must be a JSON object, not ${showValue(parsed)}`, {
			itemIndex,
		});
	}
	return parsed as IDataObject;
}

export function contactIdParameter(show: Show): INodeProperties {
	return {
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ctc_2b7e… or 6f1c2a9e-…',
		description: "The contact's ID in SMASHSEND. After a Create or Update, Get or Find node, map it from their ID field.",
		displayOptions: { show },
	};
}

/** One item's Contact ID (version 1), checked by the one contact-id rule (helpers/contactId.ts). */
export function readContactId(this: IExecuteFunctions, itemIndex: number): string {
	const id = String(this.getNodeParameter('contactId', itemIndex, '') ?? '').trim();
	if (!isContactId(id)) {
		throw new NodeOperationError(
			this.getNode(),
			`Item ${itemIndex} has ${id === '' ? 'an empty Contact ID' : `an invalid Contact ID ${showValue(id)}`}`,
			{
				description: `${CONTACT_ID_RULE}. Map it to the id of a contact, for example {{ $json.id }} after a Find or Create node.`,
				itemIndex,
			},
		);
	}
	return id;
}
