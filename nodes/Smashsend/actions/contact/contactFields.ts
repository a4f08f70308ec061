import type { INodeProperties } from 'n8n-workflow';

import { FROM_VERSION_2, VERSION_1 } from '../../parameters/versions';
import { multiSelectChangesParameter } from './multiSelectChanges';

export const CONTACT_STATUSES = [
	{ name: 'Archived', value: 'ARCHIVED' },
	// SMASHSEND's OPT_IN_PENDING: the contact has not yet confirmed a double opt-in email.
	{ name: 'Awaiting Opt-In Confirmation', value: 'OPT_IN_PENDING' },
	{ name: 'Banned', value: 'BANNED' },
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
		multiSelectChangesParameter(show),
	];
}
