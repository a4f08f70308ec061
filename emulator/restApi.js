// @ts-check
'use strict';

/**
 * SMASHSEND's REST API as the emulator serves it (docs/api-contract.md says what each answer
 * rests on): API keys with roles, and the routes of rest/ — contacts.js (upsert by email, in
 * batches, custom properties, cursor paging), events.js, emails.js (transactional emails, the
 * templates and verified senders the pickers show), webhooks.js (with signed deliveries from
 * workspace.js when contacts change). A route is one entry of a table: a method, a path with
 * `:params`, and what it answers.
 *
 * Pure state and routing: emulator/server.js owns the HTTP server, latency and faults.
 */

const { fail, flatError, isPlainObject, routeMissing } = require('./rest/answers');
const { broadcastRoutes } = require('./rest/broadcasts');
const { contactRoutes } = require('./rest/contacts');
const { emailRoutes } = require('./rest/emails');
const { formRoutes } = require('./rest/forms');
const { eventRoutes } = require('./rest/events');
const { propertyRoutes } = require('./rest/properties');
const { webhookRoutes, WEBHOOK_EVENTS } = require('./rest/webhooks');
const {
	createWorkspace,
	DEFAULT_IDENTITIES,
	DEFAULT_KEYS,
	DEFAULT_MAX_BATCH_SIZE,
	DEFAULT_PROPERTIES,
	DEFAULT_TEMPLATES,
	DEFAULT_READINGS,
	OTHER_READINGS,
} = require('./rest/workspace');

/**
 * An error one item of a batch gets, as SMASHSEND's batch answers list it.
 * @typedef {{code: string, message: string, retryable?: boolean, retryAfter?: number}} ItemError
 * @typedef {(email: string | undefined) => ItemError | undefined} ItemFaults scripted failures of single items inside a batch
 * @typedef {import('./rest/answers').RestAnswer} RestAnswer
 * @typedef {{ params: Record<string, string>, query: URLSearchParams, body: unknown, itemFaults: ItemFaults }} RouteRequest
 * @typedef {{ method: string, path: string, public?: boolean, handle: (request: RouteRequest) => RestAnswer }} Route
 *   `path` below /v1, `:name` for a segment handed over (URL-decoded) as `params.name`; `public`:
 *   answered without an API key (a form read or submitted by its public key)
 */

/**
 * An error body whose message is a list of validation reasons (a reading the SDK's client allows).
 * @param {unknown} body
 */
function asReasons(body) {
	if (!isPlainObject(body)) return body;
	if (typeof body.message === 'string') return { ...body, message: [body.message] };
	if (isPlainObject(body.error) && typeof body.error.message === 'string')
		return { ...body, error: { ...body.error, message: [body.error.message] } };
	return body;
}

/** @param {string} path a route's path, `:name` for a segment */
function pattern(path) {
	const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
	return { names, regex: new RegExp(`^${path.replace(/:\w+/g, '([^/]+)')}$`) };
}

