import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { restOperation } from '../../channels/rest/restChannel';
import { forItem } from '../../contract/failures';
import { checkEmail } from '../../helpers/emailAddress';
import { listOf } from '../../parameters/list';
import { optionsParameter } from '../../runner/options';
import { broadcastLocator, readBroadcastId, withoutEarlyAccess } from './broadcastLocator';

const show = { resource: ['broadcast'], operation: ['sendTest'] };

/**
 * Broadcast → Send Test: a copy to workspace members, its subject starting [TEST]. SMASHSEND
 * documents no way to recognise a repeat: a test whose answer was lost is not sent again unless
 * the user says At Least Once (Options → When Unsure If the Test Was Sent).
 */
export const operation = restOperation<{ id: string; emails: string[] }>({
	keyPrefix: 'broadcast.sendTest',
	successSentence: 'Tests sent for',
	isWrite: true,
	notRetried: 'Not retried: Options → When Unsure If the Test Was Sent is set to fail the item (at most once).',
	ownOptions: {
		atMostOnceChoice: true,
		ambiguousDefault: 'fail',
		extra: [
			{
				displayName: 'When Unsure If the Test Was Sent',
				name: 'ambiguousFailure',
				type: 'options',
				default: 'fail',
				description: 'When SMASHSEND does not answer in time, or answers with an error of its own, the test may or may not have gone out',
				options: [
					{ name: 'Fail the Item (At Most Once)', value: 'fail', description: 'Do not send it again: no one gets two tests' },
					{ name: 'Retry (At Least Once)', value: 'retry', description: 'Send it again: the test arrives, maybe twice' },
				],
			},
		],
	},
	prepare(itemIndex) {
		const id = readBroadcastId.call(this, itemIndex);
		const emails = listOf(this.getNodeParameter('emails', itemIndex, ''));
		if (emails.length === 0) {
			throw new NodeOperationError(this.getNode(), forItem("'Test Recipients' is empty", itemIndex), {
				description: 'Give one or more addresses of members of your SMASHSEND workspace, separated by commas.',
				itemIndex,
			});
		}
		for (const email of emails) {
			const checked = checkEmail(email, 'Test Recipients', 'Separate addresses with commas.');
			if (!checked.ok)
				throw new NodeOperationError(this.getNode(), forItem(checked.message, itemIndex), { description: checked.description, itemIndex });
		}
		return { id, emails };
	},
	request: (plan) => ({ method: 'POST', path: `/broadcasts/${encodeURIComponent(plan.id)}/test`, body: { emails: plan.emails } }),
	output: (json, plan) => [{ ...((json.broadcast ?? {}) as IDataObject), testSentTo: plan.emails }],
	closesRun: withoutEarlyAccess,
});

export const description: INodeProperties[] = [
	broadcastLocator(show, 'The broadcast to test'),
	{
		displayName: 'Test Recipients',
		name: 'emails',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. you@yourcompany.com, team@yourcompany.com',
		description: 'Members of your SMASHSEND workspace, separated by commas: SMASHSEND sends tests to members only',
		displayOptions: { show },
	},
	optionsParameter(show, operation.options),
];
