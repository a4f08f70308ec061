// @ts-check
'use strict';

/**
 * SMASHSEND's REST API (as documented in SMASHSEND's public API reference and SDKs) as the emulator serves it:
 * API keys with roles, contacts (upsert by email, one at a time or in batches with partial
 * success, custom properties, cursor paging), events (deduplicated by messageId, one at a time
 * or in batches), transactional emails (deduplicated by idempotencyKey), the lists the editor's
 * pickers show (templates with their variables, verified senders) and
 * webhooks, which it calls back with signed deliveries when contacts change.
 *
 * Pure state and routing: emulator/server.js owns the HTTP server, latency and faults.
 */

const crypto = require('node:crypto');

const CONTACT_STATUSES = ['SUBSCRIBED', 'UNSUBSCRIBED', 'ARCHIVED', 'OPT_IN_PENDING', 'BANNED'];
const STANDARD_PROPERTIES = [
	'email',
	'firstName',
	'lastName',
	'phone',
	'avatarUrl',
	'birthday',
	'city',
	'countryCode',
	'language',
	'status',
];
const WEBHOOK_EVENTS = [
	'CONTACT_CREATED',
	'CONTACT_UPDATED',
	'CONTACT_DELETED',
	'CONTACT_UNSUBSCRIBED',
	'CONTACT_RESUBSCRIBED',
	'CONTACT_PROPERTY_UPDATED',
	'CONTACT_TAG_ADDED',
	'CONTACT_TAG_REMOVED',
	'TESTING_CONNECTION',
];
const WEBHOOK_STATUSES = ['ACTIVE', 'PAUSED', 'BANNED'];
const EVENT_NAME = /^[A-Za-z0-9_.:-]{1,60}$/;

/** The keys every emulator knows, by role. */
const DEFAULT_KEYS = {
	sk_live_emulator_editor: { role: 'EDITOR', displayName: 'Emulator editor key' },
	sk_live_emulator_viewer: { role: 'VIEWER', displayName: 'Emulator viewer key' },
};

/** Custom properties a new workspace has, so that load-options have something to show. */
const DEFAULT_PROPERTIES = [
	{ apiSlug: 'plan', displayName: 'Plan', type: 'SELECT', options: ['free', 'pro', 'team'] },
	{ apiSlug: 'signupSource', displayName: 'Signup source', type: 'STRING' },
	{ apiSlug: 'seats', displayName: 'Seats', type: 'NUMBER' },
	{ apiSlug: 'newsletter', displayName: 'Newsletter', type: 'BOOLEAN' },
	{ apiSlug: 'interests', displayName: 'Interests', type: 'MULTI_SELECT', options: ['product', 'events', 'blog'] },
	{ apiSlug: 'renewalDate', displayName: 'Renewal date', type: 'DATE' },
];

/**
 * Transactional templates a new workspace has, as SMASHSEND's SDK types them: `name` is what a
 * send names (`{template: name}`), `variables` maps each variable to its id and default value.
 * @typedef {{ name: string, displayName?: string, subject?: string, status?: string, variables?: Record<string, string> }} TemplateSeed
 * @type {TemplateSeed[]}
 */
const DEFAULT_TEMPLATES = [
	{ name: 'welcome', displayName: 'Welcome', subject: 'Welcome aboard, {{firstName}}', variables: { firstName: 'there', plan: 'free' } },
	{ name: 'password-reset', displayName: 'Password reset', subject: 'Reset your password', variables: { resetUrl: '' } },
	{ name: 'invoice-paid', displayName: 'Invoice paid', subject: 'Thank you for your payment', variables: { amount: '', invoiceUrl: '' } },
	{ name: 'winter-promo', displayName: 'Winter promo', subject: 'Our winter offer', status: 'DRAFT', variables: { code: '' } },
];

/** Verified senders a new workspace has (`GET /identities`): single addresses and whole domains. */
const DEFAULT_IDENTITIES = {
	emails: [
		{ email: 'hello@acme.example', status: 'VERIFIED' },
		{ email: 'support@acme.example', status: 'VERIFIED' },
	],
	domains: [{ domain: 'mail.acme.example', status: 'VERIFIED' }],
};

/**
 * The largest batch this emulator accepts; larger ones get 413. SMASHSEND does not document
 * its limit: tests lower this to see the node split its batches.
 */
const DEFAULT_MAX_BATCH_SIZE = 100;

/**
 * @typedef {{ status: number, body: unknown, headers?: Record<string, string> }} RestAnswer
 * @typedef {{ id: string, createdAt: string, updatedAt?: string, workspaceId: string, properties: Record<string, unknown> }} Contact
 * @typedef {{ id: string, url: string, events: string[], token?: string, status: string, createdAt: string }} Webhook
 * @typedef {{ seq: number, webhookId: string, url: string, event: string, signature: string, sent: string, status: number, body: string, error?: string }} Delivery
 *   `sent`: the body delivered; `status` and `body`: the receiver's answer
 */

/**
 * An error one item of a batch gets, as SMASHSEND's batch answers list it.
 * @typedef {{code: string, message: string, retryable?: boolean, retryAfter?: number}} ItemError
 * @typedef {(email: string | undefined) => ItemError | undefined} ItemFaults scripted failures of single items inside a batch
 */