/** @param {import('./rest/workspace').WorkspaceOptions} [options] */
function createRestApi(options = {}) {
	const ws = createWorkspace(options);
	const contacts = contactRoutes(ws);
	/** The routes, matched in this order. */
	// The fixed paths before the `:params` that would take them (`/contacts/properties` before `/contacts/:id`).
	const routes = [
		...propertyRoutes(ws),
		...contacts.routes,
		...eventRoutes(ws),
		...emailRoutes(ws, contacts.upsertContact),
		...webhookRoutes(ws),
		...formRoutes(ws),
		...broadcastRoutes(ws),
	].map((route) => ({
		...route,
		...pattern(route.path),
	}));

	/**
	 * One request: the key's check, the route's answer, SMASHSEND's error shape for that route,
	 * and a request id on every answer.
	 * @param {string} method
	 * @param {URL} url
	 * @param {Record<string, string | string[] | undefined>} headers
	 * @param {unknown} body parsed JSON (undefined when there was none)
	 * @param {ItemFaults} [itemFaults]
	 * @returns {RestAnswer}
	 */
	function handle(method, url, headers, body, itemFaults = () => undefined) {
		const path = url.pathname.replace(/^\/v1/, '').replace(/\/$/, '') || '/';
		const answer = route(method, path, url, headers, body, itemFaults);
		// The SDK's client reads a flat {message, code}; its events type nests {error: {code, message}}.
		const flat = ws.sdk() && answer.status >= 400 && /^\/(contacts|contact-properties|emails)(\/|$)/.test(path);
		const shaped = flat ? flatError(answer.body) : answer.body;
		return {
			...answer,
			body: answer.status >= 400 && ws.readings.errorMessages === 'list' ? asReasons(shaped) : shaped,
			headers: { 'x-request-id': ws.newId('req'), ...answer.headers },
		};
	}

	/**
	 * @param {string} method
	 * @param {string} path below /v1
	 * @param {URL} url
	 * @param {Record<string, string | string[] | undefined>} headers
	 * @param {unknown} body
	 * @param {ItemFaults} itemFaults
	 * @returns {RestAnswer}
	 */
	function route(method, path, url, headers, body, itemFaults) {
		const found = routes
			.filter((r) => r.method === method)
			.map((r) => ({ r, match: r.regex.exec(path) }))
			.find(({ match }) => match !== null);
		// A public route (a form by its public key) answers whoever calls, as SMASHSEND's does.
		if (!found?.r.public) {
			const value = Array.isArray(headers.authorization) ? headers.authorization[0] : headers.authorization;
			const bearer = /^Bearer\s+(\S+)$/i.exec(value ?? '');
			const key = bearer ? ws.keys.get(bearer[1]) : undefined;
			if (!key) return fail(401, 'UNAUTHORIZED', bearer ? 'Invalid API key' : 'Missing Authorization: Bearer <API key> header');
			if (method !== 'GET' && key.role !== 'EDITOR') {
				return fail(403, 'FORBIDDEN', `This API key has the ${key.role} role; ${method} ${url.pathname} needs an EDITOR key`);
			}
			if (path === '/api-keys/check' && method === 'GET') {
				return { status: 200, body: { status: ws.readings.keyCheck, displayName: key.displayName, role: key.role } };
			}
		}
		if (!found?.match) return routeMissing(method, path);
		const { r, match } = found;
		const params = Object.fromEntries(r.names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
		return r.handle({ params, query: url.searchParams, body, itemFaults });
	}

	const api = {
		handle,
		deliverEvent: ws.deliverEvent,
		/** Waits for the webhook deliveries contact changes started. */
		async settle() {
			while (ws.pendingDeliveries.length > 0) {
				const current = ws.pendingDeliveries;
				ws.pendingDeliveries = [];
				await Promise.all(current);
			}
		},
		get contacts() {
			return [...ws.contacts.values()];
		},
		get events() {
			return ws.events;
		},
		get emails() {
			return ws.emails;
		},
		get webhooks() {
			return [...ws.webhooks.values()];
		},
		/** The workspace's custom properties, as created (seeded, or by `POST /contact-properties`). */
		get properties() {
			return ws.properties;
		},
		get deliveries() {
			return ws.deliveries;
		},
		/** The broadcasts, the tests they sent, and whether the workspace has early access (broadcasts.js). */
		get broadcasts() {
			return ws.broadcasts;
		},
		/** @param {boolean} open whether the workspace has early access to the Broadcasts API; reset() opens it */
		setBroadcastAccess(open) {
			ws.broadcasts.access = open;
		},
		/** The hosted forms, their entries (one per form and email) and their rewards (forms.js). */
		get forms() {
			return ws.forms;
		},
		/** The changes made since `recordHistory()` (undefined while it is off; reset() turns it off). */
		get history() {
			return ws.history;
		},
		/** Starts recording every change the workspace makes, in order (see `history`). */
		recordHistory() {
			ws.history = [];
		},
		get maxBatchSize() {
			return ws.maxBatchSize;
		},
		/** @param {number} size */
		setMaxBatchSize(size) {
			ws.maxBatchSize = size;
		},
		get shapes() {
			return ws.shapes;
		},
		/** Which reading of each fact SMASHSEND's sources disagree on it gives (workspace.js `Readings`). */
		get readings() {
			return ws.readings;
		},
		/**
		 * Flips some readings; reset() restores those it started with.
		 * @param {Partial<import('./rest/workspace').Readings>} some
		 */
		setReadings(some) {
			ws.readings = { ...ws.readings, ...some };
		},
		/** @param {import('./rest/workspace').Shapes} value which picture of SMASHSEND's answers to give; reset() restores the first */
		setShapes(value) {
			ws.shapes = value;
		},
		/**
		 * A registration's status, as SMASHSEND may change it (PAUSED after failed deliveries, BANNED).
		 * @param {string} id
		 * @param {string} status
		 */
		setWebhookStatus(id, status) {
			const webhook = ws.webhooks.get(id);
			if (!webhook) throw new Error(`No webhook ${id}`);
			webhook.status = status;
		},
		/** @param {import('./rest/workspace').PropertySeed[]} list */
		setProperties(list) {
			ws.properties = list.map((p) => ({ ...p }));
		},
		/** @param {import('./rest/workspace').TemplateSeed[]} list transactional templates, created in order */
		addTemplates(list) {
			ws.templates.push(...list.map(ws.makeTemplate));
		},
		/** @param {Array<Record<string, unknown>>} list contact properties, created in order; an `id` is the contact's own */
		seedContacts(list) {
			for (const { id, ...props } of list)
				contacts.upsertContact({ properties: props }, undefined, typeof id === 'string' ? id : undefined);
		},
		reset: ws.reset,
	};
	return api;
}

module.exports = {
	createRestApi,
	WEBHOOK_EVENTS,
	DEFAULT_KEYS,
	DEFAULT_PROPERTIES,
	DEFAULT_TEMPLATES,
	DEFAULT_IDENTITIES,
	DEFAULT_MAX_BATCH_SIZE,
	DEFAULT_READINGS,
	OTHER_READINGS,
};
