// @ts-check
'use strict';

/**
 * Broadcasts, as SMASHSEND's SDK has them (`src/api/broadcasts.ts`, `src/interfaces/broadcasts.ts`):
 * a draft made from HTML, listed and read, scheduled (at a time, or now), cancelled while
 * scheduled, and sent as a test to workspace members. What the SDK leaves open is answered as
 * SMASHSEND's other refusals are (docs/api-contract.md): a second schedule or cancel is a 409, a
 * workspace without early access gets a 403 on every route (`setBroadcastAccess(false)`).
 */

const { fail, isEmail, isPlainObject, limitOf, ok, pageOf } = require('./answers');

/** Who may receive a test: the workspace's members. */
const MEMBERS = ['owner@acme.example', 'team@acme.example'];

/**
 * @typedef {{ id: string, name: string, subject: string, status: string, fromEmail: string, fromName?: string,
 *   html: string, text?: string, previewText?: string, replyTo?: string[], audience: Record<string, unknown>,
 *   settings?: Record<string, unknown>, sendAt?: string, createdAt: string }} Broadcast
 */

/** A new workspace's broadcasts and the tests they sent. */
function freshBroadcasts() {
	return {
		/** @type {Broadcast[]} */
		items: [],
		/** @type {Array<{ broadcastId: string, emails: string[], subject: string }>} */
		tests: [],
		/** Whether the workspace has early access to the Broadcasts API. */
		access: true,
	};
}

/** @param {import('./workspace').Workspace} ws @returns {import('../restApi').Route[]} */
function broadcastRoutes(ws) {
	const state = () => ws.broadcasts;
	const closed = () =>
		fail(
			403,
			'FORBIDDEN',
			'The Broadcasts API is in early access: it needs the Email API add-on, a verified workspace and the early-access flag',
		);
	const open =
		(/** @type {(request: import('../restApi').RouteRequest) => import('./answers').RestAnswer} */ handle) =>
		/** @param {import('../restApi').RouteRequest} request */
		(request) => (state().access ? handle(request) : closed());
	const find = (/** @type {string} */ id) => state().items.find((b) => b.id === id);
	const notFound = () => fail(404, 'NOT_FOUND', 'Broadcast not found');

	return [
		{
			method: 'POST',
			path: '/broadcasts',
			handle: open(({ body }) => {
				const given = isPlainObject(body) ? body : {};
				for (const field of ['subject', 'fromEmail', 'html']) {
					if (typeof given[field] !== 'string' || given[field] === '') return fail(400, 'VALIDATION_ERROR', `${field} is required`);
				}
				if (!isEmail(String(given.fromEmail))) return fail(400, 'VALIDATION_ERROR', 'fromEmail must be an email');
				if (!isPlainObject(given.audience) || given.audience.all !== true)
					return fail(400, 'VALIDATION_ERROR', 'audience.all must be true');
				/** @type {Broadcast} */
				const broadcast = {
					id: ws.newId('bcs'),
					name: typeof given.name === 'string' && given.name !== '' ? given.name : String(given.subject),
					subject: String(given.subject),
					status: 'DRAFT',
					fromEmail: String(given.fromEmail),
					html: String(given.html),
					audience: given.audience,
					createdAt: ws.now(),
				};
				for (const field of ['fromName', 'text', 'previewText', 'replyTo', 'settings', 'allowUnknownVariables'])
					if (given[field] !== undefined) Object.assign(broadcast, { [field]: given[field] });
				state().items.push(broadcast);
				ws.record('broadcast.created', { id: broadcast.id, displayName: broadcast.subject });
				return ok({ broadcast });
			}),
		},
		{
			method: 'GET',
			path: '/broadcasts',
			handle: open(({ query }) => {
				const limit = limitOf(query, 20, 100);
				if (!limit.ok) return limit.answer;
				const status = query.get('status');
				const all = state().items.filter((b) => !status || b.status === status);
				const page = pageOf(all, (b) => b.id, query.get('cursor'), limit.limit);
				if (!page.ok) return page.answer;
				return ok({ broadcasts: { cursor: page.cursor, hasMore: page.hasMore, items: page.items } });
			}),
		},
		{
			method: 'GET',
			path: '/broadcasts/:id',
			handle: open(({ params }) => {
				const broadcast = find(params.id);
				return broadcast ? ok({ broadcast }) : notFound();
			}),
		},
		{
			method: 'POST',
			path: '/broadcasts/:id/schedule',
			handle: open(({ params, body }) => {
				const broadcast = find(params.id);
				if (!broadcast) return notFound();
				if (broadcast.status === 'SCHEDULED') return fail(409, 'CONFLICT', 'Broadcast is already scheduled');
				if (broadcast.status !== 'DRAFT') return fail(409, 'CONFLICT', `A ${broadcast.status.toLowerCase()} broadcast cannot be scheduled`);
				const sendAt = isPlainObject(body) && typeof body.sendAt === 'string' ? body.sendAt : undefined;
				if (sendAt !== undefined && Number.isNaN(Date.parse(sendAt))) return fail(400, 'VALIDATION_ERROR', 'sendAt must be an ISO date');
				broadcast.status = sendAt ? 'SCHEDULED' : 'SENDING';
				if (sendAt) broadcast.sendAt = sendAt;
				ws.record('broadcast.scheduled', { id: broadcast.id, displayName: broadcast.status });
				return ok({ broadcast });
			}),
		},
		{
			method: 'POST',
			path: '/broadcasts/:id/cancel',
			handle: open(({ params }) => {
				const broadcast = find(params.id);
				if (!broadcast) return notFound();
				if (broadcast.status === 'CANCELLED') return fail(409, 'CONFLICT', 'Broadcast is already cancelled');
				if (broadcast.status !== 'SCHEDULED') return fail(409, 'CONFLICT', 'Only a scheduled broadcast can be cancelled');
				broadcast.status = 'CANCELLED';
				ws.record('broadcast.cancelled', { id: broadcast.id, displayName: broadcast.status });
				return ok({ broadcast });
			}),
		},
		{
			method: 'POST',
			path: '/broadcasts/:id/test',
			handle: open(({ params, body }) => {
				const broadcast = find(params.id);
				if (!broadcast) return notFound();
				const emails = isPlainObject(body) && Array.isArray(body.emails) ? body.emails.map(String) : [];
				if (emails.length === 0) return fail(400, 'VALIDATION_ERROR', 'emails must list at least one address');
				const outsider = emails.find((email) => !MEMBERS.includes(email.toLowerCase()));
				if (outsider) return fail(400, 'VALIDATION_ERROR', `${outsider} is not a member of this workspace`);
				state().tests.push({ broadcastId: broadcast.id, emails, subject: `[TEST] ${broadcast.subject}` });
				return ok({ broadcast });
			}),
		},
	];
}

module.exports = { broadcastRoutes, freshBroadcasts, MEMBERS };
