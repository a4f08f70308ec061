// @ts-check
'use strict';

/**
 * Transactional emails (deduplicated by idempotencyKey), and the lists the editor's pickers
 * show: the templates with their variables, and the verified senders.
 */

const { fail, isEmail, isPlainObject, limitOf, ok, pageOf } = require('./answers');

/**
 * @param {import('./workspace').Workspace} ws
 * @param {(body: unknown) => import('./answers').RestAnswer} upsertContact saves a raw email's `contactProperties` on its recipient
 * @returns {import('../restApi').Route[]}
 */
function emailRoutes(ws, upsertContact) {
	/**
	 * `POST /emails`. SDK shape: `to` is one address, a raw email needs `html` (text optional), `from`
	 * may be `Name <addr>`; legacy: `to` may be a list, text alone will do.
	 * @param {unknown} body
	 */
	function sendEmail(body) {
		if (!isPlainObject(body)) return fail(400, 'VALIDATION_ERROR', 'Body must be an object');
		if (ws.sdk()) {
			if (typeof body.to !== 'string' || !isEmail(body.to)) return fail(400, 'VALIDATION_ERROR', 'to must be a single email address');
		} else {
			const to = Array.isArray(body.to) ? body.to : [body.to];
			if (to.length === 0 || !to.every((t) => typeof t === 'string' && isEmail(t))) {
				return fail(400, 'VALIDATION_ERROR', 'to must be an email address (or a list of them)');
			}
		}
		if (body.template !== undefined) {
			if (!ws.templateNamed(body.template)) return fail(404, 'NOT_FOUND', `Template ${body.template} not found`);
			if (body.variables !== undefined && !isPlainObject(body.variables))
				return fail(400, 'VALIDATION_ERROR', 'variables must be an object');
		} else {
			const sender = typeof body.from === 'string' ? senderAddress(body.from, ws.sdk()) : undefined;
			if (!sender) {
				return fail(
					400,
					'VALIDATION_ERROR',
					ws.sdk() ? 'from must be an email address or Name <address>' : 'from must be an email address',
				);
			}
			if (typeof body.subject !== 'string' || body.subject.trim() === '') return fail(400, 'VALIDATION_ERROR', 'subject is required');
			if (ws.sdk() && typeof body.html !== 'string') return fail(400, 'VALIDATION_ERROR', 'html is required');
			if (typeof body.html !== 'string' && typeof body.text !== 'string') return fail(400, 'VALIDATION_ERROR', 'html or text is required');
		}
		// SDK: replyTo is one address or up to 5; groupBy and contactProperties come with raw emails only.
		if (body.replyTo !== undefined) {
			const replyTo = Array.isArray(body.replyTo) ? body.replyTo : [body.replyTo];
			if (replyTo.length === 0 || replyTo.length > 5 || !replyTo.every((a) => typeof a === 'string' && isEmail(a))) {
				return fail(400, 'VALIDATION_ERROR', 'replyTo must be an email address or a list of up to 5');
			}
		}
		if (body.groupBy !== undefined && (typeof body.groupBy !== 'string' || body.template !== undefined)) {
			return fail(400, 'VALIDATION_ERROR', 'groupBy must be a string, and only with a raw email');
		}
		if (body.contactProperties !== undefined && (!isPlainObject(body.contactProperties) || body.template !== undefined)) {
			return fail(400, 'VALIDATION_ERROR', 'contactProperties must be an object, and only with a raw email');
		}
		if (body.sendAt !== undefined && Number.isNaN(Date.parse(String(body.sendAt)))) {
			return fail(400, 'VALIDATION_ERROR', 'sendAt must be an ISO 8601 date');
		}
		const key = typeof body.idempotencyKey === 'string' ? body.idempotencyKey : undefined;
		const earlier = key ? ws.emailsByKey.get(key) : undefined;
		if (earlier) return ok({ email: earlier.answer });
		if (isPlainObject(body.contactProperties)) {
			// Saved on the recipient's contact before sending: a property SMASHSEND refuses refuses the email.
			const saved = upsertContact({ properties: { ...body.contactProperties, email: body.to } });
			if (saved.status >= 400) return saved;
		}
		// The SDK's statuses: SCHEDULED, SENT, FAILED, CANCELLED, DELIVERED.
		const status = body.sendAt ? 'SCHEDULED' : ws.sdk() ? 'SENT' : 'QUEUED';
		const answer = { messageId: ws.newId('eml'), status, to: body.to };
		const record = { ...body, answer, receivedAt: ws.now() };
		ws.emails.push(record);
		if (key) ws.emailsByKey.set(key, record);
		return ok({ email: answer });
	}

	return [
		{ method: 'POST', path: '/emails', handle: ({ body }) => sendEmail(body) },
		{
			// `{transactional: {items, cursor, hasMore}}`, newest first, each without its variables (the SDK
			// types them as optional in a listing; they come with GET /transactional/{id}).
			method: 'GET',
			path: '/transactional',
			handle: ({ query }) => {
				const limit = limitOf(query, 15, 100);
				if (!limit.ok) return limit.answer;
				const status = query.get('status');
				const all = [...ws.templates].reverse().filter((t) => !status || t.status === status);
				const page = pageOf(all, (t) => t.id, query.get('cursor'), limit.limit);
				if (!page.ok) return page.answer;
				const summaries = page.items.map(({ variables, ...summary }) => summary);
				return ok({ transactional: { items: summaries, hasMore: page.hasMore, cursor: page.cursor } });
			},
		},
		{
			method: 'GET',
			path: '/transactional/:id',
			handle: ({ params }) => {
				const template = ws.templates.find((t) => t.id === params.id);
				return template ? ok({ transactional: template }) : fail(404, 'NOT_FOUND', 'Transactional not found');
			},
		},
		{ method: 'GET', path: '/identities', handle: () => ok({ identities: ws.identities }) },
	];
}

/**
 * The address of a sender: `addr`, or with `named` also `Name <addr>` (the SDK's RawEmailSendOptions.from).
 * @param {string} from
 * @param {boolean} named
 */
function senderAddress(from, named) {
	const match = named ? /^[^<>]*<([^<>]+)>$/.exec(from.trim()) : null;
	const address = match ? match[1] : from;
	return isEmail(address) ? address.trim() : undefined;
}

module.exports = { emailRoutes };