/**
 * Which picture of SMASHSEND's answers the emulator gives (docs/api-contract.md has each fact's source):
 *
 * - `sdk` (the default): as SMASHSEND's official Node SDK types and tests them (smashsend-node
 *   main, 7528509): contact ids as UUIDs, custom properties with `typeConfig.options` in pages
 *   of at most 50 without a cursor, one `to` per email and `html` required for a raw one,
 *   `Name <addr>` senders, a repeated event answered without `duplicated`, errors of the
 *   contact and email routes flat (`{message, code}`), an `x-request-id` on every answer,
 *   webhooks listed as a plain array that echoes each one's `token` and `status`, and
 *   deliveries without a top-level `timestamp` (the SDK documents none).
 * - `legacy`: the shapes this package was first built against, which it still reads: `ctc_`
 *   ids, a top-level `options` list and a cursor on properties (pages up to 100), `to` as a
 *   list, text-only emails, `duplicated: true`, nested errors, `{webhooks: {items}}` without
 *   tokens, deliveries with a `timestamp`.
 *
 * `contactIds` and `deliveryTimestamp` pick those two facts alone (the shapes' choice otherwise).
 * @typedef {'sdk' | 'legacy'} Shapes
 * @typedef {{ shapes?: Shapes, contactIds?: 'uuid' | 'ctc', deliveryTimestamp?: boolean }} ShapeOptions
 */

/** Custom properties per page at most: the SDK asks for 50 (`listProperties`), the legacy shape allowed 100. */
const PROPERTY_PAGE = { sdk: 50, legacy: 100 };

/**
 * @param {{ workspaceId?: string, keys?: Record<string, {role: string, displayName: string}>, properties?: Array<{apiSlug: string, displayName: string, type: string, options?: string[]}>, templates?: Array<string | TemplateSeed>, identities?: typeof DEFAULT_IDENTITIES, maxBatchSize?: number } & ShapeOptions} [options]
 */
