import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RestRequest } from '../../../shared/transport/restApi';
import { restOperation } from '../../channels/rest/restChannel';
import { optionsParameter } from '../../runner/options';
import { customPropertiesOf, propertiesPage, PROPERTY_PAGE_SIZE } from '../contact/customProperties';
import { listOf } from '../../parameters/list';
import { forItem } from '../../contract/failures';

const show = { resource: ['contactProperty'], operation: ['create'] };

/** SMASHSEND's property types (its SDK's `SmashsendPropertyType`), as the Type dropdown names them. */
export const PROPERTY_TYPES = [
	{ name: 'Date', value: 'DATE' },
	{ name: 'Multi-Select', value: 'MULTI_SELECT' },
	{ name: 'Number', value: 'NUMBER' },
	{ name: 'Select', value: 'SELECT' },
	{ name: 'Text', value: 'STRING' },
	{ name: 'True/False', value: 'BOOLEAN' },
];
const WITH_CHOICES = ['SELECT', 'MULTI_SELECT'];

interface Plan {
	body: IDataObject;
}

/**
 * The property a create may already have made: the same name (any case), type and choices, as
 * SMASHSEND lists it. A property of that name with another type or other choices is not it.
 */
const sameProperty = (plan: Plan) => (listed: IDataObject) => {
	const [property] = customPropertiesOf({ properties: [listed] });
	if (!property || typeof listed.displayName !== 'string') return false;
	if (listed.displayName.trim().toLowerCase() !== String(plan.body.displayName).toLowerCase() || listed.type !== plan.body.type)
		return false;
	const config = plan.body.typeConfig as { options: string[]; multiple: boolean } | undefined;
	if (!config) return true;
	const choices = new Set(property.options ?? []);
	return property.multiple === config.multiple && choices.size === config.options.length && config.options.every((c) => choices.has(c));
};

export const operation = restOperation<Plan>({
	keyPrefix: 'contactProperty.create',
	successSentence: 'Properties created for',
	isWrite: true,
	async prepare(itemIndex) {
		const displayName = String(this.getNodeParameter('displayName', itemIndex, '') ?? '').trim();
		if (displayName === '') {
			throw new NodeOperationError(this.getNode(), forItem("'Name' is empty", itemIndex), {
				description: 'Give the property a name, such as Shoe Size.',
				itemIndex,
			});
		}
		const type = String(this.getNodeParameter('propertyType', itemIndex, 'STRING'));
		if (!PROPERTY_TYPES.some((t) => t.value === type)) {
			throw new NodeOperationError(this.getNode(), forItem(`'Type' is not a type SMASHSEND knows: ${type}`, itemIndex), {
				description: `Use one of ${PROPERTY_TYPES.map((t) => t.name).join(', ')}.`,
				itemIndex,
			});
		}
		const body: IDataObject = { displayName, type };
		if (WITH_CHOICES.includes(type)) {
			const raw = this.getNodeParameter('choices', itemIndex, '') as unknown;
			const choices = listOf(raw);
			if (choices.length === 0) {
				throw new NodeOperationError(this.getNode(), forItem("'Choices' is empty, and a select needs them", itemIndex), {
					description: 'Give its choices, separated by commas (e.g. free, pro, team).',
					itemIndex,
				});
			}
			body.typeConfig = { options: [...new Set(choices)], multiple: type === 'MULTI_SELECT' };
		}
		const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		if (typeof extra.description === 'string' && extra.description.trim() !== '') body.description = extra.description.trim();
		return { body };
	},
	request: (plan) => ({ method: 'POST', path: '/contact-properties', body: plan.body }),
	output: (json) => [{ ...((json.property ?? {}) as IDataObject) }],
	// SMASHSEND may have created it on an attempt whose answer was lost, or an earlier try of Retry
	// On Fail did: look for it before creating it twice, and when SMASHSEND says the name is taken.
	conflict: (answer) => answer.statusCode === 409,
	async findExisting(plan, find) {
		let cursor: string | undefined;
		for (let page = 0; page < 100; page++) {
			const request: RestRequest = {
				method: 'GET',
				path: '/contacts/properties',
				qs: { type: 'CUSTOM', limit: PROPERTY_PAGE_SIZE, ...(cursor ? { cursor } : {}) },
			};
			const { items = [], hasMore, cursor: next } = propertiesPage(await find(request));
			const found = items.find(sameProperty(plan));
			if (found) return [{ ...found }];
			if (!hasMore || !next) return undefined;
			cursor = next;
		}
		return undefined;
	},
});

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'displayName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Favourite color',
		description: 'The name SMASHSEND shows for the property',
		displayOptions: { show },
	},
	{
		displayName: 'Type',
		name: 'propertyType',
		type: 'options',
		default: 'STRING',
		options: PROPERTY_TYPES,
		description: 'What kind of value contacts have for it',
		displayOptions: { show },
	},
	{
		displayName: 'Choices',
		name: 'choices',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. free, pro, team',
		description: 'The values a contact can have, separated by commas',
		displayOptions: { show: { ...show, propertyType: WITH_CHOICES } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: { show },
		options: [{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'What the property is for' }],
	},
	optionsParameter(show, operation.options),
];
