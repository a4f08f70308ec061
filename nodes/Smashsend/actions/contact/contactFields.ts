import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RestRequest } from '../../../shared/transport/restApi';
import type { PrepareContext } from '../../contract/Operation';
import { showValue } from '../../helpers/emailAddress';
import { readDate } from '../../parameters/date';
import { requireEmail } from '../../parameters/email';
import { listOf } from '../../parameters/list';
import { mappedValues, readMapper } from '../../parameters/resourceMapper';
import { FROM_VERSION_2, FROM_VERSION_3, nodeVersion, VERSION_1, type Show } from '../../parameters/versions';
import { coerce, workspaceProperties } from './customProperties';
import { forItem } from '../../contract/failures';

export const CONTACT_STATUSES = [
	{ name: 'Archived', value: 'ARCHIVED' },
	{ name: 'Banned', value: 'BANNED' },
	{ name: 'Opt-in Pending', value: 'OPT_IN_PENDING' },
	{ name: 'Subscribed', value: 'SUBSCRIBED' },
	{ name: 'Unsubscribed', value: 'UNSUBSCRIBED' },
];

/**
 * The contact's fields, for Create or Update (`createdAt`: a date SMASHSEND keeps from your own
 * records) and Update (`newEmail`: a new address), its custom properties, and changes to its
 * multi-selects.
 */
