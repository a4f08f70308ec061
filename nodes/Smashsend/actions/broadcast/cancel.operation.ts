import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { restOperation } from '../../channels/rest/restChannel';
import { optionsParameter } from '../../runner/options';
import { broadcastLocator, readBroadcastId, withoutEarlyAccess } from './broadcastLocator';

const show = { resource: ['broadcast'], operation: ['cancel'] };

/** Broadcast → Cancel: a scheduled broadcast, not sent. A retry that SMASHSEND answers "already cancelled" is done. */
export const operation = restOperation<{ id: string }>({
	keyPrefix: 'broadcast.cancel',
	successSentence: 'Broadcasts cancelled for',
	isWrite: true,
	prepare(itemIndex) {
		return { id: readBroadcastId.call(this, itemIndex) };
	},
	request: (plan) => ({ method: 'POST', path: `/broadcasts/${encodeURIComponent(plan.id)}/cancel`, body: {} }),
	output: (json) => [{ ...((json.broadcast ?? {}) as IDataObject) }],
	doneAfterLostAnswer: (answer, plan) =>
		answer.statusCode === 409 && /already cancel/i.test(answer.serverMessage) ? [{ id: plan.id, status: 'CANCELLED' }] : undefined,
	orderKey: (plan) => plan.id,
	closesRun: withoutEarlyAccess,
});

export const description: INodeProperties[] = [
	broadcastLocator(show, 'The scheduled broadcast to cancel'),
	optionsParameter(show, operation.options),
];
