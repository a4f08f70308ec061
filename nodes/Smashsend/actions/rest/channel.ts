import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RestRequest } from '../../../shared/transport/restApi';
import { openRestClient } from '../../../shared/transport/restClient';
import { answerFailure, networkFailure } from '../shared/attempts';
import type { Channel, Operation } from '../shared/operation';
import { DEFAULTS, optionsParameter, type OptionsSpec, type Settings } from '../shared/options';
import { describeRestFailure, REST_UNSURE } from './answer';

/**
 * SMASHSEND's REST API with the node's SMASHSEND API credential; the key never reaches an
 * error. `changes`: whether the operation's calls change something in SMASHSEND, for the
 * words of a call that may have been carried out.
 */
export async function openRestChannel(
	this: IExecuteFunctions,
	settings: Settings,
	changes: boolean,
): Promise<Channel<RestRequest, IDataObject>> {
	const client = await openRestClient.call(this, { nextStep: 'Edit the SMASHSEND API credential of this node. Nothing was sent.' });
	return {
		...REST_UNSURE,
		redact: client.redact,
		paceKey: client.account,
		describeAnswer: (answer, itemIndex) => describeRestFailure(answer, itemIndex, settings.ratePerMinute, changes),
		send: async (request, itemIndex, signal) => {
			const outcome = await client.call(request, { timeoutMs: settings.timeoutMs, abortSignal: signal });
			if (outcome.ok) return { ok: true, value: outcome.json };
			return 'network' in outcome ? networkFailure(outcome.network.code, itemIndex, REST_UNSURE) : answerFailure(outcome.failure);
		},
	};
}

/**
 * A REST operation: its own parts, with the REST channel and SMASHSEND's documented rate
 * limit (60 requests a minute, unless it says otherwise) filled in.
 */
export function restOperation<P>(
	definition: Omit<Operation<P, RestRequest, IDataObject>, 'open' | 'options'> & { ratePerMinute?: number },
): Operation<P, RestRequest, IDataObject> {
	const { ratePerMinute = DEFAULTS.ratePerMinute, ...rest } = definition;
	return {
		...rest,
		async open(settings) {
			return await openRestChannel.call(this, settings, rest.changes);
		},
		options: restOptionsSpec(ratePerMinute, rest.batch !== undefined),
	};
}

function restOptionsSpec(ratePerMinute: number, batches: boolean): OptionsSpec {
	return { rateLimit: ratePerMinute, ratePeriod: 'minute', batches };
}

/**
 * The Options collection of a REST operation: the delivery knobs, with its documented rate
 * limit, and Batch Size for operations that send several items per call.
 */
export function restOptions(
	show: Record<string, string[]>,
	{ ratePerMinute = DEFAULTS.ratePerMinute, batches = false }: { ratePerMinute?: number; batches?: boolean } = {},
): INodeProperties {
	return optionsParameter(show, restOptionsSpec(ratePerMinute, batches));
}
