import type { IDataObject } from 'n8n-workflow';

import type { FailedAnswer } from '../../../shared/transport/response';
import type { BatchItemError } from '../../contract/Operation';

/**
 * SMASHSEND's batch answers, as its SDK's types document them: the items that failed, by their
 * position in the batch, in `errors: [{index, email?, errors: [{code, message, retryable?,
 * retryAfter?}]}]` and, for contacts asked with `includeFailedContacts=true`, in
 * `failedContacts: [{index, contact, errors}]` (read for an item `errors` does not name).
 * Entries that cannot be read are left out: the item then counts as unaccounted for, and is
 * sent again.
 */
export function readBatchErrors(answer: IDataObject): Map<number, BatchItemError> {
	const found = new Map<number, BatchItemError>();
	const lists = [answer.errors, answer.failedContacts].map((list) => (Array.isArray(list) ? (list as unknown[]) : []));
	for (const entry of lists.flat()) {
		if (typeof entry !== 'object' || entry === null) continue;
		const { index, errors } = entry as IDataObject;
		if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || found.has(index)) continue;
		const details = (Array.isArray(errors) ? errors : []).filter((e): e is IDataObject => typeof e === 'object' && e !== null);
		const messages = details.map((e) => (typeof e.message === 'string' && e.message.trim() ? e.message.trim() : undefined));
		const codes = details.map((e) => (typeof e.code === 'string' ? e.code : undefined)).filter(Boolean);
		const waits = details.map((e) => e.retryAfter).filter((s): s is number => typeof s === 'number' && Number.isFinite(s) && s >= 0);
		found.set(index, {
			code: codes[0],
			message: messages.filter(Boolean).join('; ').slice(0, 500) || 'SMASHSEND did not say why',
			// Retryable only when every reason is: a bad value stays bad, however often it is sent.
			retryable: details.length > 0 && details.every((e) => e.retryable === true),
			// retryAfter in seconds, as in the Retry-After header.
			retryAfterMs: waits.length > 0 ? Math.max(...waits) * 1000 : undefined,
		});
	}
	return found;
}

/** 413, or a 400 that says the batch holds too many items: split it and send the halves. */
export function batchTooLarge(answer: FailedAnswer): boolean {
	if (answer.statusCode === 413) return true;
	if (answer.statusCode !== 400) return false;
	return /too (large|big|many)\b|\bbatch size\b|(at most|maximum of|max(imum)?|up to) \d+ (items|contacts|events)\b/i.test(
		answer.serverMessage,
	);
}

/**
 * How many items SMASHSEND counted as failed (`failed`, or `summary.failed` for contacts),
 * when it says. More than `errors[]` names means the answer does not tell which failed.
 */
function failedCount(answer: IDataObject): number | undefined {
	const summary = answer.summary as IDataObject | undefined;
	const failed = typeof answer.failed === 'number' ? answer.failed : summary?.failed;
	return typeof failed === 'number' && Number.isInteger(failed) && failed >= 0 ? failed : undefined;
}

/**
 * The items a batch answer names as failed, and whether it names every failure it counts.
 * When it does, an item it does not name went through (SMASHSEND's partial success).
 */
export function readBatchFailures(answer: IDataObject): { refused: Map<number, BatchItemError>; allNamed: boolean } {
	const refused = readBatchErrors(answer);
	const failed = failedCount(answer);
	return { refused, allNamed: failed === undefined || failed <= refused.size };
}
