import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { restOperation } from '../../channels/rest/restChannel';
import { forItem } from '../../contract/failures';
import { showValue } from '../../helpers/emailAddress';
import { readDate } from '../../parameters/date';
import { optionsParameter } from '../../runner/options';
import { broadcastLocator, readBroadcastId, withoutEarlyAccess } from './broadcastLocator';

const show = { resource: ['broadcast'], operation: ['schedule'] };

/**
 * Broadcast → Schedule: a draft sent at Send At, or now. A retry after a lost answer that
 * SMASHSEND answers "already scheduled" (409) is the schedule done.
 */
export const operation = restOperation<{ id: string; sendAt?: string }>({
	keyPrefix: 'broadcast.schedule',
	successSentence: 'Broadcasts scheduled for',
	isWrite: true,
	prepare(itemIndex) {
		const id = readBroadcastId.call(this, itemIndex);
		const given = this.getNodeParameter('sendAt', itemIndex, '');
		if (given === '' || given === undefined || given === null) return { id };
		const time = readDate(given, this.getTimezone?.());
		if (time === undefined) {
			throw new NodeOperationError(this.getNode(), forItem(`'Send At' is not a date: ${showValue(given)}`, itemIndex), {
				description: 'Map it to a date, such as 2026-08-10T09:00:00Z, or leave it empty to send now.',
				itemIndex,
			});
		}
		return { id, sendAt: new Date(time).toISOString() };
	},
	request: (plan) => ({
		method: 'POST',
		path: `/broadcasts/${encodeURIComponent(plan.id)}/schedule`,
		body: plan.sendAt ? { sendAt: plan.sendAt } : {},
	}),
	output: (json) => [{ ...((json.broadcast ?? {}) as IDataObject) }],
	// After a lost answer, SMASHSEND saying the broadcast is no longer a draft (scheduled, sending,
	// sent) is the schedule done: by the lost call, or by another. The output says only what is known.
	doneAfterLostAnswer: (answer, plan) =>
		answer.statusCode === 409 && /already scheduled|\bsending\b|\bsent\b/i.test(answer.serverMessage)
			? [{ id: plan.id, status: plan.sendAt ? 'SCHEDULED' : 'SENDING' }]
			: undefined,
	// A broadcast's schedules and cancels, in input order.
	orderKey: (plan) => plan.id,
	closesRun: withoutEarlyAccess,
});

export const description: INodeProperties[] = [
	broadcastLocator(show, 'The draft to send'),
	{
		displayName: 'Send At',
		name: 'sendAt',
		type: 'dateTime',
		default: '',
		description:
			"When SMASHSEND sends it to the audience; empty: now (as SMASHSEND's SDK has it, where SMASHSEND supports it). A time without a zone is in the workflow's time zone.",
		displayOptions: { show },
	},
	optionsParameter(show, operation.options),
];