export function contactFields(show: Record<string, string[]>, { newEmail = false, createdAt = false } = {}): INodeProperties[] {
	const fields: INodeProperties[] = [
		{ displayName: 'Avatar URL', name: 'avatarUrl', type: 'string', default: '' },
		{
			displayName: 'Birthday',
			name: 'birthday',
			type: 'string',
			default: '',
			placeholder: 'e.g. 1990-04-21',
			description: 'A date, as YYYY-MM-DD',
		},
		{ displayName: 'City', name: 'city', type: 'string', default: '' },
		{
			displayName: 'Country Code',
			name: 'countryCode',
			type: 'string',
			default: '',
			placeholder: 'e.g. US',
			description: 'Two letters, ISO 3166-1 alpha-2 (US, FR, DE…)',
		},
		{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
		{ displayName: 'Language', name: 'language', type: 'string', default: '', placeholder: 'e.g. en' },
		{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
		{ displayName: 'Phone', name: 'phone', type: 'string', default: '', placeholder: 'e.g. +14155550100' },
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			default: 'SUBSCRIBED',
			options: CONTACT_STATUSES,
			description: 'Whether the contact receives emails. New contacts are Subscribed unless set otherwise.',
		},
	];
	if (createdAt) {
		fields.splice(2, 0, {
			displayName: 'Created At',
			name: 'createdAt',
			type: 'dateTime',
			default: '',
			description:
				"For imports from another tool only: when the contact was created there. SMASHSEND keeps this date instead of today's. A date without a time zone is in the workflow's time zone.",
		});
	}
	if (newEmail) {
		fields.splice(3, 0, {
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@example.com',
			default: '',
			description: "The contact's new email",
		});
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
			description:
				"Properties created in SMASHSEND under Contacts → Properties. Each value is sent with the property's type (number, true/false, date, list).",
			displayOptions: { show: { ...show, ...VERSION_1 } },
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
							description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
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
		{
			displayName: 'Custom Properties',
			name: 'customPropertyFields',
			type: 'resourceMapper',
			noDataExpression: true,
			default: { mappingMode: 'defineBelow', value: null },
			required: true,
			description:
				'The custom properties of your SMASHSEND workspace (Contacts → Properties), each with its type. Add those to set; empty ones are not sent.',
			displayOptions: { show: { ...show, ...FROM_VERSION_2 } },
			typeOptions: {
				loadOptionsDependsOn: ['resource', 'operation'],
				resourceMapper: {
					resourceMapperMethod: 'getCustomPropertyFields',
					mode: 'add',
					valuesLabel: 'Custom Properties',
					fieldWords: { singular: 'custom property', plural: 'custom properties' },
					addAllFields: false,
					multiKeyMatch: false,
					supportAutoMap: true,
					noFieldsError: 'This SMASHSEND workspace has no custom properties yet (Contacts → Properties).',
				},
			},
		},
		{
			displayName: 'Multi-Select Changes',
			name: 'multiSelectChanges',
			type: 'fixedCollection',
			placeholder: 'Add change',
			default: {},
			typeOptions: { multipleValues: true },
			description:
				'Add values to a multi-select (tags) or remove some, without reading the contact first and without touching its other values; or replace or clear them all. Adding a value twice or removing one it does not have changes nothing, so a retry is safe.',
			displayOptions: { show },
			options: [
				{
					displayName: 'Change',
					name: 'change',
					values: [
						{
							displayName: 'Property Name or ID',
							name: 'property',
							type: 'options',
							typeOptions: { loadOptionsMethod: 'getMultiSelectProperties' },
							default: '',
							description:
								'A multi-select custom property. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
						},
						{
							displayName: 'Action',
							name: 'changeAction',
							type: 'options',
							default: 'add',
							options: [
								{ name: 'Add', value: 'add', description: 'Add these values to those the contact has' },
								{ name: 'Clear', value: 'clear', description: 'Remove every value' },
								{ name: 'Remove', value: 'remove', description: 'Remove these values, keep the others' },
								{ name: 'Replace', value: 'replace', description: 'Set exactly these values' },
							],
						},
						{
							displayName: 'Values',
							name: 'values',
							type: 'string',
							default: '',
							placeholder: 'e.g. vip, beta',
							description: 'Separated by commas, or a list from an expression',
							displayOptions: { show: { changeAction: ['add', 'remove', 'replace'] } },
						},
					],
				},
			],
		},
	];
}

/** The Action values of Multi-Select Changes (stored in workflows). */
const CHANGE_ACTIONS = ['add', 'remove', 'replace', 'clear'];

/** One change of a multi-select as the user set it. */
interface MultiSelectChange {
	property?: unknown;
	changeAction?: unknown;
	values?: unknown;
}

/**
 * One item's Multi-Select Changes as SMASHSEND takes them (its SDK's README): `{add, remove}`
 * lists (several changes of one property merged), a list to replace, `[]` to clear. Each value
 * must be one of the property's options when the workspace's list says which.
 */
async function readMultiSelectChanges(
	this: IExecuteFunctions,
	itemIndex: number,
	context: PrepareContext<RestRequest, IDataObject>,
): Promise<IDataObject> {
	const changes = (this.getNodeParameter('multiSelectChanges.change', itemIndex, []) as MultiSelectChange[]) ?? [];
	if (changes.length === 0) return {};
	const { properties: known, complete } = await workspaceProperties.call(this, context);
	const result: IDataObject = {};
	const bad = (message: string, description: string) =>
		new NodeOperationError(this.getNode(), forItem(message, itemIndex), { description, itemIndex });
	for (const change of changes) {
		const name = typeof change.property === 'string' ? change.property.trim() : '';
		if (name === '') throw bad('A multi-select change has no property', 'Pick the property in Multi-Select Changes, or remove the change.');
		const definition = known.get(name);
		if (definition && !definition.multiple) {
			throw bad(
				`"${name}" is changed as a multi-select, but it is a ${definition.type.toLowerCase()}`,
				'Set it under Custom Properties instead.',
			);
		}
		if (!definition && complete) {
			throw bad(`The custom property "${name}" is not in this SMASHSEND workspace`, 'Create it first (Contact Property → Create).');
		}
		const action = String(change.changeAction ?? 'add');
		if (!CHANGE_ACTIONS.includes(action)) {
			throw bad(`"${action}" is not a multi-select action (for "${name}")`, `Use one of ${CHANGE_ACTIONS.join(', ')}.`);
		}
		// Clear takes no values (a Values field left from another action is not read).
		const values = action === 'clear' ? [] : listOf(change.values);
		if (action === 'replace' && values.length === 0) {
			throw bad(`Replace has no values for "${name}"`, 'Give the values to keep, or use Clear to remove them all.');
		}
		const unknown = definition?.options ? values.filter((v) => !definition.options?.includes(v)) : [];
		if (unknown.length > 0) {
			throw bad(
				`${unknown.map((v) => `"${v}"`).join(', ')} ${unknown.length === 1 ? 'is not an option' : 'are not options'} of "${name}"`,
				`Its options: ${definition?.options?.join(', ')}. Add the value in SMASHSEND first, or fix the item.`,
			);
		}
		const earlier = result[name];
		if (action === 'clear' || action === 'replace') {
			if (earlier !== undefined) throw bad(`"${name}" is changed more than once with Replace or Clear`, 'Keep one change for it.');
			result[name] = action === 'clear' ? [] : values;
			continue;
		}
		if (Array.isArray(earlier)) throw bad(`"${name}" is changed more than once with Replace or Clear`, 'Keep one change for it.');
		const merged = { ...((earlier as IDataObject | undefined) ?? {}) };
		merged[action] = [...new Set([...listOf(merged[action]), ...values])];
		const both = listOf(merged.add).filter((v) => listOf(merged.remove).includes(v));
		if (both.length > 0) {
			throw bad(
				`${both.map((v) => `"${v}"`).join(', ')} ${both.length === 1 ? 'is' : 'are'} both added to and removed from "${name}"`,
				'Keep the value under Add or under Remove, not both.',
			);
		}
		result[name] = merged;
	}
	return result;
}

/** One item's custom properties, by apiSlug, as set: version 1's name/value pairs, or version 2's mapper. */
async function readCustomValues(
	this: IExecuteFunctions,
	itemIndex: number,
	context: PrepareContext<RestRequest, IDataObject>,
): Promise<Array<{ name: string; value: unknown }>> {
	if (nodeVersion.call(this) < 2) {
		return (this.getNodeParameter('customProperties.property', itemIndex, []) as Array<{ name: string; value: unknown }>) ?? [];
	}
	// Map Automatically matches the item's fields against the workspace's properties as they are
	// now, not only those the editor loaded when the node was set up.
	const automatic = readMapper.call(this, 'customPropertyFields', itemIndex).mappingMode === 'autoMapInputData';
	const known = automatic ? (await workspaceProperties.call(this, context)).properties.keys() : undefined;
	return Object.entries(mappedValues.call(this, 'customPropertyFields', itemIndex, known)).map(([name, value]) => ({ name, value }));
}

/** Builds `properties` from the standard fields and the custom properties of one item. */
export async function readContactProperties(
	this: IExecuteFunctions,
	itemIndex: number,
	context: PrepareContext<RestRequest, IDataObject>,
): Promise<IDataObject> {
	const standard = this.getNodeParameter('contactFields', itemIndex, {}) as IDataObject;
	const properties: IDataObject = {};
	for (const [name, value] of Object.entries(standard)) {
		if (value === '' || value === undefined || value === null) continue;
		properties[name] = typeof value === 'string' ? value.trim() : value;
	}
	if (typeof properties.email === 'string') properties.email = requireEmail.call(this, properties.email, itemIndex);
	if (typeof properties.countryCode === 'string') properties.countryCode = properties.countryCode.toUpperCase();
	if (properties.createdAt !== undefined) {
		// SMASHSEND would quietly use today's date for one it cannot read: say so before sending.
		const time = readDate(properties.createdAt, this.getTimezone?.());
		if (time === undefined) {
			throw new NodeOperationError(this.getNode(), forItem(`'Created At' is not a date: ${showValue(properties.createdAt)}`, itemIndex), {
				description: 'Map it to a date, such as 2023-01-15 or 2023-01-15T10:30:00Z.',
				itemIndex,
			});
		}
		properties.createdAt = new Date(time).toISOString();
	}
	const custom = await readCustomValues.call(this, itemIndex, context);
	if (custom.length > 0) {
		const { properties: known, complete } = await workspaceProperties.call(this, context);
		for (const { name, value } of custom) {
			if (!name) continue;
			const definition = known.get(name);
			if (definition) {
				properties[name] = coerce.call(this, definition, value, itemIndex) as IDataObject[string];
				continue;
			}
			// SMASHSEND listed only some of its properties (more, but no way to ask for them): this
			// one may exist, so its value goes as given and SMASHSEND judges it.
			if (!complete) {
				properties[name] = (typeof value === 'string' ? value.trim() : value) as IDataObject[string];
				continue;
			}
			throw new NodeOperationError(this.getNode(), forItem(`The custom property "${name}" is not in this SMASHSEND workspace`, itemIndex), {
				description: `Create it in SMASHSEND under Contacts → Properties, or pick one of: ${[...known.keys()].join(', ') || '(none)'}.`,
				itemIndex,
			});
		}
	}
	for (const [name, change] of Object.entries(await readMultiSelectChanges.call(this, itemIndex, context))) {
		if (properties[name] !== undefined) {
			throw new NodeOperationError(
				this.getNode(),
				forItem(`"${name}" is set under Custom Properties and under Multi-Select Changes`, itemIndex),
				{
					description: 'Keep one of the two: a value under Custom Properties replaces the list, a change adds, removes or clears.',
					itemIndex,
				},
			);
		}
		properties[name] = change as IDataObject[string];
	}
	return properties;
}

/**
 * A contact as SMASHSEND returns it: {id, createdAt, updatedAt, workspaceId, properties}; with
 * `simplify`, flat: id, email, the standard fields and custom properties at the top level,
 * then createdAt and updatedAt.
 */
export function contactOutput(contact: unknown, simplify = false): IDataObject {
	const c = (contact ?? {}) as IDataObject;
	if (!simplify) return { ...c };
	const { id, createdAt, updatedAt, properties } = c;
	const fields = typeof properties === 'object' && properties !== null && !Array.isArray(properties) ? (properties as IDataObject) : {};
	const { email, ...rest } = fields;
	const flat: IDataObject = { id, ...(email !== undefined ? { email } : {}), ...rest };
	// SMASHSEND's own fields win over a custom property of the same name (`id` stays first).
	flat.id = id;
	if (createdAt !== undefined) flat.createdAt = createdAt;
	if (updatedAt !== undefined) flat.updatedAt = updatedAt;
	return flat;
}

/**
 * Simplify, on every operation that outputs contacts: from version 2 on Get, Find and Get Many,
 * from version 3 on Create or Update and Update too (`since`), so that swapping one contact
 * operation for another keeps the shape a workflow reads. On: one flat contact (id, email, the
 * standard fields and custom properties); off: SMASHSEND's answer, the fields under `properties`.
 */
export function simplifyParameter(show: Show, since: 2 | 3 = 2): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		displayOptions: { show: { ...show, ...(since === 3 ? FROM_VERSION_3 : FROM_VERSION_2) } },
	};
}

/** One item's Simplify: before the version that has it (`since`), SMASHSEND's answer as it is. */
export function readSimplify(this: IExecuteFunctions, itemIndex: number, since: 2 | 3 = 2): boolean {
	if (nodeVersion.call(this) < since) return false;
	return this.getNodeParameter('simplify', itemIndex, true) === true;
}
