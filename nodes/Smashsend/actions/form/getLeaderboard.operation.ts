import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { restOperation } from '../../channels/rest/restChannel';
import { readMaxResults, returnAllParameters } from '../../parameters/returnAll';
import { optionsParameter } from '../../runner/options';
import { formIdParameter, readPathSegment } from './formParameters';

const show = { resource: ['form'], operation: ['getLeaderboard'] };

/**
 * Form → Get Leaderboard: a form's waitlist, best first, one item per person (rank, email, points,
 * referrals). SMASHSEND answers it in one page: Return All takes what it gives.
 */
export const operation = restOperation<{ formId: string; max: number }>({
	keyPrefix: 'form.getLeaderboard',
	successSentence: 'Leaderboards read for',
	isWrite: false,
	prepare(itemIndex) {
		return { formId: readPathSegment.call(this, 'formId', 'Form ID', itemIndex), max: readMaxResults.call(this, itemIndex) };
	},
	request: (plan) => ({
		method: 'GET',
		path: `/forms/${encodeURIComponent(plan.formId)}/leaderboard`,
		...(Number.isFinite(plan.max) ? { qs: { limit: plan.max } } : {}),
	}),
	pages: {
		items: (json) => {
			const items = ((json.leaderboard ?? {}) as IDataObject).items;
			return Array.isArray(items) ? (items as IDataObject[]) : undefined;
		},
		next: () => undefined,
		max: (plan) => plan.max,
	},
	output: (row) => [{ ...row }],
});

export const description: INodeProperties[] = [
	formIdParameter(show),
	...returnAllParameters(show),
	optionsParameter(show, operation.options),
];
