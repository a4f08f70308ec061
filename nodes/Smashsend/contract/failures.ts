import { networkCause } from '../../shared/transport/networkErrors';
import { requestIdNote, statusNote, type FailedAnswer } from '../../shared/transport/response';
import type { CallResult } from '../delivery/call';
import { classifyFailure } from '../delivery/retryPolicy';

/**
 * How failures are told, whatever the channel: the channel (flow webhook or REST API) gives
 * its own words for what an answer means and for what a lost answer leaves open.
 */

export interface ErrorText {
	message: string;
	description: string;
}

/**
 * Why one call failed: SMASHSEND's answer, the network, a listing that could not be read, or
 * SMASHSEND's refusal of this one item inside a batch.
 */
export type CallFailure =
	| { answer: FailedAnswer }
	| { network: ErrorText; code?: string }
	| { listing: ErrorText }
	| { rejected: ErrorText; code?: string };

/** The end of a message that names its item, ` [item 3]`: replaced, never repeated. */
const ITEM_TAG = / \[item -?\d+\]$/;

/**
 * An item's message as n8n's guidelines word it: what happened, then the item, "SMASHSEND has
 * no contact with the email ada@example.com [item 2]". A message that names an item already
 * names this one instead: the runner tags every item's error this way, whoever worded it.
 */
export function forItem(message: string, itemIndex: number): string {
	return `${message.replace(ITEM_TAG, '')} [item ${itemIndex}]`;
}

/** The words of a failure that is not an HTTP answer. */
export function failureText(failure: Exclude<CallFailure, { answer: FailedAnswer }>): ErrorText {
	return 'network' in failure ? failure.network : 'listing' in failure ? failure.listing : failure.rejected;
}

/** What a channel says when a call's answer was lost. */
export interface Unsure {
	/** "the flow may or may not have started": what may be true. */
	unsure: string;
	/** "Check the flow's runs in SMASHSEND": what to look at before sending the item again. */
	checkFirst: string;
	/** Why a call that may have been carried out was not sent again (At Most Once); the flows' option by default. */
	notRetried?: string;
}

/** A network failure of one item's call, in the channel's words for a call that may have arrived. */
export function describeNetworkError(code: string | undefined, itemIndex: number, words: Unsure): ErrorText {
	const maybeArrived = classifyFailure({ kind: 'network', code }) === 'maybe-arrived';
	// The code goes in the description: n8n replaces any error message that names a
	// common network code with a generic sentence, which would drop the item number.
	const codeNote = code ? ` (code ${code})` : '';
	return {
		message: forItem(`Could not reach SMASHSEND: ${networkCause(code)}`, itemIndex),
		description: maybeArrived
			? `The request may have reached SMASHSEND before the connection ended${codeNote}, so ${words.unsure}. ${words.checkFirst} before sending the item again.`
			: `The request did not reach SMASHSEND${codeNote}. Check that n8n can reach the internet (proxy, firewall, DNS), then run the workflow again.`,
	};
}

/**
 * An exception inside one item's delivery (data the checks let through, or a bug): that item's
 * failure, never the node's. `sent`: a call for it had gone out, so it may have been done.
 */
export function crashFailure(error: unknown, itemIndex: number, sent: boolean, words: Unsure): CallFailure {
	const why = error instanceof Error ? error.message : String(error);
	return {
		rejected: {
			message: forItem(`The node could not send the item: ${why}`, itemIndex),
			description: sent
				? `It failed after a call for it went out, so ${words.unsure}. ${words.checkFirst} before sending the item again, and please report this to the package's maintainers.`
				: "Nothing was sent for this item. Check the item's data; if it looks right, please report this to the package's maintainers.",
		},
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

/** The channel's words in the sentence that lists the other items. */
export interface Wording {
	/** "Flows started for": the start of the sentence that lists the items that went through. */
	successSentence: string;
	/** "the flow may or may not have started": what a call stopped before its answer leaves open. */
	unsure: string;
}

/** What happened to the other items when the node stops at one failure (or is cancelled). */
export function describeOtherItems(results: Array<{ status: string }>, failedIndex: number, wording: Wording): string {
	const byStatus = (status: string) => results.flatMap((r, index) => (r.status === status && index !== failedIndex ? [index] : []));
	const plural = (list: number[]) => (list.length === 1 ? 'item' : 'items');
	const sentences: string[] = [];
	const delivered = byStatus('delivered');
	const failed = byStatus('failed');
	const abandoned = byStatus('abandoned');
	const notSent = [...byStatus('not-sent'), ...byStatus('cancelled')];
	if (delivered.length) sentences.push(`${wording.successSentence} ${plural(delivered)} ${itemRanges(delivered)}.`);
	if (failed.length) sentences.push(`Also failed: ${plural(failed)} ${itemRanges(failed)}.`);
	if (abandoned.length)
		sentences.push(`Stopped before SMASHSEND confirmed ${plural(abandoned)} ${itemRanges(abandoned)} (${wording.unsure}).`);
	if (notSent.length) sentences.push(`Not sent: ${plural(notSent)} ${itemRanges(notSent)}.`);
	return sentences.join(' ');
}

/** The error of one item whose call failed for good, with its attempts and what to do next. */
export function describeDeliveryFailure(args: {
	result: Extract<CallResult<unknown, CallFailure>, { status: 'failed' | 'abandoned' }>;
	itemIndex: number;
	ambiguous: 'retry' | 'fail';
	/** How the channel tells an answer. */
	describeAnswer: (answer: FailedAnswer, itemIndex: number) => ErrorText;
	/** The channel's words for a call that may have been carried out. */
	words: Unsure;
}): ErrorText {
	const { result, itemIndex, describeAnswer, words } = args;
	const { failure } = result;
	const last = 'answer' in failure ? describeAnswer(failure.answer, itemIndex) : failureText(failure);
	// An earlier attempt may have been carried out: that decides what the item says, whatever the last answer was.
	const lost = result.status === 'failed' ? result.lostAttempt : undefined;
	const base: ErrorText = lost
		? {
				message: forItem(`${words.unsure.charAt(0).toUpperCase()}${words.unsure.slice(1)}`, itemIndex),
				description: `An earlier attempt may have been carried out by SMASHSEND (${lost}); the last answer was: ${last.message.replace(ITEM_TAG, '')}. ${words.checkFirst} before sending the item again.`,
			}
		: last;
	const notes: string[] = [base.description];
	// The status, for whoever reads only the error output's message and description.
	if ('answer' in failure) notes.push(statusNote(failure.answer));
	if (result.status === 'abandoned') {
		notes.push('It was not retried further because another item failed and the node stopped.');
	} else if (result.earlierTry) {
		notes.push(
			'Not sent again when n8n retried the node (Retry On Fail): an earlier try of this run sent it, and it may have arrived (at most once).',
		);
	} else if (result.retriesExhausted) {
		notes.push('To keep trying longer, raise Max Retries or Max Wait per Retry in the Options (under Retries and Timeout in new nodes).');
	} else if (result.cause === 'maybe-arrived' && args.ambiguous === 'fail') {
		notes.push(words.notRetried ?? 'Not retried: Options → When Unsure If the Flow Started is set to fail the item (at most once).');
	}
	if (result.attempts > 1 && result.history.length > 0) notes.push(`Tried ${result.attempts} times (${result.history.join(', ')}).`);
	if ('answer' in failure) notes.push(requestIdNote(failure.answer));
	return { message: base.message, description: notes.filter(Boolean).join(' ') };
}
