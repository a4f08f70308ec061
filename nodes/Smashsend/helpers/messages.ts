import type { ItemResult } from '../delivery/deliver';
import { classifyFailure } from '../delivery/retryPolicy';
import type { FailedAnswer } from './response';

export interface ErrorText {
	message: string;
	description: string;
}

const COPY_URL_AGAIN =
	"Open the flow in SMASHSEND, copy the URL of its Webhook trigger again and paste it into this node's SMASHSEND Flow Webhook credential.";

/** What to do next, for each kind of answer SMASHSEND can give. */
export function adviceFor(failure: FailedAnswer): string {
	const { statusCode } = failure;
	if (failure.unconfirmed) {
		return 'SMASHSEND did not confirm a flow run, so the flow may or may not have started for this item. Check the flow\'s runs in SMASHSEND before sending the item again.';
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
		return 'The call timed out on the way to SMASHSEND; the flow may or may not have started. Check the flow\'s runs in SMASHSEND before sending the item again.';
	}
	if (statusCode >= 500) {
		return "SMASHSEND or a proxy in front of it had a problem; the flow may or may not have started. Check SMASHSEND's status and the flow's runs, then run the workflow again.";
	}
	return 'Check the flow webhook in SMASHSEND and the data of this item.';
}

export function describeFailedAnswer(failure: FailedAnswer, itemIndex: number): ErrorText {
	const what = failure.unconfirmed
		? `SMASHSEND did not confirm a flow run for item ${itemIndex} (HTTP ${failure.statusCode})`
		: `SMASHSEND rejected item ${itemIndex} (HTTP ${failure.statusCode})`;
	return { message: `${what}: ${failure.serverMessage}`, description: adviceFor(failure) };
}

const NETWORK_CAUSES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset',
	EPIPE: 'the connection was closed while sending',
	ENOTFOUND: "the host name could not be resolved (DNS)",
	EAI_AGAIN: 'the host name could not be resolved (DNS, temporary failure)',
	ETIMEDOUT: 'the connection timed out',
	ECONNABORTED: 'no answer came before the timeout',
	ESOCKETTIMEDOUT: 'no answer came before the timeout',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	ERR_CANCELED: 'the execution was cancelled',
	CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
	DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed",
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate could not be verified",
};

const NETWORK_CODE = /^(E[A-Z0-9_]+|ERR_[A-Z0-9_]+|[A-Z_]*CERT[A-Z_]*|UNABLE_TO_[A-Z_]+)$/;

/**
 * The error code of a failed request, wherever n8n's helper put it: axios sets `code`, Node
 * nests it in `cause`; `httpRequestWithAuthentication` wraps every failure in a NodeApiError,
 * which keeps the original as `cause` on n8n 2.x but drops it on 1.x, where only the code it
 * found survives, as `httpCode`.
 */
export function networkErrorCode(error: unknown, depth = 0): string | undefined {
	if (typeof error !== 'object' || error === null || depth > 5) return undefined;
	const { code, cause, httpCode } = error as { code?: unknown; cause?: unknown; httpCode?: unknown };
	if (typeof code === 'string' && code !== 'ERR_BAD_RESPONSE' && code !== 'ERR_BAD_REQUEST') return code;
	const nested = networkErrorCode(cause, depth + 1);
	if (nested !== undefined) return nested;
	return typeof httpCode === 'string' && NETWORK_CODE.test(httpCode) ? httpCode : undefined;
}

const NETWORK_LABELS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	EPIPE: 'connection closed',
	ENOTFOUND: 'DNS failure',
	EAI_AGAIN: 'DNS failure',
	ETIMEDOUT: 'connect timeout',
	ECONNABORTED: 'timeout',
	ESOCKETTIMEDOUT: 'timeout',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ERR_CANCELED: 'cancelled',
};

/**
 * A failed attempt in the list of attempts an error message shows. Not the code itself:
 * n8n replaces any error message that contains a common network code (ECONNRESET, …, in
 * any case) with a generic sentence, which would drop the item number.
 */
export function networkLabel(code: string | undefined): string {
	return (code && NETWORK_LABELS[code]) ?? 'network error';
}

/**
 * What a network failure was, in words only: n8n replaces an error message that names the
 * code (ECONNREFUSED, …) with a generic sentence, so the code belongs in the description.
 */
