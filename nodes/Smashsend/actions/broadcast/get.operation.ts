import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { restOperation } from '../../channels/rest/restChannel';
import { optionsParameter } from '../../runner/options';
import { broadcastLocator, readBroadcastId, withoutEarlyAccess } from './broadcastLocator';

const show = { resource: ['broadcast'], operation: ['get'] };

/** Broadcast → Get: one broadcast, with its status. */
export const operation = restOperation<{ id: string }>({
	keyPrefix: 'broadcast.get',
	successSentence: 'Broadcasts read for',
	isWrite: false,
	prepare(itemIndex) {
		return { id: readBroadcastId.call(this, itemIndex) };
	},
	request: (plan) => ({ method: 'GET', path: `/broadcasts/${encodeURIComponent(plan.id)}` }),
	output: (json) => [{ ...((json.broadcast ?? {}) as IDataObject) }],
	closesRun: withoutEarlyAccess,
});

export const description: INodeProperties[] = [broadcastLocator(show, 'The broadcast to get'), optionsParameter(show, operation.options)];
