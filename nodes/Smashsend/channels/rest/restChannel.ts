import type { IDataObject } from 'n8n-workflow';

import type { RestRequest } from '../../../shared/transport/restApi';
import { openRestClient } from '../../../shared/transport/restClient';
import { findBrokenText, hasBrokenCharacter } from '../../helpers/text';
import { refusedAttempt, networkAttempt } from '../attempts';
import type { Channel, Operation } from '../../contract/Operation';
import { DEFAULTS, type OptionsSpec } from '../../contract/settings';
import { describeRestFailure, REST_UNSURE } from './restWording';

/**
 * A REST operation: its own parts, with the REST channel and SMASHSEND's documented rate
 * limit (60 requests a minute, unless it says otherwise) filled in. The channel is SMASHSEND's
 * REST API with the node's SMASHSEND API credential; the key never reaches an error. Whether
 * the operation's calls change something in SMASHSEND (`isWrite`) words a call that may have
 * been carried out.
 */
export function restOperation<P>(
	definition: Omit<Operation<P, RestRequest, IDataObject>, 'open' | 'options'> & {
		ratePerMinute?: number;
		/** Options only this operation has, and what a call that may have been carried out gets (see OptionsSpec). */
		ownOptions?: Pick<OptionsSpec, 'extra' | 'atMostOnceChoice' | 'ambiguousDefault'>;
		/** Why a call that may have been carried out is not sent again (with `ambiguousDefault: 'fail'`). */
		notRetried?: string;
	},
): Operation<P, RestRequest, IDataObject> {
	const { ratePerMinute = DEFAULTS.ratePerMinute, ownOptions, notRetried, ...rest } = definition;
	return {
		...rest,
		async open(settings): Promise<Channel<RestRequest, IDataObject>> {
			const client = await openRestClient.call(this, { nextStep: 'Edit the SMASHSEND API credential of this node. Nothing was sent.' });
			return {
				...REST_UNSURE,
				...(notRetried ? { notRetried } : {}),
				redact: client.redact,
				unsendable: (request) => {
					if (hasBrokenCharacter(request.path)) return 'its address';
					const where = findBrokenText(request.qs ?? {});
					return where === undefined ? undefined : `the query parameter '${where}'`;
				},
				paceKey: client.account,
				describeAnswer: (answer, itemIndex) => describeRestFailure(answer, itemIndex, settings.ratePerMinute, rest.isWrite),
				send: async (request, itemIndex, signal) => {
					const outcome = await client.call(request, { timeoutMs: settings.timeoutMs, abortSignal: signal });
					if (outcome.ok) return { ok: true, value: outcome.json };
					return 'network' in outcome ? networkAttempt(outcome.network.code, itemIndex, REST_UNSURE) : refusedAttempt(outcome.failure);
				},
			};
		},
		options: { ...restOptionsSpec(ratePerMinute, rest.batch !== undefined), ...ownOptions },
	};
}

/** What a REST operation's Options offer: requests per minute (SMASHSEND's limit by default), and Batch Size where it takes batches. */
function restOptionsSpec(ratePerMinute: number, batches: boolean): OptionsSpec {
	return { rateLimit: ratePerMinute, ratePeriod: 'minute', batches };
}
