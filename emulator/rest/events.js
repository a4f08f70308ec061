// @ts-check
'use strict';

/** Events: recorded once per messageId, one at a time or in batches (invalid ones listed in errors[]). */

const { fail, isEmail, isPlainObject, ok } = require('./answers');
const { batchItems, itemFailure } = require('./batches');

const EVENT_NAME = /^[A-Za-z0-9_.:-]{1,60}$/;

/** @param {import('./workspace').Workspace} ws @returns {import('../restApi').Route[]} */
function eventRoutes(ws) {
	/**
	 * What is wrong with an event, if anything.
	 * @param {unknown} body
	 * @returns {string | undefined}
	 */
	function eventProblem(body) {
		if (!isPlainObject(body)) return 'Body must be an object';
		if (typeof body.event !== 'string' || !EVENT_NAME.test(body.event)) return 'event must be 1-60 characters of letters, digits, _ . : -';
		if (!isPlainObject(body.identify) || typeof body.identify.email !== 'string' || !isEmail(body.identify.email)) {
			return 'identify.email is required and must be a valid email address';
		}
		if (body.properties !== undefined && !isPlainObject(body.properties)) return 'properties must be an object';
		// An ISO 8601 date, or Unix time (seconds or milliseconds): the SDK allows both.
		const { timestamp } = body;
		const valid =
			timestamp === undefined ||
			(typeof timestamp === 'number' && Number.isFinite(timestamp)) ||
			(typeof timestamp === 'string' && !Number.isNaN(Date.parse(timestamp)));
		if (!valid) return 'timestamp must be an ISO 8601 date or a Unix time';
		if (
			body.messageId !== undefined &&
			(typeof body.messageId !== 'string' || body.messageId.length === 0 || body.messageId.length > 128)
		) {
			return 'messageId must be a string of at most 128 characters';
		}
		return undefined;
	}

	/**
	 * Records a valid event once per messageId.
	 * @param {Record<string, any>} b
	 */
	function recordEvent(b) {
		const messageId = b.messageId ?? ws.newId('msg');
		if (ws.eventsById.has(messageId)) return { messageId, duplicated: true };
		const record = { ...b, messageId, receivedAt: ws.now() };
		ws.events.push(record);
		ws.eventsById.set(messageId, record);
		return { messageId, duplicated: false };
	}

	return [
		{
			method: 'POST',
			path: '/events',
			handle: ({ body }) => {
				const problem = eventProblem(body);
				if (problem) return fail(400, 'VALIDATION_ERROR', problem);
				const { messageId, duplicated } = recordEvent(/** @type {Record<string, any>} */ (body));
				if (!duplicated) return ok({ success: true, messageId });
				// The SDK's answer has no `duplicated`, only an optional `info` (its wording is not known).
				return ok(
					ws.sdk()
						? { success: true, messageId, info: 'An event with this messageId was already received' }
						: { success: true, messageId, duplicated: true },
				);
			},
		},
		{
			method: 'POST',
			path: '/events/batch',
			handle: ({ body, itemFaults }) => {
				const items = batchItems(ws, body, 'events');
				if (!items.ok) return items.answer;
				/** @type {Array<ReturnType<typeof itemFailure>>} */
				const errors = [];
				let accepted = 0;
				let duplicated = 0;
				/** @type {Array<{index: number, messageId: string, status: 'accepted' | 'duplicate'}>} */
				const recorded = [];
				for (const [index, item] of items.list.entries()) {
					const email = /** @type {any} */ (item)?.identify?.email;
					const problem = eventProblem(item);
					const scripted = problem ? undefined : itemFaults(typeof email === 'string' ? email.trim() : undefined);
					if (problem || scripted) {
						errors.push(itemFailure(index, email, scripted ?? { code: 'VALIDATION_ERROR', message: String(problem), retryable: false }));
						continue;
					}
					const { messageId, duplicated: seen } = recordEvent(/** @type {Record<string, any>} */ (item));
					if (seen) duplicated += 1;
					else accepted += 1;
					recorded.push({ index, messageId, status: seen ? 'duplicate' : 'accepted' });
				}
				return ok({ accepted, failed: errors.length, duplicated, events: recorded, ...(errors.length > 0 ? { errors } : {}) });
			},
		},
	];
}

module.exports = { eventRoutes };
