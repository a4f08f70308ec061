import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { RestRequest } from '../../../shared/transport/restApi';
import { restOperation } from '../../channels/rest/restChannel';
import { readMaxResults, returnAllParameters } from '../../parameters/returnAll';
import { FROM_VERSION_4, nodeVersion, UP_TO_VERSION_3 } from '../../parameters/versions';
import { optionsParameter } from '../../runner/options';
import { CONTACT_STATUSES } from './contactFields';
import { contactOutput, readSimplify, simplifyParameter } from './contactOutput';

const show = { resource: ['contact'], operation: ['getMany'] };
/** SMASHSEND's largest page. */
const PAGE_SIZE = 100;

interface Plan {
	max: number;
	query: IDataObject;
	simplify: boolean;
}

const page = (plan: Plan, collected: number, cursor?: string): RestRequest => ({
	method: 'GET',
	path: '/contacts',
	qs: { ...plan.query, limit: Math.min(PAGE_SIZE, plan.max - collected), ...(cursor ? { cursor } : {}) },
});

function contactsOf(json: IDataObject): IDataObject {
	return (json.contacts ?? {}) as IDataObject;
}

export const operation = restOperation<Plan>({
	keyPrefix: 'contact.getMany',
	successSentence: 'Contacts listed for',
	isWrite: false,
	async prepare(itemIndex) {
		const max = readMaxResults.call(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const query: IDataObject = {};
		// From version 4 Sort is a parameter of its own, no longer among the Filters.
		const given = nodeVersion.call(this) >= 4 ? { ...filters, sort: this.getNodeParameter('sort', itemIndex, SORTS[0].value) } : filters;
		for (const key of ['search', 'sort', 'status']) {
			if (typeof given[key] === 'string' && given[key] !== '') query[key] = given[key];
		}
		return { max, query, simplify: readSimplify.call(this, itemIndex) };
	},
	request: (plan) => page(plan, 0),
	pages: {
		items: (json) => {
			const items = contactsOf(json).items;
			return Array.isArray(items) ? (items as IDataObject[]) : undefined;
		},
		next(json, plan, collected) {
			const { hasMore, cursor } = contactsOf(json);
			if (!hasMore || typeof cursor !== 'string' || cursor === '' || collected >= plan.max) return undefined;
			return page(plan, collected, cursor);
		},
		max: (plan) => plan.max,
	},
	output: (contact, plan) => [contactOutput(contact, plan.simplify)],
});

/** The orders SMASHSEND lists contacts in. */
const SORTS = [
	{ name: 'Newest First', value: 'createdAt.desc' },
	{ name: 'Oldest First', value: 'createdAt.asc' },
];

export const description: INodeProperties[] = [
	...returnAllParameters(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				description: 'Contacts whose email or name contains this text',
			},
			{
				displayName: 'Sort',
				name: 'sort',
				type: 'options',
				default: 'createdAt.desc',
				options: SORTS,
				displayOptions: { show: UP_TO_VERSION_3 },
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'SUBSCRIBED',
				options: CONTACT_STATUSES,
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'options',
		default: 'createdAt.desc',
		options: SORTS,
		displayOptions: { show: { ...show, ...FROM_VERSION_4 } },
	},
	simplifyParameter(show),
	optionsParameter(show, operation.options),
];
