import type { IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { toRawResponse, type RawResponse } from '../../../shared/transport/response';
import { USER_AGENT } from '../../../shared/transport/userAgent';

/** A body ready to send: its content type and its text. */
export interface EncodedBody {
	contentType: string;
	body: string;
}

export interface FlowWebhookCall {
	url: string;
	body: EncodedBody;
	/** The same for every attempt of one item, so that SMASHSEND can drop repeats if it honours it. */
	idempotencyKey: string;
	timeoutMs: number;
	abortSignal?: AbortSignal;
}

/**
 * The only code that speaks HTTP to a flow webhook: one POST, whatever the answer.
 * HTTP error statuses come back as responses; only network failures throw.
 */
export async function callFlowWebhook(this: IExecuteFunctions, call: FlowWebhookCall): Promise<RawResponse> {
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: call.url,
		headers: {
			'Content-Type': call.body.contentType,
			Accept: 'application/json',
			'User-Agent': USER_AGENT,
			'Idempotency-Key': call.idempotencyKey,
		},
		body: call.body.body,
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: call.timeoutMs,
		abortSignal: call.abortSignal,
	};
	return toRawResponse((await this.helpers.httpRequest(options)) as IN8nHttpFullResponse);
}
