import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { RestRequest } from '../../../shared/transport/restApi';
import { restOperation } from '../../channels/rest/restChannel';
import { readMaxResults, returnAllParameters } from '../../parameters/returnAll';
import { optionsParameter } from '../../runner/options';
import { formIdParameter, readPathSegment } from './formParameters';

const show = { resource: ['form'], operation: ['getEntryRewards'] };
/** The most rewards asked for in one page (SMASHSEND's largest is not documented). */
const PAGE_SIZE = 100;

interface Plan {
	formId: string;
	entryId: string;
	max: number;
}

const page = (plan: Plan, collected: number, cursor?: string): RestRequest => ({
	method: 'GET',
	path: `/forms/${encodeURIComponent(plan.formId)}/entries/${encodeURIComponent(plan.entryId)}/rewards`,
	qs: { limit: Math.min(PAGE_SIZE, plan.max - collected), ...(cursor ? { cursor } : {}) },
});

const rewardsOf = (json: IDataObject) => (json.rewards ?? {}) as IDataObject;

/** Form → Get Entry Rewards: one person's points ledger (referrals, tasks, adjustments), over SMASHSEND's pages. */
export const operation = restOperation<Plan>({
	keyPrefix: 'form.getEntryRewards',
	successSentence: 'Rewards read for',
	isWrite: false,
	prepare(itemIndex) {
		return {
			formId: readPathSegment.call(this, 'formId', 'Form ID', itemIndex),
			entryId: readPathSegment.call(this, 'entryId', 'Entry ID', itemIndex),
			max: readMaxResults.call(this, itemIndex),
		};
	},
	request: (plan) => page(plan, 0),
	pages: {
		items: (json) => {
			const items = rewardsOf(json).items;
			return Array.isArray(items) ? (items as IDataObject[]) : undefined;
		},
		next(json, plan, collected) {
			const { hasMore, cursor } = rewardsOf(json);
			return hasMore && typeof cursor === 'string' && cursor !== '' && collected < plan.max ? page(plan, collected, cursor) : undefined;
		},
		max: (plan) => plan.max,
	},
	output: (reward) => [{ ...reward }],
});

export const description: INodeProperties[] = [
	formIdParameter(show),
	{
		displayName: 'Entry ID',
		name: 'entryId',
		type: 'string',
		default: '={{ $json.id }}',
		required: true,
		placeholder: 'e.g. fen_abc123',
		description: "The entry's ID, from Submit's output",
		displayOptions: { show },
	},
	...returnAllParameters(show),
	optionsParameter(show, operation.options),
];
