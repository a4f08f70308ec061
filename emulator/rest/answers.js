// @ts-check
'use strict';

/** How the emulated REST API answers, and the small checks every route uses. */

/**
 * @typedef {{ status: number, body: unknown, headers?: Record<string, string> }} RestAnswer
 */

/** @param {unknown} body @returns {RestAnswer} */
function ok(body) {
	return { status: 200, body };
}

/**
 * SMASHSEND's second error shape, `{error: {code, message}}` (the flow webhook uses the first);
 * the router flattens it where SMASHSEND's SDK reads a flat one (answer shapes: workspace.js).
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @returns {RestAnswer}
 */
function fail(status, code, message) {
	return { status, body: { error: { code, message } } };
}

/**
 * What the API answers for a method and path it does not serve (as for any unknown route).
 * @param {string} method
 * @param {string} path below /v1
 * @returns {RestAnswer}
 */
function routeMissing(method, path) {
	return { status: 404, body: { error: 'Not Found', message: `Cannot ${method} /v1${path}`, statusCode: 404 } };
}

/**
 * `{error: {code, message}}` as the flat `{message, code}` the SDK's client reads (other fields kept).
 * @param {unknown} body
 */
function flatError(body) {
	if (!isPlainObject(body)) return body;
	const { error, ...rest } = /** @type {Record<string, any>} */ (body);
	if (!isPlainObject(error)) return body;
	return { message: error.message, code: error.code, ...rest };
}

/** @param {string} text */
function isEmail(text) {
	return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim());
}

/** @param {unknown} value @returns {value is Record<string, any>} */
function isPlainObject(value) {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @param {string} id */
function encodeCursor(id) {
	return Buffer.from(JSON.stringify({ after: id })).toString('base64url');
}

/** @param {string} cursor */
function decodeCursor(cursor) {
	try {
		const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
		return typeof parsed.after === 'string' ? parsed.after : undefined;
	} catch {
		return undefined;
	}
}

/**
 * A page of `all` after `cursor`: `{items, hasMore, cursor}`, or the 400 for a cursor that names nothing.
 * @template T
 * @param {T[]} all
 * @param {(item: T) => string} idOf
 * @param {string | null} cursor
 * @param {number} limit
 * @returns {{ ok: true, items: T[], hasMore: boolean, cursor: string | null } | { ok: false, answer: RestAnswer }}
 */
function pageOf(all, idOf, cursor, limit) {
	let start = 0;
	if (cursor) {
		const after = decodeCursor(cursor);
		start = after === undefined ? 0 : all.findIndex((item) => idOf(item) === after) + 1;
		if (start === 0) return { ok: false, answer: fail(400, 'VALIDATION_ERROR', 'cursor is not valid') };
	}
	const items = all.slice(start, start + limit);
	const hasMore = start + limit < all.length;
	const last = items[items.length - 1];
	return { ok: true, items, hasMore, cursor: hasMore && last ? encodeCursor(idOf(last)) : null };
}

/**
 * `limit` from a query: the default when absent, or the 400 when it is not an integer in 1–`most`.
 * @param {URLSearchParams} q
 * @param {number} fallback
 * @param {number} most
 * @returns {{ ok: true, limit: number } | { ok: false, answer: RestAnswer }}
 */
function limitOf(q, fallback, most) {
	const limit = q.has('limit') ? Number(q.get('limit')) : fallback;
	if (!Number.isInteger(limit) || limit < 1 || limit > most) {
		return { ok: false, answer: fail(400, 'VALIDATION_ERROR', `limit must be an integer from 1 to ${most}`) };
	}
	return { ok: true, limit };
}

module.exports = { ok, fail, routeMissing, flatError, isEmail, isPlainObject, encodeCursor, decodeCursor, pageOf, limitOf };