export function networkCause(code: string | undefined): string {
	return (code && NETWORK_CAUSES[code]) ?? 'the request failed before SMASHSEND answered';
}

/** The code of a network failure, for an error's description. */
export function networkCodeNote(code: string | undefined): string {
	return code ? `Error code ${code}.` : '';
}

export function describeNetworkError(code: string | undefined, itemIndex: number): ErrorText {
	const cause = (code && NETWORK_CAUSES[code]) ?? 'the request failed before SMASHSEND answered';
	const ambiguous = classifyFailure({ kind: 'network', code }) === 'maybe-arrived';
	// The code goes in the description: n8n replaces any error message that names a
	// common network code with a generic sentence, which would drop the item number.
	const codeNote = code ? ` (error code ${code})` : '';
	return {
		message: `Could not reach SMASHSEND for item ${itemIndex}: ${cause}`,
		description: ambiguous
			? `The request may have reached SMASHSEND before the failure${codeNote}, so the flow may or may not have started. Check the flow's runs in SMASHSEND before sending the item again.`
			: `The request did not reach SMASHSEND${codeNote}. Check that n8n can reach the internet (proxy, firewall, DNS), then run the workflow again.`,
	};
}

/** "0–3, 5, 7–9": item indices as short ranges. */
export function itemRanges(indices: number[]): string {
	const sorted = [...indices].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let i = 0; i < sorted.length; i++) {
		let j = i;
		while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
		parts.push(j > i ? `${sorted[i]}–${sorted[j]}` : `${sorted[i]}`);
		i = j;
	}
	return parts.join(', ');
}

type DeliveryStatus = { status: string };

/** What happened to the other items when the node stops at one failure (or is cancelled). */
export function describeOtherItems(
	results: DeliveryStatus[],
	failedIndex: number,
	wording: { done: string; unsure: string } = { done: 'Flows started for', unsure: 'the flow may or may not have started' },
): string {
	const { done, unsure } = wording;
	const byStatus = (status: string) =>
		results.flatMap((r, index) => (r.status === status && index !== failedIndex ? [index] : []));
	const plural = (list: number[]) => (list.length === 1 ? 'item' : 'items');
	const sentences: string[] = [];
	const delivered = byStatus('delivered');
	const failed = byStatus('failed');
	const abandoned = byStatus('abandoned');
	const notSent = [...byStatus('not-sent'), ...byStatus('cancelled')];
	if (delivered.length) sentences.push(`${done} ${plural(delivered)} ${itemRanges(delivered)}.`);
	if (failed.length) sentences.push(`Also failed: ${plural(failed)} ${itemRanges(failed)}.`);
	if (abandoned.length) {
		sentences.push(
			`Stopped before SMASHSEND confirmed ${plural(abandoned)} ${itemRanges(abandoned)} (${unsure}).`,
		);
	}
	if (notSent.length) sentences.push(`Not sent: ${plural(notSent)} ${itemRanges(notSent)}.`);
	return sentences.join(' ');
}

export function describeDeliveryFailure(args: {
	result: Extract<ItemResult<unknown, { answer: FailedAnswer } | { network: ErrorText }>, { status: 'failed' | 'abandoned' }>;
	itemIndex: number;
	ambiguous: 'retry' | 'fail';
	/** How an answer is told; the flow webhook's wording by default (the REST resources pass theirs). */
	describeAnswer?: (answer: FailedAnswer, itemIndex: number) => ErrorText;
}): ErrorText {
	const { result, itemIndex } = args;
	const describeAnswer = args.describeAnswer ?? describeFailedAnswer;
	const base = 'answer' in result.failure ? describeAnswer(result.failure.answer, itemIndex) : result.failure.network;
	const tries = result.attempts > 1 ? ` (after ${result.attempts} attempts: ${result.history.join(', ')})` : '';
	const notes: string[] = [base.description];
	if (result.status === 'abandoned') {
		notes.push('It was not retried further because another item failed and the node stopped.');
	} else if (result.retriesExhausted) {
		notes.push(`Gave up after ${result.attempts} attempts; raise Options → Max Retries or Max Wait per Retry to keep trying longer.`);
	} else if (result.cause === 'maybe-arrived' && args.ambiguous === 'fail') {
		notes.push('Not retried: Options → When Unsure If the Flow Started is set to fail the item (at most once).');
	}
	return { message: `${base.message}${tries}`, description: notes.join(' ') };
}
