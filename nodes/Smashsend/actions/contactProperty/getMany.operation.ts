import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { RestRequest } from '../../../shared/transport/restApi';
import { restOperation } from '../../channels/rest/restChannel';
import { readMaxResults, returnAllParameters } from '../../parameters/returnAll';
import { optionsParameter } from '../../runner/options';
import { propertiesPage, PROPERTY_PAGE_SIZE } from '../contact/customProperties';

const show = { resource: ['contactProperty'], operation: ['getMany'] };

interface Plan {
	max: number;
}

/** A page as SMASHSEND's SDK asks for one (50 at most), after `cursor` when SMASHSEND gave one. */
const page = (plan: Plan, collected: number, cursor?: string): RestRequest => ({
	method: 'GET',
	path: '/contacts/properties',
	qs: { type: 'CUSTOM', limit: Math.min(PROPERTY_PAGE_SIZE, plan.max - collected), ...(cursor ? { cursor } : {}) },
});

export const operation = restOperation<Plan>({
	keyPrefix: 'contactProperty.getMany',
	successSentence: 'Properties listed for',
	isWrite: false,
	async prepare(itemIndex) {
		return { max: readMaxResults.call(this, itemIndex) };
	},
	request: (plan) => page(plan, 0),
	pages: {
		items: (json) => propertiesPage(json).items,
		// Without a cursor (SMASHSEND's SDK has none) the first page is all there is to ask for.
		next(json, plan, collected) {
			const { hasMore, cursor } = propertiesPage(json);
			return hasMore && cursor && collected < plan.max ? page(plan, collected, cursor) : undefined;
		},
		max: (plan) => plan.max,
	},
	output: (property: IDataObject) => [{ ...property }],
});

export const description: INodeProperties[] = [...returnAllParameters(show), optionsParameter(show, operation.options)];
