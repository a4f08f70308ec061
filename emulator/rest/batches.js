// @ts-check
'use strict';

/** What the batch routes (contacts, events) share: reading a batch's items and naming one item's failure. */

const { fail, isPlainObject } = require('./answers');

/**
 * The items of a batch body (`{contacts: [...]}` or `{events: [...]}`), or the answer that
 * refuses the batch as a whole: not a list, empty, or larger than the workspace accepts (413).
 * @param {import('./workspace').Workspace} ws
 * @param {unknown} body
 * @param {'contacts' | 'events'} field
 * @returns {{ok: true, list: unknown[]} | {ok: false, answer: import('./answers').RestAnswer}}
 */
function batchItems(ws, body, field) {
	const list = isPlainObject(body) ? body[field] : undefined;
	if (!Array.isArray(list) || list.length === 0) {
		return { ok: false, answer: fail(400, 'VALIDATION_ERROR', `Body must be {"${field}": [...]} with at least one item`) };
	}
	if (list.length > ws.maxBatchSize) {
		return {
			ok: false,
			answer: fail(413, 'PAYLOAD_TOO_LARGE', `A batch holds at most ${ws.maxBatchSize} ${field}; this one has ${list.length}`),
		};
	}
	return { ok: true, list };
}

/**
 * One entry of a batch answer's errors[].
 * @param {number} index
 * @param {unknown} email
 * @param {import('../restApi').ItemError} error
 */
function itemFailure(index, email, error) {
	return { index, email: typeof email === 'string' ? email : undefined, errors: [error] };
}

module.exports = { batchItems, itemFailure };
