import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkEmail, showValue } from '../../helpers/email';
import type { CustomProperty, PrepareContext } from '../rest/runRest';

export const CONTACT_STATUSES = [
	{ name: 'Archived', value: 'ARCHIVED' },
	{ name: 'Banned', value: 'BANNED' },
	{ name: 'Opt-in Pending', value: 'OPT_IN_PENDING' },
	{ name: 'Subscribed', value: 'SUBSCRIBED' },
	{ name: 'Unsubscribed', value: 'UNSUBSCRIBED' },
];

/** The Email parameter of the operations that take one contact's address. */
export function emailParameter(show: Record<string, string[]>, extra: Partial<INodeProperties> = {}): INodeProperties {
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

export function contactIdParameter(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'ctc_…',
		description: "The contact's ID in SMASHSEND (it starts with ctc_). After a Create or Update, Get or Find node, map it from their ID field.",
		displayOptions: { show },
	};
}

/** The standard contact fields, for create-or-update and update. */
export function contactFields(show: Record<string, string[]>, withEmail: boolean): INodeProperties[] {
	const fields: INodeProperties[] = [
		{ displayName: 'Avatar URL', name: 'avatarUrl', type: 'string', default: '' },
		{ displayName: 'Birthday', name: 'birthday', type: 'string', default: '', placeholder: '1990-04-21', description: 'A date, as YYYY-MM-DD' },
		{ displayName: 'City', name: 'city', type: 'string', default: '' },
		{
			displayName: 'Country Code',
			name: 'countryCode',
			type: 'string',
			default: '',
			placeholder: 'US',
			description: 'Two letters, ISO 3166-1 alpha-2 (US, FR, DE…)',
		},
		{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
		{ displayName: 'Language', name: 'language', type: 'string', default: '', placeholder: 'en' },
		{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
		{ displayName: 'Phone', name: 'phone', type: 'string', default: '', placeholder: '+14155550100' },
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			default: 'SUBSCRIBED',
			options: CONTACT_STATUSES,
			description: 'Whether the contact receives emails. New contacts are Subscribed unless set otherwise.',
		},
	];
	if (withEmail) {
		fields.splice(3, 0, { displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@example.com', default: '', description: "The contact's new email" });
	}
	return [
		{
			displayName: 'Contact Fields',
			name: 'contactFields',
			type: 'collection',
			placeholder: 'Add field',
			default: {},
			displayOptions: { show },
			options: fields,
		},
		{
			displayName: 'Custom Properties',
			name: 'customProperties',
			type: 'fixedCollection',
			placeholder: 'Add custom property',
			default: {},
			typeOptions: { multipleValues: true },
			description: "Properties created in SMASHSEND under Contacts → Properties. Each value is sent with the property's type (number, true/false, date, list).",
			displayOptions: { show },
			options: [
				{
					displayName: 'Property',
					name: 'property',
					values: [
						{
							displayName: 'Property Name or ID',
							name: 'name',
							type: 'options',
							typeOptions: { loadOptionsMethod: 'getCustomProperties' },
							default: '',
							description:
								'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
						},
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							default: '',
							description: 'For a multi-select property, a list or comma-separated values',
						},
					],
				},
			],
		},
	];
}

/** Builds `properties` from the standard fields and the custom properties of one item. */
export async function readContactProperties(
	this: IExecuteFunctions,
	itemIndex: number,
	context: PrepareContext,
): Promise<IDataObject> {
	const standard = this.getNodeParameter('contactFields', itemIndex, {}) as IDataObject;
	const properties: IDataObject = {};
	for (const [name, value] of Object.entries(standard)) {
		if (value === '' || value === undefined || value === null) continue;
		properties[name] = typeof value === 'string' ? value.trim() : value;
	}
	if (typeof properties.email === 'string') properties.email = requireEmail.call(this, properties.email, itemIndex);
	if (typeof properties.countryCode === 'string') properties.countryCode = properties.countryCode.toUpperCase();
	const custom = (this.getNodeParameter('customProperties.property', itemIndex, []) as Array<{ name: string; value: unknown }>) ?? [];
	if (custom.length > 0) {
		const known = await context.customProperties();
		for (const { name, value } of custom) {
			if (!name) continue;
			const definition = known.get(name);
			if (!definition) {
				throw new NodeOperationError(this.getNode(), `Item ${itemIndex} sets the custom property "${name}", which this SMASHSEND workspace does not have`, {
					description: `Create it in SMASHSEND under Contacts → Properties, or pick one of: ${[...known.keys()].join(', ') || '(none)'}.`,
					itemIndex,
				});
			}
			properties[name] = coerce.call(this, definition, value, itemIndex) as IDataObject[string];
		}
	}
	return properties;
}

export function requireEmail(this: IExecuteFunctions, value: unknown, itemIndex: number, parameter = 'Email'): string {
	const checked = checkEmail(value, parameter, 'Map it to a field that holds an address, or filter such items out before this node.');
	if (!checked.ok) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex} ${checked.reason}`, { itemIndex });
	}
	return checked.email;
}

/** A custom property's value as its type wants it: "42" → 42, "yes" → true, "a, b" → ["a", "b"]. */
export function coerce(this: IExecuteFunctions, property: CustomProperty, value: unknown, itemIndex: number): unknown {
	const bad = (expected: string) =>
		new NodeOperationError(this.getNode(), `Item ${itemIndex}: the custom property "${property.apiSlug}" needs ${expected}, not ${showValue(value)}`, {
			itemIndex,
		});
	switch (property.type) {
		case 'NUMBER': {
			const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
			if (!Number.isFinite(n)) throw bad('a number');
			return n;
		}
		case 'BOOLEAN': {
			if (typeof value === 'boolean') return value;
			const text = String(value).trim().toLowerCase();
			if (['true', 'yes', '1'].includes(text)) return true;
			if (['false', 'no', '0'].includes(text)) return false;
			throw bad('true or false');
		}
		case 'MULTI_SELECT': {
			const list = Array.isArray(value) ? value : String(value ?? '').split(',');
			return list.map((v) => String(v).trim()).filter((v) => v !== '');
		}
		case 'DATE': {
			if (value instanceof Date) return value.toISOString();
			const text = String(value ?? '').trim();
			if (Number.isNaN(Date.parse(text))) throw bad('a date (YYYY-MM-DD or ISO 8601)');
			return text;
		}
		default:
			return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
	}
}

/** A contact as SMASHSEND returns it: {id, createdAt, updatedAt, workspaceId, properties}. */
export function contactOutput(contact: unknown): IDataObject {
	const c = (contact ?? {}) as IDataObject;
	return { ...c };
}