function createRestApi(options = {}) {
	const workspaceId = options.workspaceId ?? 'wrk_demo';
	/** @type {Shapes} */
	let shapes = options.shapes ?? 'sdk';
	const sdk = () => shapes === 'sdk';
	const contactIdStyle = () => options.contactIds ?? (sdk() ? 'uuid' : 'ctc');
	const deliveryTimestamp = () => options.deliveryTimestamp ?? !sdk();
	let maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
	// A Map, not an object: "constructor" or "__proto__" must not pass as keys.
	/** @type {Map<string, {role: string, displayName: string}>} */
	const keys = new Map(Object.entries({ ...DEFAULT_KEYS, ...options.keys }));
	const initialProperties = options.properties ?? DEFAULT_PROPERTIES;
	const identities = options.identities ?? DEFAULT_IDENTITIES;
	/** @type {Map<string, Contact>} */
	let contacts = new Map();
	/** @type {Map<string, string>} lower-cased email → contact id */
	let idsByEmail = new Map();
	let properties = initialProperties.map((p) => ({ ...p }));
	const propertiesCreatedAt = new Date().toISOString();
	/** @type {Array<Record<string, unknown>>} */
	let events = [];
	/** @type {Map<string, Record<string, unknown>>} */
	let eventsById = new Map();
	/** @type {Array<Record<string, unknown>>} */
	let emails = [];
	/** @type {Map<string, Record<string, unknown>>} */
	let emailsByKey = new Map();
	/** @type {Map<string, Webhook>} */
	let webhooks = new Map();
	/** @type {Delivery[]} */
	let deliveries = [];
	/** @type {Promise<unknown>[]} */
	let pendingDeliveries = [];
	let counter = 0;

	const newId = (/** @type {string} */ prefix) =>
		`${prefix}_${(++counter).toString(36).padStart(5, '0')}${crypto.randomBytes(5).toString('hex')}`;
	const newContactId = () => (contactIdStyle() === 'uuid' ? crypto.randomUUID() : newId('ctc'));
	const now = () => new Date().toISOString();
	/** The workspace's transactional templates, oldest first. */
	/** @param {string | TemplateSeed} seed */
	const makeTemplate = (seed) => {
		const t = typeof seed === 'string' ? { name: seed } : seed;
		return {
			id: newId('txl'),
			name: t.name,
			displayName: t.displayName ?? t.name,
			subject: t.subject ?? t.name,
			status: t.status ?? 'ACTIVE',
			createdAt: now(),
			variables: Object.fromEntries(
				Object.entries(t.variables ?? {}).map(([key, defaultValue]) => [key, { id: newId('var'), defaultValue }]),
			),
		};
	};
	let templates = (options.templates ?? DEFAULT_TEMPLATES).map(makeTemplate);
	const templateNamed = (/** @type {unknown} */ name) => templates.find((t) => t.name === name || t.id === name);

	/**
	 * @param {string} method
	 * @param {URL} url
	 * @param {Record<string, string | string[] | undefined>} headers
	 * @param {unknown} body parsed JSON (undefined when there was none)
	 * @param {ItemFaults} [itemFaults]
	 * @returns {RestAnswer}
	 */
	function handle(method, url, headers, body, itemFaults = () => undefined) {
		const answer = route(method, url, headers, body, itemFaults);
		const path = url.pathname.replace(/^\/v1/, '');
		// The SDK's client reads a flat {message, code}; its events type nests {error: {code, message}}.
		const flat = sdk() && answer.status >= 400 && /^\/(contacts|emails)(\/|$)/.test(path);
		return {
			...answer,
			body: flat ? flatError(answer.body) : answer.body,
			headers: { 'x-request-id': newId('req'), ...answer.headers },
		};
	}

	/**
	 * @param {string} method
	 * @param {URL} url
	 * @param {Record<string, string | string[] | undefined>} headers
	 * @param {unknown} body
	 * @param {ItemFaults} itemFaults
	 * @returns {RestAnswer}
	 */
	function route(method, url, headers, body, itemFaults) {
		const auth = authenticate(headers.authorization);
		if (!auth.ok) return auth.answer;
		const path = url.pathname.replace(/^\/v1/, '').replace(/\/$/, '') || '/';
		const q = url.searchParams;
		const write = method !== 'GET';
		if (write && auth.role !== 'EDITOR') {
			return fail(403, 'FORBIDDEN', `This API key has the ${auth.role} role; ${method} ${url.pathname} needs an EDITOR key`);
		}
		if (path === '/api-keys/check' && method === 'GET') {
			return ok({ status: 'SUCCEED', displayName: auth.displayName, role: auth.role });
		}

		if (path === '/contacts' && method === 'POST') return upsertContact(body);
		if (path === '/contacts/batch' && method === 'POST') return batchContacts(body, q, itemFaults);
		if (path === '/contacts' && method === 'GET') return listContacts(q);
		if (path === '/contacts/search' && method === 'GET') {
			const email = q.get('email');
			if (!email) return fail(400, 'VALIDATION_ERROR', 'email query parameter is required');
			const id = idsByEmail.get(email.trim().toLowerCase());
			return ok({ contact: id ? contacts.get(id) : null });
		}
		if (path === '/contacts/properties' && method === 'GET') return listProperties(q);
		const byEmail = /^\/contacts\/by-email\/([^/]+)$/.exec(path);
		if (byEmail && method === 'DELETE') {
			const id = idsByEmail.get(decodeURIComponent(byEmail[1]).trim().toLowerCase());
			return id ? deleteContact(id) : fail(404, 'NOT_FOUND', 'Contact not found');
		}
		const byId = /^\/contacts\/([^/]+)$/.exec(path);
		if (byId) {
			const contact = contacts.get(decodeURIComponent(byId[1]));
			if (!contact) return fail(404, 'NOT_FOUND', 'Contact not found');
			if (method === 'GET') return ok({ contact });
			if (method === 'PUT') return updateContact(contact, body);
			if (method === 'DELETE') return deleteContact(contact.id);
		}
		if (path === '/events' && method === 'POST') return sendEvent(body);
		if (path === '/events/batch' && method === 'POST') return batchEvents(body, itemFaults);
		if (path === '/emails' && method === 'POST') return sendEmail(body);
		if (path === '/transactional' && method === 'GET') return listTemplates(q);
		const templatePath = /^\/transactional\/([^/]+)$/.exec(path);
		if (templatePath && method === 'GET') {
			const template = templates.find((t) => t.id === decodeURIComponent(templatePath[1]));
			return template ? ok({ transactional: template }) : fail(404, 'NOT_FOUND', 'Transactional not found');
		}
		if (path === '/identities' && method === 'GET') return ok({ identities });

		if (path === '/webhooks' && method === 'POST') return createWebhook(body);
		if (path === '/webhooks' && method === 'GET') {
			const list = [...webhooks.values()].map(publicWebhook);
			return ok({ webhooks: sdk() ? list : { items: list, hasMore: false } });
		}
		const webhookPath = /^\/webhooks\/([^/]+)$/.exec(path);
		if (webhookPath) {
			const webhook = webhooks.get(webhookPath[1]);
			if (!webhook) return fail(404, 'NOT_FOUND', 'Webhook not found');
			if (method === 'GET') return ok({ webhook: publicWebhook(webhook) });
			if (method === 'DELETE') {
				webhooks.delete(webhook.id);
				return ok({ isDeleted: true, webhook: publicWebhook(webhook) });
			}
			if (method === 'POST') return updateWebhook(webhook, body);
		}
		return { status: 404, body: { error: 'Not Found', message: `Cannot ${method} ${url.pathname}`, statusCode: 404 } };
	}

	/** @param {string | string[] | undefined} header */
	function authenticate(header) {
		const value = Array.isArray(header) ? header[0] : header;
		const match = /^Bearer\s+(\S+)$/i.exec(value ?? '');
		const key = match ? keys.get(match[1]) : undefined;
		if (!key) {
			return /** @type {const} */ ({
				ok: false,
				answer: fail(401, 'UNAUTHORIZED', match ? 'Invalid API key' : 'Missing Authorization: Bearer <API key> header'),
			});
		}
		return /** @type {const} */ ({ ok: true, role: key.role, displayName: key.displayName });
	}

	/** @param {unknown} body */
	function upsertContact(body) {
		const props = propertiesOf(body);
		if (!props.ok) return props.answer;
		const email = props.value.email;
		if (typeof email !== 'string' || !isEmail(email)) {
			return fail(400, 'VALIDATION_ERROR', 'properties.email is required and must be a valid email address');
		}
		const invalid = validateProperties(props.value);
		if (invalid) return invalid;
		const existingId = idsByEmail.get(email.trim().toLowerCase());
		if (existingId) return updateContact(/** @type {Contact} */ (contacts.get(existingId)), body);
		/** @type {Contact} */
		const contact = {
			id: newContactId(),
			createdAt: now(),
			workspaceId,
			properties: { status: 'SUBSCRIBED', ...props.value, email: email.trim() },
		};
		contacts.set(contact.id, contact);
		idsByEmail.set(email.trim().toLowerCase(), contact.id);
		notify('CONTACT_CREATED', contact);
		return { status: 201, body: { contact } };
	}

	/**
	 * @param {Contact} contact
	 * @param {unknown} body
	 */
	function updateContact(contact, body) {
		const props = propertiesOf(body);
		if (!props.ok) return props.answer;
		const invalid = validateProperties(props.value);
		if (invalid) return invalid;
		const next = { ...props.value };
		const newEmail = next.email;
		if (typeof newEmail === 'string') {
			const otherId = idsByEmail.get(newEmail.trim().toLowerCase());
			if (otherId && otherId !== contact.id) return fail(409, 'CONFLICT', 'Another contact already has this email');
			idsByEmail.delete(String(contact.properties.email).toLowerCase());
			next.email = newEmail.trim();
			idsByEmail.set(newEmail.trim().toLowerCase(), contact.id);
		}
		const before = contact.properties.status;
		contact.properties = { ...contact.properties, ...next };
		contact.updatedAt = now();
		notify('CONTACT_UPDATED', contact);
		const after = contact.properties.status;
		if (after !== before && after === 'UNSUBSCRIBED') notify('CONTACT_UNSUBSCRIBED', contact);
		if (after !== before && before === 'UNSUBSCRIBED' && after === 'SUBSCRIBED') notify('CONTACT_RESUBSCRIBED', contact);
		return ok({ contact });
	}

	/** @param {string} id */
	function deleteContact(id) {
		const contact = /** @type {Contact} */ (contacts.get(id));
		contacts.delete(id);
		idsByEmail.delete(String(contact.properties.email).toLowerCase());
		notify('CONTACT_DELETED', contact);
		return ok({ isDeleted: true, contact });
	}

	/** @param {URLSearchParams} q */
	function listContacts(q) {
		const limit = q.has('limit') ? Number(q.get('limit')) : 15;
		if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
			return fail(400, 'VALIDATION_ERROR', 'limit must be an integer from 1 to 100');
		}
		const sort = q.get('sort') ?? 'createdAt.desc';
		if (!['createdAt.desc', 'createdAt.asc'].includes(sort)) {
			return fail(400, 'VALIDATION_ERROR', 'sort must be createdAt.desc or createdAt.asc');
		}
		const status = q.get('status');
		if (status && !CONTACT_STATUSES.includes(status)) {
			return fail(400, 'VALIDATION_ERROR', `status must be one of ${CONTACT_STATUSES.join(', ')}`);
		}
		const search = (q.get('search') ?? '').toLowerCase();
		// Insertion order is creation order; ids break ties between equal timestamps.
		let all = [...contacts.values()];
		if (sort === 'createdAt.desc') all.reverse();
		all = all.filter(
			(c) =>
				(!status || c.properties.status === status) &&
				(!search ||
					['email', 'firstName', 'lastName'].some((k) =>
						String(c.properties[k] ?? '')
							.toLowerCase()
							.includes(search),
					)),
		);
		let start = 0;
		const cursor = q.get('cursor');
		if (cursor) {
			const decoded = decodeCursor(cursor);
			if (decoded === undefined) return fail(400, 'VALIDATION_ERROR', 'cursor is not valid');
			start = all.findIndex((c) => c.id === decoded) + 1;
			if (start === 0) return fail(400, 'VALIDATION_ERROR', 'cursor is not valid');
		}
		const items = all.slice(start, start + limit);
		const hasMore = start + limit < all.length;
		const last = items[items.length - 1];
		return ok({
			contacts: { items, cursor: hasMore && last ? encodeCursor(last.id) : null, hasMore, totalCount: all.length },
		});
	}

	/**
	 * `GET /contacts/properties?type=CUSTOM&limit=`: `{properties: {items, hasMore}}`. SDK shape: at most
	 * 50 a page (a larger limit is refused) and no cursor, options in `typeConfig`; legacy: up to
	 * 100, a cursor, options as a list.
	 * @param {URLSearchParams} q
	 */
	function listProperties(q) {
		const type = q.get('type');
		const most = PROPERTY_PAGE[shapes];
		const limit = q.has('limit') ? Number(q.get('limit')) : most;
		if (!Number.isInteger(limit) || limit < 1 || limit > most) {
			return fail(400, 'VALIDATION_ERROR', `limit must be an integer from 1 to ${most}`);
		}
		const all = type === 'CUSTOM' || type === null ? properties : [];
		const after = q.get('cursor') ? decodeCursor(String(q.get('cursor'))) : undefined;
		const start = after === undefined ? 0 : all.findIndex((p) => p.apiSlug === after) + 1;
		const items = all.slice(start, start + limit);
		const hasMore = start + limit < all.length;
		const last = items[items.length - 1];
		if (sdk()) return ok({ properties: { items: items.map(sdkProperty), hasMore } });
		return ok({
			properties: {
				items: items.map((p) => ({ id: `prop_${p.apiSlug}`, ...p, kind: 'CUSTOM' })),
				hasMore,
				cursor: hasMore && last ? encodeCursor(last.apiSlug) : null,
			},
		});
	}

	/**
	 * A custom property as the SDK's `CustomProperty` types it (options under `typeConfig`).
	 * @param {{apiSlug: string, displayName: string, type: string, options?: string[]}} p
	 */
	function sdkProperty(p) {
		const { options: choices, ...rest } = p;
		const typeConfig = {
			...(choices ? { options: choices.map((value) => ({ id: `opt_${value}`, value, displayName: value, color: 'gray' })) } : {}),
			...(p.type === 'SELECT' || p.type === 'MULTI_SELECT' ? { multiple: p.type === 'MULTI_SELECT' } : {}),
		};
		return { id: `prop_${p.apiSlug}`, ...rest, typeConfig, isInternal: false, workspaceId, createdAt: propertiesCreatedAt };
	}

	/**
	 * `GET /transactional?limit=&cursor=&status=`: `{transactional: {items, cursor, hasMore}}`, newest first,
	 * each without its variables (the SDK types them as optional in a listing).
	 * @param {URLSearchParams} q
	 */
	function listTemplates(q) {
		const limit = q.has('limit') ? Number(q.get('limit')) : 15;
		if (!Number.isInteger(limit) || limit < 1 || limit > 100)
			return fail(400, 'VALIDATION_ERROR', 'limit must be an integer from 1 to 100');
		const status = q.get('status');
		const all = [...templates].reverse().filter((t) => !status || t.status === status);
		const after = q.get('cursor') ? decodeCursor(String(q.get('cursor'))) : undefined;
		const start = after === undefined ? 0 : all.findIndex((t) => t.id === after) + 1;
		if (q.get('cursor') && start === 0) return fail(400, 'VALIDATION_ERROR', 'cursor is not valid');
		const items = all.slice(start, start + limit);
		const hasMore = start + limit < all.length;
		const last = items[items.length - 1];
		// A summary of each: the variables come with GET /transactional/{id}.
		const summaries = items.map(({ variables, ...summary }) => summary);
		return ok({ transactional: { items: summaries, hasMore, cursor: hasMore && last ? encodeCursor(last.id) : null } });
	}

	/**
	 * What is wrong with an event, if anything.
	 * @param {unknown} body
	 * @returns {string | undefined}
	 */
	function eventProblem(body) {
		if (!isPlainObject(body)) return 'Body must be an object';
		const b = /** @type {Record<string, any>} */ (body);
		if (typeof b.event !== 'string' || !EVENT_NAME.test(b.event)) return 'event must be 1-60 characters of letters, digits, _ . : -';
		if (!isPlainObject(b.identify) || typeof b.identify.email !== 'string' || !isEmail(b.identify.email)) {
			return 'identify.email is required and must be a valid email address';
		}
		if (b.properties !== undefined && !isPlainObject(b.properties)) return 'properties must be an object';
		if (b.timestamp !== undefined && Number.isNaN(Date.parse(String(b.timestamp)))) return 'timestamp must be an ISO 8601 date';
		if (b.messageId !== undefined && (typeof b.messageId !== 'string' || b.messageId.length === 0 || b.messageId.length > 128)) {
			return 'messageId must be a string of at most 128 characters';
		}
		return undefined;
	}

	/**
	 * Records a valid event once per messageId.
	 * @param {Record<string, any>} b
	 */
	function recordEvent(b) {
		const messageId = b.messageId ?? newId('msg');
		if (eventsById.has(messageId)) return { messageId, duplicated: true };
		const record = { ...b, messageId, receivedAt: now() };
		events.push(record);
		eventsById.set(messageId, record);
		return { messageId, duplicated: false };
	}

	/** @param {unknown} body */
	function sendEvent(body) {
		const problem = eventProblem(body);
		if (problem) return fail(400, 'VALIDATION_ERROR', problem);
		const { messageId, duplicated } = recordEvent(/** @type {Record<string, any>} */ (body));
		if (!duplicated) return ok({ success: true, messageId });
		// The SDK's answer has no `duplicated`, only an optional `info` (its wording is not known).
		return ok(
			sdk()
				? { success: true, messageId, info: 'An event with this messageId was already received' }
				: { success: true, messageId, duplicated: true },
		);
	}

	/**
	 * The items of a batch body (`{contacts: [...]}` or `{events: [...]}`), or the answer that
	 * refuses the batch as a whole: not a list, empty, or larger than the emulator accepts (413).
	 * @param {unknown} body
	 * @param {'contacts' | 'events'} field
	 * @returns {{ok: true, list: unknown[]} | {ok: false, answer: RestAnswer}}
	 */
	function batchItems(body, field) {
		const list = isPlainObject(body) ? /** @type {any} */ (body)[field] : undefined;
		if (!Array.isArray(list) || list.length === 0) {
			return { ok: false, answer: fail(400, 'VALIDATION_ERROR', `Body must be {"${field}": [...]} with at least one item`) };
		}
		if (list.length > maxBatchSize) {
			return {
				ok: false,
				answer: fail(413, 'PAYLOAD_TOO_LARGE', `A batch holds at most ${maxBatchSize} ${field}; this one has ${list.length}`),
			};
		}
		return { ok: true, list };
	}

	/**
	 * One entry of a batch answer's errors[].
	 * @param {number} index
	 * @param {unknown} email
	 * @param {ItemError} error
	 */
	function itemFailure(index, email, error) {
		return { index, email: typeof email === 'string' ? email : undefined, errors: [error] };
	}

	/**
	 * POST /contacts/batch: each item an upsert by email. With allowPartialSuccess=true the
	 * valid items are saved and the others listed in errors[]; without it, one bad item
	 * refuses the whole batch (400, nothing saved).
	 * @param {unknown} body
	 * @param {URLSearchParams} q
	 * @param {ItemFaults} itemFaults
	 */
	function batchContacts(body, q, itemFaults) {
		const started = Date.now();
		const items = batchItems(body, 'contacts');
		if (!items.ok) return items.answer;
		/** @type {Array<ReturnType<typeof itemFailure>>} */
		const errors = [];
		/** @type {Array<{index: number, properties: Record<string, unknown>}>} */
		const valid = [];
		for (const [index, item] of items.list.entries()) {
			const props = propertiesOf(item);
			const email = props.ok ? props.value.email : undefined;
			const problem = !props.ok
				? 'Each contact must be {"properties": {...}}'
				: typeof email !== 'string' || !isEmail(email)
					? 'properties.email is required and must be a valid email address'
					: validationMessage(validateProperties(props.value));
			const scripted = problem ? undefined : itemFaults(typeof email === 'string' ? email.trim() : undefined);
			if (problem || scripted) {
				errors.push(itemFailure(index, email, scripted ?? { code: 'VALIDATION_ERROR', message: String(problem), retryable: false }));
				continue;
			}
			valid.push({ index, properties: /** @type {Record<string, unknown>} */ (props.ok ? props.value : {}) });
		}
		if (errors.length > 0 && q.get('allowPartialSuccess') !== 'true') {
			return { status: 400, body: { error: { code: 'VALIDATION_ERROR', message: `${errors.length} contacts are not valid` }, errors } };
		}
		const saved = [];
		let created = 0;
		for (const { properties } of valid) {
			const answer = upsertContact({ properties });
			if (answer.status === 201) created += 1;
			saved.push(/** @type {any} */ (answer.body).contact);
		}
		const answer = {
			requestId: newId('req'),
			contacts: saved,
			summary: {
				created,
				updated: saved.length - created,
				failed: errors.length,
				total: items.list.length,
				processingTime: Date.now() - started,
			},
			...(errors.length > 0 ? { errors } : {}),
			...(errors.length > 0 && q.get('includeFailedContacts') === 'true'
				? { failedContacts: errors.map((e) => ({ index: e.index, contact: items.list[e.index], errors: e.errors })) }
				: {}),
		};
		return ok(answer);
	}

	/**
	 * POST /events/batch: each event recorded once per messageId; invalid ones listed in errors[].
	 * @param {unknown} body
	 * @param {ItemFaults} itemFaults
	 */
	function batchEvents(body, itemFaults) {
		const items = batchItems(body, 'events');
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
	}

	/**
	 * `POST /emails`. SDK shape: `to` is one address, a raw email needs `html` (text optional), `from`
	 * may be `Name <addr>`; legacy: `to` may be a list, text alone will do.
	 * @param {unknown} body
	 */
	function sendEmail(body) {
		if (!isPlainObject(body)) return fail(400, 'VALIDATION_ERROR', 'Body must be an object');
		const b = /** @type {Record<string, any>} */ (body);
		if (sdk()) {
			if (typeof b.to !== 'string' || !isEmail(b.to)) return fail(400, 'VALIDATION_ERROR', 'to must be a single email address');
		} else {
			const to = Array.isArray(b.to) ? b.to : [b.to];
			if (to.length === 0 || !to.every((t) => typeof t === 'string' && isEmail(t))) {
				return fail(400, 'VALIDATION_ERROR', 'to must be an email address (or a list of them)');
			}
		}
		if (b.template !== undefined) {
			if (!templateNamed(b.template)) return fail(404, 'NOT_FOUND', `Template ${b.template} not found`);
			if (b.variables !== undefined && !isPlainObject(b.variables)) return fail(400, 'VALIDATION_ERROR', 'variables must be an object');
		} else {
			const sender = typeof b.from === 'string' ? senderAddress(b.from, sdk()) : undefined;
			if (!sender)
				return fail(400, 'VALIDATION_ERROR', sdk() ? 'from must be an email address or Name <address>' : 'from must be an email address');
			if (typeof b.subject !== 'string' || b.subject.trim() === '') return fail(400, 'VALIDATION_ERROR', 'subject is required');
			if (sdk() && typeof b.html !== 'string') return fail(400, 'VALIDATION_ERROR', 'html is required');
			if (typeof b.html !== 'string' && typeof b.text !== 'string') return fail(400, 'VALIDATION_ERROR', 'html or text is required');
		}
		if (b.sendAt !== undefined && Number.isNaN(Date.parse(String(b.sendAt))))
			return fail(400, 'VALIDATION_ERROR', 'sendAt must be an ISO 8601 date');
		const key = typeof b.idempotencyKey === 'string' ? b.idempotencyKey : undefined;
		const earlier = key ? emailsByKey.get(key) : undefined;
		if (earlier) return ok({ email: earlier.answer });
		// The SDK's statuses: SCHEDULED, SENT, FAILED, CANCELLED, DELIVERED.
		const status = b.sendAt ? 'SCHEDULED' : sdk() ? 'SENT' : 'QUEUED';
		const answer = { messageId: newId('eml'), status, to: b.to };
		const record = { ...b, answer, receivedAt: now() };
		emails.push(record);
		if (key) emailsByKey.set(key, record);
		return ok({ email: answer });
	}

	/** @param {unknown} body */
	function createWebhook(body) {
		const checked = checkWebhookBody(body, true);
		if (!checked.ok) return checked.answer;
		/** @type {Webhook} */
		const webhook = {
			id: newId('wh'),
			status: 'ACTIVE',
			createdAt: now(),
			url: String(checked.value.url),
			events: checked.value.events ?? [],
			token: checked.value.token,
		};
		webhooks.set(webhook.id, webhook);
		return { status: 201, body: { webhook: publicWebhook(webhook) } };
	}

	/**
	 * @param {Webhook} webhook
	 * @param {unknown} body
	 */
	function updateWebhook(webhook, body) {
		const checked = checkWebhookBody(body, false);
		if (!checked.ok) return checked.answer;
		Object.assign(webhook, checked.value);
		return ok({ webhook: publicWebhook(webhook) });
	}

	/**
	 * @param {unknown} body
	 * @param {boolean} creating
	 * @returns {{ok: true, value: {url?: string, events?: string[], token?: string, status?: string}} | {ok: false, answer: RestAnswer}}
	 */
	function checkWebhookBody(body, creating) {
		if (!isPlainObject(body)) return { ok: false, answer: fail(400, 'VALIDATION_ERROR', 'Body must be an object') };
		const b = /** @type {Record<string, any>} */ (body);
		/** @type {{url?: string, events?: string[], token?: string, status?: string}} */
		const value = {};
		if (creating || b.url !== undefined) {
			try {
				if (!/^https?:$/.test(new URL(b.url).protocol)) throw new Error('protocol');
			} catch {
				return { ok: false, answer: fail(400, 'VALIDATION_ERROR', 'url must be an http(s) URL') };
			}
			value.url = b.url;
		}
		if (creating || b.events !== undefined) {
			if (!Array.isArray(b.events) || b.events.length === 0 || !b.events.every((e) => WEBHOOK_EVENTS.includes(e))) {
				return { ok: false, answer: fail(400, 'VALIDATION_ERROR', `events must be a non-empty list of ${WEBHOOK_EVENTS.join(', ')}`) };
			}
			value.events = b.events;
		}
		if (b.token !== undefined) value.token = String(b.token);
		if (!creating && b.status !== undefined) {
			if (!WEBHOOK_STATUSES.includes(b.status)) {
				return { ok: false, answer: fail(400, 'VALIDATION_ERROR', `status must be one of ${WEBHOOK_STATUSES.join(', ')}`) };
			}
			value.status = b.status;
		}
		return { ok: true, value };
	}

	/**
	 * A webhook as answered: the SDK's `Webhook` echoes its token; the legacy shape never did.
	 * @param {Webhook} webhook
	 */
	function publicWebhook(webhook) {
		const { token, ...rest } = webhook;
		if (sdk()) return { ...rest, displayName: webhook.url, workspaceId, token: token ?? '' };
		return { ...rest, hasToken: token !== undefined };
	}

	/**
	 * Calls every webhook subscribed to `event`, signed with its token (as SMASHSEND is
	 * believed to sign: hex HMAC-SHA256 of the raw body).
	 * @param {string} event
	 * @param {Contact | undefined} contact
	 * @param {{ signature?: 'valid' | 'invalid' | 'none', webhookId?: string }} [how]
	 * @returns {Promise<Delivery[]>}
	 */
	async function deliverEvent(event, contact, how = {}) {
		// A paused or banned registration receives nothing.
		const targets = [...webhooks.values()].filter(
			(w) => w.status === 'ACTIVE' && (how.webhookId ? w.id === how.webhookId : w.events.includes(event) || event === 'TESTING_CONNECTION'),
		);
		return await Promise.all(
			targets.map(async (webhook) => {
				const body = JSON.stringify({
					event,
					payload: contact ? { contact } : {},
					...(deliveryTimestamp() ? { timestamp: now() } : {}),
					version: 1,
				});
				const valid = webhook.token ? crypto.createHmac('sha256', webhook.token).update(body).digest('hex') : '';
				const signature =
					how.signature === 'none'
						? ''
						: how.signature === 'invalid'
							? crypto.createHmac('sha256', 'not-the-token').update(body).digest('hex')
							: valid;
				/** @type {Delivery} */
				const delivery = {
					seq: deliveries.length + 1,
					webhookId: webhook.id,
					url: webhook.url,
					event,
					signature,
					sent: body,
					status: 0,
					body: '',
				};
				deliveries.push(delivery);
				try {
					const response = await fetch(webhook.url, {
						method: 'POST',
						headers: { 'content-type': 'application/json', ...(signature ? { 'x-smashsend-signature': signature } : {}) },
						body,
						signal: AbortSignal.timeout(30_000),
					});
					delivery.status = response.status;
					delivery.body = await response.text();
				} catch (error) {
					delivery.error = String(error);
				}
				return delivery;
			}),
		);
	}

	/**
	 * @param {string} event
	 * @param {Contact} contact
	 */
	function notify(event, contact) {
		if (![...webhooks.values()].some((w) => w.status === 'ACTIVE' && w.events.includes(event))) return;
		const snapshot = JSON.parse(JSON.stringify(contact));
		pendingDeliveries.push(deliverEvent(event, snapshot));
	}

	/** @param {unknown} body */
	function propertiesOf(body) {
		if (!isPlainObject(body) || !isPlainObject(/** @type {any} */ (body).properties)) {
			return /** @type {const} */ ({ ok: false, answer: fail(400, 'VALIDATION_ERROR', 'Body must be {"properties": {...}}') });
		}
		return /** @type {const} */ ({ ok: true, value: /** @type {Record<string, unknown>} */ (/** @type {any} */ (body).properties) });
	}

	/** @param {Record<string, unknown>} props */
	function validateProperties(props) {
		for (const [name, value] of Object.entries(props)) {
			if (value === null || value === undefined) continue;
			if (name === 'status' && !CONTACT_STATUSES.includes(String(value))) {
				return fail(400, 'VALIDATION_ERROR', `status must be one of ${CONTACT_STATUSES.join(', ')}`);
			}
			if (name === 'countryCode' && !/^[A-Z]{2}$/.test(String(value))) {
				return fail(400, 'VALIDATION_ERROR', 'countryCode must be an ISO 3166-1 alpha-2 code such as US or FR');
			}
			if (STANDARD_PROPERTIES.includes(name)) continue;
			const custom = properties.find((p) => p.apiSlug === name);
			if (!custom) return fail(400, 'VALIDATION_ERROR', `Unknown property "${name}": create it in SMASHSEND first`);
			const problem = typeProblem(custom, value);
			if (problem) return fail(400, 'VALIDATION_ERROR', `Property "${name}" ${problem}`);
		}
		return undefined;
	}

	/** @param {RestAnswer | undefined} answer */
	function validationMessage(answer) {
		return answer ? /** @type {any} */ (answer.body).error.message : undefined;
	}

	const api = {
		handle,
		deliverEvent,
		/** Waits for the webhook deliveries contact changes started. */
		async settle() {
			while (pendingDeliveries.length > 0) {
				const current = pendingDeliveries;
				pendingDeliveries = [];
				await Promise.all(current);
			}
		},
		get contacts() {
			return [...contacts.values()];
		},
		get events() {
			return events;
		},
		get emails() {
			return emails;
		},
		get webhooks() {
			return [...webhooks.values()];
		},
		get deliveries() {
			return deliveries;
		},
		get maxBatchSize() {
			return maxBatchSize;
		},
		/** @param {number} size */
		setMaxBatchSize(size) {
			maxBatchSize = size;
		},
		get shapes() {
			return shapes;
		},
		/** @param {Shapes} value which picture of SMASHSEND's answers to give (see ShapeOptions); reset() restores the first */
		setShapes(value) {
			shapes = value;
		},
		/**
		 * A registration's status, as SMASHSEND may change it (PAUSED after failed deliveries, BANNED).
		 * @param {string} id
		 * @param {string} status
		 */
		setWebhookStatus(id, status) {
			const webhook = webhooks.get(id);
			if (!webhook) throw new Error(`No webhook ${id}`);
			webhook.status = status;
		},
		/** @param {Array<{apiSlug: string, displayName: string, type: string, options?: string[]}>} list */
		setProperties(list) {
			properties = list.map((p) => ({ ...p }));
		},
		/** @param {TemplateSeed[]} list transactional templates, created in order */
		addTemplates(list) {
			templates.push(...list.map(makeTemplate));
		},
		/** @param {Array<Record<string, unknown>>} list contact properties, created in order */
		seedContacts(list) {
			for (const props of list) upsertContact({ properties: props });
		},
		reset() {
			shapes = options.shapes ?? 'sdk';
			maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
			contacts = new Map();
			idsByEmail = new Map();
			properties = initialProperties.map((p) => ({ ...p }));
			templates = (options.templates ?? DEFAULT_TEMPLATES).map(makeTemplate);
			events = [];
			eventsById = new Map();
			emails = [];
			emailsByKey = new Map();
			webhooks = new Map();
			deliveries = [];
			pendingDeliveries = [];
		},
	};
	return api;
}

