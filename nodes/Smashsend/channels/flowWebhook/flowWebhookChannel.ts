import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { FLOW_WEBHOOK_CREDENTIAL } from '../../../shared/credentials';
import { withDeadline } from '../../../shared/transport/deadline';
import { networkErrorCode } from '../../../shared/transport/networkErrors';
import { callFlowWebhook, type EncodedBody } from './flowWebhookCall';
import { refusedAttempt, networkAttempt } from '../attempts';
import type { Channel } from '../../contract/Operation';
import type { Settings } from '../../contract/settings';
import { describeFailedAnswer, FLOW_UNSURE, interpretResponse, type FlowRunResult } from './flowRunAnswer';
import { parseWebhookUrl, redact } from '../../../shared/flowWebhookUrl';
import { paceKey } from '../../../shared/keys';

/** One flow webhook call: the encoded item and the key that names the call. */
export interface FlowCall {
	body: EncodedBody;
	idempotencyKey: string;
}

/** The flow webhook of the node's SMASHSEND Flow Webhook API credential; its URL never reaches an error. */
export async function openFlowChannel(this: IExecuteFunctions, settings: Settings): Promise<Channel<FlowCall, FlowRunResult>> {
	const credentials = await this.getCredentials(FLOW_WEBHOOK_CREDENTIAL);
	const parsed = parseWebhookUrl(credentials.webhookUrl);
	if (!parsed.ok) {
		throw new NodeOperationError(this.getNode(), parsed.reason, {
			description: 'Edit the SMASHSEND Flow Webhook API credential of this node. Nothing was sent.',
		});
	}
	const { webhook } = parsed;
	return {
		...FLOW_UNSURE,
		redact: (text) => redact(text, webhook.secrets),
		paceKey: paceKey('flow', webhook.url),
		describeAnswer: describeFailedAnswer,
		send: async (call, itemIndex, signal) => {
			let response;
			try {
				// Timeout is the call's deadline, from start to end: a server that answers a byte at a time is cut off too.
				const done = await withDeadline(
					settings.timeoutMs,
					signal,
					async (abortSignal) =>
						await callFlowWebhook.call(this, {
							url: webhook.url,
							body: call.body,
							idempotencyKey: call.idempotencyKey,
							timeoutMs: settings.timeoutMs,
							abortSignal,
						}),
				);
				if (done.late) return networkAttempt('ECONNABORTED', itemIndex, FLOW_UNSURE);
				response = done.value;
			} catch (error) {
				return networkAttempt(networkErrorCode(error), itemIndex, FLOW_UNSURE);
			}
			const answer = interpretResponse(response, webhook.secrets);
			return answer.ok ? { ok: true, value: answer.result } : refusedAttempt(answer.failure);
		},
	};
}
