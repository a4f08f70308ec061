import {
	failedAnswer,
	readAnswer,
	readErrorBody,
	summarizeNonJson,
	type FailedAnswer,
	type RawResponse,
} from '../../../shared/transport/response';
import { classifyFailure } from '../../delivery/retryPolicy';
import { forItem, type ErrorText } from '../../contract/failures';
import { redact } from '../../../shared/flowWebhookUrl';

/** What a flow webhook call confirmed. */
export interface FlowRunResult {
	flowRunId: string;
	success: true;
	message: string;
}

export type Interpretation = { ok: true; result: FlowRunResult } | { ok: false; failure: FailedAnswer };

/**
 * A flow webhook's answer: a flow run, or what went wrong in words safe to show (the
 * webhook URL and its ids redacted). A 2xx without a flowRunId is not a success: the flow
 * may or may not have started.
 */
export function interpretResponse(response: RawResponse, secrets: readonly string[]): Interpretation {
	const answer = readAnswer(response, (text) => redact(text, secrets));
	const { statusCode } = response;
	if (statusCode < 200 || statusCode >= 300) return { ok: false, failure: failedAnswer(response, answer) };
	const { json, safe } = answer;
	const unconfirmed = (serverMessage: string, serverError?: string): Interpretation => ({
		ok: false,
		failure: {
			statusCode,
			unconfirmed: true,
			serverMessage: safe(serverMessage),
			serverError: serverError === undefined ? undefined : safe(serverError),
			...(answer.requestId ? { requestId: answer.requestId } : {}),
		},
	});
	if (typeof json !== 'object' || json === null)
		return unconfirmed(`SMASHSEND answered with ${summarizeNonJson(answer.body, answer.contentType)}`);
	const body = json as Record<string, unknown>;
	const { message, error } = readErrorBody(body);
	if (body.success === false) return unconfirmed(`SMASHSEND answered success: false${message ? ` (${message})` : ''}`, error);
	if (typeof body.flowRunId !== 'string' || body.flowRunId === '')
		return unconfirmed(`SMASHSEND's answer has no flowRunId${message ? ` (${message})` : ''}`);
	return { ok: true, result: { flowRunId: body.flowRunId, success: true, message: typeof body.message === 'string' ? body.message : '' } };
}

/** What may be true of a flow call whose answer was lost, and what to check. */
export const FLOW_UNSURE = { unsure: 'the flow may or may not have started', checkFirst: "Check the flow's runs in SMASHSEND" };

const COPY_URL_AGAIN =
	"Open the flow in SMASHSEND, copy the URL of its Webhook trigger again and paste it into this node's SMASHSEND Flow Webhook API credential.";

/** What to do next, for each kind of answer a flow webhook can give. */
export function adviceFor(failure: FailedAnswer): string {
	const { statusCode } = failure;
	if (failure.unconfirmed) {
		return "SMASHSEND did not confirm a flow run, so the flow may or may not have started for this item. Check the flow's runs in SMASHSEND before sending the item again.";
	}
	if (statusCode === 400 || statusCode === 422) {
		return "Fix this item's data (see SMASHSEND's message); sending it again unchanged fails the same way.";
	}
	if (statusCode === 401 || statusCode === 403) return `SMASHSEND refused the webhook URL. ${COPY_URL_AGAIN}`;
	if (statusCode === 404 || statusCode === 405 || statusCode === 410) {
		return `SMASHSEND does not know this flow webhook: the flow may have been deleted or its trigger changed. ${COPY_URL_AGAIN}`;
	}
	if (statusCode === 413) {
		return "The item is too large for SMASHSEND. Send fewer fields: set 'Data to Send' to 'Only Fields Defined Below' or 'JSON'.";
	}
	if (statusCode === 415) return "SMASHSEND did not accept the body's encoding. Set Options → Body Content Type to JSON.";
	if (statusCode === 429) {
		const wait = failure.retryAfter ? ` SMASHSEND asked to wait ${failure.retryAfter}${/^\d+$/.test(failure.retryAfter) ? ' s' : ''}.` : '';
		return `SMASHSEND is limiting how fast flows can be triggered.${wait} Run the workflow again later, or send items more slowly.`;
	}
	if (statusCode === 408 || statusCode === 504) {
		return "The call timed out on the way to SMASHSEND; the flow may or may not have started. Check the flow's runs in SMASHSEND before sending the item again.";
	}
	if (statusCode >= 500) {
		return "SMASHSEND or a proxy in front of it could not handle the call; the flow may or may not have started. Check SMASHSEND's status and the flow's runs, then run the workflow again.";
	}
	return 'Check the flow webhook in SMASHSEND and the data of this item.';
}

/** What happened, by the kind of answer: "rejected" only for what SMASHSEND refused in the item itself. */
function flowHeadline(statusCode: number): string {
	if (statusCode === 401 || statusCode === 403) return 'SMASHSEND refused the webhook URL';
	if (statusCode === 404 || statusCode === 405 || statusCode === 410) return 'SMASHSEND does not know this flow webhook';
	if (statusCode === 429) return 'SMASHSEND asked to slow down';
	return 'SMASHSEND rejected the item';
}

export function describeFailedAnswer(failure: FailedAnswer, itemIndex: number): ErrorText {
	// "Rejected" only when SMASHSEND refused the call; after a timeout or a server error it may have started the flow.
	const unsure = failure.unconfirmed || classifyFailure({ kind: 'answer', statusCode: failure.statusCode }) === 'maybe-arrived';
	const what = unsure ? 'SMASHSEND did not confirm a flow run' : flowHeadline(failure.statusCode);
	return { message: forItem(`${what}: ${failure.serverMessage}`, itemIndex), description: adviceFor(failure) };
}
