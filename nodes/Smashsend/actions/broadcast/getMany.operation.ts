import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { RestRequest } from '../../../shared/transport/restApi';
import { restOperation } from '../../channels/rest/restChannel';
import { readMaxResults, returnAllParameters } from '../../parameters/returnAll';
import { optionsParameter } from '../../runner/options';
import { withoutEarlyAccess } from './broadcastLocator';

const show = { resource: ['broadcast'], operation: ['getMany'] };
/** The most broadcasts asked for in one page (SMASHSEND's largest is not documented). */
const PAGE_SIZE = 100;

/** The statuses a broadcast goes through, as far as SMASHSEND says (DRAFT; the others unconfirmed). */
export const BROADCAST_STATUSES = [
	{ name: 'Cancelled', value: 'CANCELLED' },
	{ name: 'Draft', value: 'DRAFT' },
	{ name: 'Scheduled', value: 'SCHEDULED' },
	{ name: 'Sending', value: 'SENDING' },
	{ name: 'Sent', value: 'SENT' },
];

interface Plan {
	max: number;
	status?: string;
}

const page = (plan: Plan, collected: number, cursor?: string): RestRequest => ({
	method: 'GET',
	path: '/broadcasts',
	qs: { ...(plan.status ? { status: plan.status } : {}), limit: Math.min(PAGE_SIZE, plan.max - collected), ...(cursor ? { cursor } : {}) },
});

const listOf = (json: IDataObject) => (json.broadcasts ?? {}) as IDataObject;

/** Broadcast → Get Many: the workspace's broadcasts, over SMASHSEND's pages. */
export const operation = restOperation<Plan>({
	keyPrefix: 'broadcast.getMany',
	successSentence: 'Broadcasts listed for',
	isWrite: false,
	prepare(itemIndex) {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		return {
			max: readMaxResults.call(this, itemIndex),
			...(typeof filters.status === 'string' && filters.status !== '' ? { status: filters.status } : {}),
		};
	},
	request: (plan) => page(plan, 0),
	pages: {
		items: (json) => {
			const items = listOf(json).items;
			return Array.isArray(items) ? (items as IDataObject[]) : undefined;
		},
		next(json, plan, collected) {
			const { hasMore, cursor } = listOf(json);
			return hasMore && typeof cursor === 'string' && cursor !== '' && collected < plan.max ? page(plan, collected, cursor) : undefined;
		},
		max: (plan) => plan.max,
	},
	output: (broadcast) => [{ ...broadcast }],
	closesRun: withoutEarlyAccess,
});

export const description: INodeProperties[] = [
	...returnAllParameters(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		displayOptions: { show },
		options: [{ displayName: 'Status', name: 'status', type: 'options', default: 'DRAFT', options: BROADCAST_STATUSES }],
	},
	optionsParameter(show, operation.options),
];
