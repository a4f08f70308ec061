import type { FailedAnswer } from '../../../shared/transport/response';
import { classifyFailure } from '../../delivery/retryPolicy';
import { forItem, type ErrorText } from '../../contract/failures';

/** What may be true of a REST call whose answer was lost, and what to check. */
export const REST_UNSURE = { unsure: 'SMASHSEND may or may not have carried the call out', checkFirst: 'Check the record in SMASHSEND' };

/**
 * Whether an answer leaves open that SMASHSEND carried the call out: a timeout or a server
 * error answered after the call reached it (408, 500, 502–504, Cloudflare's 520 and 524).
 */
function mayHaveBeenDone(failure: FailedAnswer): boolean {
	return classifyFailure({ kind: 'answer', statusCode: failure.statusCode }) === 'maybe-arrived';
}

/** What to do next after a REST answer that was not a success; `changes`: the call writes. */
export function restAdviceFor(failure: FailedAnswer, ratePerMinute: number, changes = true): string {
	const { statusCode } = failure;
	if (failure.unconfirmed) {
		const check = "Check the SMASHSEND API credential's Base URL: something other than SMASHSEND's API may answer there.";
		return changes
			? `${check} SMASHSEND may or may not have carried the call out: ${REST_UNSURE.checkFirst.toLowerCase()} before sending the item again.`
			: check;
	}
	// Running the workflow again is a new execution: new keys, so a second email or event.
	if (changes && mayHaveBeenDone(failure)) {
		return `The call reached SMASHSEND or a proxy in front of it, which then did not finish it, so ${REST_UNSURE.unsure}. ${REST_UNSURE.checkFirst} before sending the item again.`;
	}
	if (statusCode >= 300 && statusCode < 400) {
		return "The Base URL answered with a redirect, which the node never follows so that the API key is not sent to another address. Put the address SMASHSEND's API really has into the SMASHSEND API credential.";
	}
	if (statusCode === 400 || statusCode === 422)
		return "Fix this item's data (see SMASHSEND's message); sending it again unchanged fails the same way.";
	if (statusCode === 401)
		return 'SMASHSEND does not accept the API key. Copy it again from Settings → API Keys into the SMASHSEND API credential.';
	if (statusCode === 403) {
		return 'The API key may not do this: VIEWER keys can only get, find and list contacts. Use an EDITOR key in the SMASHSEND API credential.';
	}
	if (statusCode === 404)
		return 'SMASHSEND has no such record (check the ID or email of this item), or the Base URL of the credential is wrong.';
	if (statusCode === 409) return 'This conflicts with another record in SMASHSEND (see its message).';
	if (statusCode === 429) {
		const wait = failure.retryAfter ? ` SMASHSEND asked to wait ${failure.retryAfter}${/^\d+$/.test(failure.retryAfter) ? ' s' : ''}.` : '';
		const pace =
			ratePerMinute > 0
				? `This node sends at most ${formatPerMinute(ratePerMinute)} requests per minute (Options → Rate Limit); lower it if other workflows use the same key.`
				: "This node has no Rate Limit (Options → Rate Limit is 0): set one, such as 60 requests per minute, SMASHSEND's free plan's limit.";
		return `SMASHSEND's rate limit was reached.${wait} ${pace}`;
	}
	if (statusCode >= 500 || statusCode === 408)
		return "SMASHSEND or a proxy in front of it could not handle the call. Check SMASHSEND's status, then run the workflow again.";
	return "Check this item's data and SMASHSEND's message.";
}

/** "60", "0.5": a per-minute rate as users set it. */
function formatPerMinute(perMinute: number): string {
	return Number.isInteger(perMinute) ? perMinute.toLocaleString('en') : String(Math.round(perMinute * 100) / 100);
}

/** What happened, by the kind of answer: "rejected" only for what SMASHSEND refused in the item itself. */
function restHeadline(statusCode: number): string {
	if (statusCode === 401) return 'SMASHSEND refused the API key';
	if (statusCode === 403) return 'SMASHSEND does not allow this with the API key';
	if (statusCode === 429) return 'SMASHSEND asked to slow down';
	if (statusCode >= 500 || statusCode === 408) return 'SMASHSEND could not handle the call';
	if (statusCode >= 300 && statusCode < 400) return 'The Base URL redirected elsewhere';
	return 'SMASHSEND rejected the item';
}

/** An answer that failed one item's call: "rejected" only when SMASHSEND refused it, not when it may have done it. */
export function describeRestFailure(failure: FailedAnswer, itemIndex: number, ratePerMinute: number, changes = true): ErrorText {
	const unsure = failure.unconfirmed || (changes && mayHaveBeenDone(failure));
	const what = unsure ? 'SMASHSEND did not confirm the call' : restHeadline(failure.statusCode);
	return {
		message: forItem(`${what}: ${failure.serverMessage}`, itemIndex),
		description: restAdviceFor(failure, ratePerMinute, changes),
	};
}
