// @ts-check
'use strict';

/**
 * Webhooks (SMASHSEND calling you): registered, listed, read, updated and removed; the
 * workspace calls them back with signed deliveries when contacts change (workspace.js).
 */

const { fail, isPlainObject, ok, routeMissing } = require('./answers');

const WEBHOOK_EVENTS = [
	'CONTACT_CREATED',
	'CONTACT_UPDATED',
	'CONTACT_DELETED',
	'CONTACT_UNSUBSCRIBED',
	'CONTACT_RESUBSCRIBED',
	'CONTACT_PROPERTY_UPDATED',
	'CONTACT_TAG_ADDED',
	'CONTACT_TAG_REMOVED',
	'WORKSPACE_BANNED',
	'WORKSPACE_SENDING_EMAILS_PAUSED',
	'WORKSPACE_TEAM_MEMBER_JOINED',
	'TESTING_CONNECTION',
];
const WEBHOOK_STATUSES = ['ACTIVE', 'PAUSED', 'BANNED'];

/**
 * @typedef {import('./workspace').Webhook} Webhook
 * @typedef {import('./answers').RestAnswer} RestAnswer
 */

/** @param {import('./workspace').Workspace} ws @returns {import('../restApi').Route[]} */
function webhookRoutes(ws) {
	/**
	 * @param {unknown} body
	 * @param {boolean} creating
	 * @returns {{ok: true, value: {url?: string, events?: string[], token?: string, status?: string}} | {ok: false, answer: RestAnswer}}
	 */
	function checkWebhookBody(body, creating) {
		if (!isPlainObject(body)) return { ok: false, answer: fail(400, 'VALIDATION_ERROR', 'Body must be an object') };
		/** @type {{url?: string, events?: string[], token?: string, status?: string}} */
		const value = {};
		if (creating || body.url !== undefined) {
			try {
				if (!/^https?:$/.test(new URL(body.url).protocol)) throw new Error('protocol');
			} catch {
				return { ok: false, answer: fail(400, 'VALIDATION_ERROR', 'url must be an http(s) URL') };
			}
			value.url = body.url;
		}
		if (creating || body.events !== undefined) {
			if (!Array.isArray(body.events) || body.events.length === 0 || !body.events.every((e) => WEBHOOK_EVENTS.includes(e))) {
				return { ok: false, answer: fail(400, 'VALIDATION_ERROR', `events must be a non-empty list of ${WEBHOOK_EVENTS.join(', ')}`) };
			}
			value.events = body.events;
		}
		if (body.token !== undefined) value.token = String(body.token);
		if (!creating && body.status !== undefined) {
			if (!WEBHOOK_STATUSES.includes(body.status)) {
				return { ok: false, answer: fail(400, 'VALIDATION_ERROR', `status must be one of ${WEBHOOK_STATUSES.join(', ')}`) };
			}
			value.status = body.status;
		}
		return { ok: true, value };
	}

	/**
	 * A webhook as answered: the SDK's `Webhook` echoes its token; the legacy shape never did.
	 * @param {Webhook} webhook
	 */
	function publicWebhook(webhook) {
		const { token, ...rest } = webhook;
		if (ws.sdk()) return { ...rest, displayName: webhook.url, workspaceId: ws.id, token: token ?? '' };
		return { ...rest, hasToken: token !== undefined };
	}

	/** @param {string} id @param {(webhook: Webhook) => RestAnswer} then */
	const withWebhook = (id, then) => {
		const webhook = ws.webhooks.get(id);
		return webhook ? then(webhook) : fail(404, 'NOT_FOUND', 'Webhook not found');
	};

	return [
		{
			method: 'POST',
			path: '/webhooks',
			handle: ({ body }) => {
				const checked = checkWebhookBody(body, true);
				if (!checked.ok) return checked.answer;
				/** @type {Webhook} */
				const webhook = {
					id: ws.newId('wh'),
					status: 'ACTIVE',
					createdAt: ws.now(),
					url: String(checked.value.url),
					events: checked.value.events ?? [],
					token: checked.value.token,
				};
				ws.webhooks.set(webhook.id, webhook);
				return { status: 201, body: { webhook: publicWebhook(webhook) } };
			},
		},
		{
			method: 'GET',
			path: '/webhooks',
			handle: () => {
				const list = [...ws.webhooks.values()].map(publicWebhook);
				return ok({ webhooks: ws.sdk() ? list : { items: list, hasMore: false } });
			},
		},
		{
			method: 'GET',
			path: '/webhooks/:id',
			handle: ({ params }) => withWebhook(params.id, (webhook) => ok({ webhook: publicWebhook(webhook) })),
		},
		{
			method: 'DELETE',
			path: '/webhooks/:id',
			handle: ({ params }) =>
				withWebhook(params.id, (webhook) => {
					ws.webhooks.delete(webhook.id);
					return ok({ isDeleted: true, webhook: publicWebhook(webhook) });
				}),
		},
		{
			method: 'POST',
			path: '/webhooks/:id',
			handle: ({ params, body }) =>
				ws.readings.webhookUpdate === 'refused'
					? routeMissing('POST', `/webhooks/${params.id}`)
					: withWebhook(params.id, (webhook) => {
							const checked = checkWebhookBody(body, false);
							if (!checked.ok) return checked.answer;
							Object.assign(webhook, checked.value);
							return ok({ webhook: publicWebhook(webhook) });
						}),
		},
	];
}

module.exports = { webhookRoutes, WEBHOOK_EVENTS };
