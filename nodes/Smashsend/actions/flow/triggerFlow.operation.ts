import type { INodeProperties } from 'n8n-workflow';

import { emailParameter } from '../../parameters/email';
import type { Operation } from '../../contract/Operation';
import type { OptionsSpec } from '../../contract/settings';
import { optionsParameter } from '../../runner/options';
import type { FlowRunResult } from '../../channels/flowWebhook/flowRunAnswer';
import { openFlowChannel, type FlowCall } from '../../channels/flowWebhook/flowWebhookChannel';
import { prepareFlowCall, type FlowPlan } from './itemCall';

const showFor = { show: { resource: ['flow'], operation: ['trigger'] } };

/** Options only flows have; the delivery knobs every operation has come from optionsParameter. */
const flowOptions: INodeProperties[] = [
	{
		displayName: 'Body Content Type',
		name: 'bodyContentType',
		type: 'options',
		default: 'json',
		description:
			'How the data is written for SMASHSEND. JSON keeps numbers, true/false and nested fields as they are; with the two form types every value is sent as text.',
		options: [
			{ name: 'JSON', value: 'json' },
			{ name: 'Form-Data (Multipart)', value: 'multipart' },
			{ name: 'Form URL-Encoded', value: 'urlencoded' },
		],
	},
	{
		displayName: 'When Unsure If the Flow Started',
		name: 'ambiguousFailure',
		type: 'options',
		default: 'retry',
		description:
			'When SMASHSEND does not answer in time, or answers with an error of its own after the item was sent, the flow may or may not have started for that contact. Choose which is worse for this flow: a contact getting it twice, or a contact missing it. (Every item carries a key that lets SMASHSEND recognise a repeat, but SMASHSEND does not document that it does.)',
		options: [
			{
				name: 'Retry (At Least Once)',
				value: 'retry',
				description: 'Send the item again: no contact misses the flow, but a contact may get it twice',
			},
			{
				name: 'Fail the Item (At Most Once)',
				value: 'fail',
				description: 'Do not send it again, and report the item as failed: no contact gets the flow twice, but a contact may miss it',
			},
		],
	},
	{
		displayName: 'Include Input Fields',
		name: 'includeInputFields',
		type: 'boolean',
		default: false,
		description:
			"Whether to output the input item's fields next to flowRunId, success and message (SMASHSEND's fields win on a name clash)",
	},
];

const FLOW_OPTIONS: OptionsSpec = { ratePeriod: 'second', extra: flowOptions, atMostOnceChoice: true };

export const description: INodeProperties[] = [
	...emailParameter(showFor.show, {
		description: 'The contact the flow runs for. SMASHSEND requires it. By default it is read from the input item\'s "email" field.',
		hint: 'Items whose email is empty or not an address fail alone, and nothing is sent for them',
	}),
	{
		displayName: 'Data to Send',
		name: 'payloadMode',
		type: 'options',
		default: 'allFields',
		description: 'What else the flow receives besides the email. Every field becomes available to all steps of the flow.',
		hint: "The Email above is always sent as 'email'",
		options: [
			{
				name: 'All Input Fields',
				value: 'allFields',
				description: 'Send every field of the input item (all of it, personal data included)',
			},
			{
				name: 'Only Fields Defined Below',
				value: 'definedFields',
				description: 'Send the email and the fields you define, by name or by dragging them in',
			},
			{
				name: 'JSON',
				value: 'json',
				description: 'Send an object written as JSON (expressions allowed)',
			},
		],
		displayOptions: showFor,
	},
	{
		displayName: 'Fields to Send',
		name: 'fields',
		type: 'assignmentCollection',
		default: {},
		description: 'Fields the flow receives. Drag fields from the input panel or type a name and a value.',
		displayOptions: { show: { ...showFor.show, payloadMode: ['definedFields'] } },
	},
	{
		displayName: 'JSON',
		name: 'jsonBody',
		type: 'json',
		default: '{\n  "firstName": "",\n  "lastName": ""\n}',
		description: 'An object whose fields the flow receives',
		displayOptions: { show: { ...showFor.show, payloadMode: ['json'] } },
	},
	optionsParameter(showFor.show, FLOW_OPTIONS),
];

/**
 * Trigger a Flow: each item becomes one call of the flow's webhook (actions/flow/itemCall.ts),
 * and each confirmed call one output item with its flowRunId.
 */
export const operation: Operation<FlowPlan, FlowCall, FlowRunResult> = {
	keyPrefix: 'flow',
	successSentence: 'Flows started for',
	isWrite: true,
	options: FLOW_OPTIONS,
	open: openFlowChannel,
	prepare: prepareFlowCall,
	request: (plan) => plan.call,
	// The Idempotency-Key already names the call (shared/keys.ts).
	key: (plan) => plan.call.idempotencyKey,
	output: (answer, plan, item, attempts) => {
		const json = { email: plan.email, ...answer, attempts };
		return [plan.includeInputFields ? { ...item.json, ...json } : json];
	},
	failedFields: (plan) => ({ email: plan.email }),
};
