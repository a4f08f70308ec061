import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { API_CREDENTIAL } from '../../../shared/credentials';
import { keyRedactor, parseBaseUrl, restCall, type RestRequest } from '../../../shared/transport/restApi';
import { answerFailure, networkFailure } from '../shared/attempts';
import type { Channel, Operation } from '../shared/operation';
import { DEFAULTS, optionsParameter, type OptionsSpec, type Settings } from '../shared/options';
import { describeRestFailure, REST_UNSURE } from './answer';
import { paceKey } from '../../delivery/sharedPace';

/** SMASHSEND's REST API with the node's SMASHSEND API credential; the key never reaches an error. */
export async function openRestChannel(this: IExecuteFunctions, settings: Settings): Promise<Channel<RestRequest, IDataObject>> {
	const credentials = await this.getCredentials(API_CREDENTIAL);
	const base = parseBaseUrl(credentials.baseUrl);
	if (!base.ok)
		throw new NodeOperationError(this.getNode(), base.reason, {
			description: 'Edit the SMASHSEND API credential of this node. Nothing was sent.',
		});
	const key = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	// Should an answer ever echo the key (a debugging proxy's error page), it is not shown.
	const redact = keyRedactor(key);
	return {
		...REST_UNSURE,
		redact,
		paceKey: paceKey('rest', base.url, key),
		describeAnswer: (answer, itemIndex) => describeRestFailure(answer, itemIndex, settings.ratePerMinute),
		send: async (request, itemIndex, signal) => {
			const outcome = await restCall.call(this, base.url, request, { timeoutMs: settings.timeoutMs, abortSignal: signal, redact });
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
	return { ...rest, open: openRestChannel, options: restOptionsSpec(ratePerMinute, rest.batch !== undefined) };
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