/**
 * @param {{type: string, options?: string[]}} property
 * @param {unknown} value
 */
function typeProblem(property, value) {
	switch (property.type) {
		case 'NUMBER':
			return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
		case 'BOOLEAN':
			return typeof value === 'boolean' ? undefined : 'must be true or false';
		case 'STRING':
			return typeof value === 'string' && value.length <= 255 ? undefined : 'must be text of at most 255 characters';
		case 'DATE':
			return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? undefined : 'must be an ISO 8601 date';
		case 'SELECT':
			return property.options?.includes(String(value)) ? undefined : `must be one of ${property.options?.join(', ')}`;
		case 'MULTI_SELECT':
			return Array.isArray(value) && value.every((v) => property.options?.includes(String(v)))
				? undefined
				: `must be a list of ${property.options?.join(', ')}`;
		default:
			return undefined;
	}
}

/** @param {unknown} body */
function ok(body) {
	return { status: 200, body };
}

/**
 * SMASHSEND's second error shape, `{error: {code, message}}` (the flow webhook uses the first).
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @returns {RestAnswer}
 */
function fail(status, code, message) {
	return { status, body: { error: { code, message } } };
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

/** @param {string} text */
function isEmail(text) {
	return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim());
}

/** @param {unknown} value */
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

module.exports = {
	createRestApi,
	WEBHOOK_EVENTS,
	DEFAULT_KEYS,
	DEFAULT_PROPERTIES,
	DEFAULT_TEMPLATES,
	DEFAULT_IDENTITIES,
	DEFAULT_MAX_BATCH_SIZE,
};
