import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { restOperation } from '../../channels/rest/restChannel';
import { optionsParameter } from '../../runner/options';
import { formIdParameter, readPathSegment } from './formParameters';

const show = { resource: ['form'], operation: ['getEntryPosition'] };

/** Form → Get Entry Position: where one person stands on a form's waitlist ("you are #12"). */
export const operation = restOperation<{ formId: string; entry: string }>({
	keyPrefix: 'form.getEntryPosition',
	successSentence: 'Positions read for',
	isWrite: false,
	prepare(itemIndex) {
		return {
			formId: readPathSegment.call(this, 'formId', 'Form ID', itemIndex),
			entry: readPathSegment.call(this, 'entry', 'Entry', itemIndex),
		};
	},
	request: (plan) => ({
		method: 'GET',
		path: `/forms/${encodeURIComponent(plan.formId)}/entries/${encodeURIComponent(plan.entry)}/position`,
	}),
	output: (json, plan) => [{ entry: plan.entry, ...((json.position ?? {}) as IDataObject) }],
});

export const description: INodeProperties[] = [
	formIdParameter(show),
	{
		displayName: 'Entry',
		name: 'entry',
		type: 'string',
		default: '={{ $json.email }}',
		required: true,
		placeholder: 'e.g. name@example.com or fen_abc123',
		description: "The person's email, or their entry's ID (from Submit's output)",
		displayOptions: { show },
	},
	optionsParameter(show, operation.options),
];
