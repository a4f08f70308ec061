// @ts-check
'use strict';

/**
 * The emulated workspace: what SMASHSEND holds (contacts, properties, events, emails,
 * templates, webhooks), how its ids look, which answer shapes it gives, and its calls back to
 * registered webhooks. The routes (contacts.js, events.js, emails.js, webhooks.js) read and
 * change it; restApi.js routes the requests.
 */

const crypto = require('node:crypto');
const { freshBroadcasts } = require('./broadcasts');
const { freshForms } = require('./forms');

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
 * @typedef {{ shapes?: Shapes, contactIds?: 'uuid' | 'ctc', deliveryTimestamp?: boolean, readings?: Partial<Readings> }} ShapeOptions
 */

/**
 * Where SMASHSEND's public sources disagree with each other (docs/api-contract.md, "Where the
 * sources disagree"): the reading the emulator gives of each. The defaults are the SDK's, or what
 * the real samples show; each is a switch, and the package must work with either value (its
 * tests run both). A fact with one source is a setting here too.
 *
 * @typedef {object} Readings
 * @property {'null' | '404'} searchMissing   `GET /contacts/search` for an email no contact has:
 *   200 `{contact: null}` (SDK) or 404 (Activepieces treats a 404 as "not found")
 * @property {'sdk' | 'catalogue'} propertiesList  the custom properties listed at
 *   `GET /contacts/properties` (SDK), or at `GET /contact-properties` only (a public endpoint catalogue)
 * @property {'PUT' | 'POST'} propertyUpdate  a property updated with `PUT /contact-properties/{id}`
 *   (SDK), or with `POST` only (the catalogue; as SMASHSEND updates webhooks and API keys)
 * @property {'deleted' | 'not-deleted'} deleteAnswer  a DELETE that answers `isDeleted: false`
 *   and deletes nothing (the SDK's types allow it)
 * @property {'text' | 'list'} errorMessages  an error's `message` as text, or as a list of
 *   validation reasons (the SDK's client allows both)
 * @property {'SUCCEED' | 'FAILED'} keyCheck  the `status` of `GET /api-keys/check` for a known key
 *   (the SDK's check: valid when it is SUCCEED)
 * @property {'update' | 'refused'} webhookUpdate  `POST /webhooks/{id}` updates a registration
 *   in place (SDK), or is not there (404)
 * @property {'ctc' | 'uuid'} contactIds  `ctc_` and 24 characters, as every real sample (the
 *   default), or UUIDs (the SDK's README)
 * @property {'iso' | 'unix'} eventTimestamps  the `timestamp` of a webhook delivery as ISO text (the
 *   public sample) or Unix seconds (the SDK types an event's timestamp as either)
 */

/** @type {Readings} */
const DEFAULT_READINGS = {
	searchMissing: 'null',
	propertiesList: 'sdk',
	propertyUpdate: 'PUT',
	deleteAnswer: 'deleted',
	errorMessages: 'text',
	keyCheck: 'SUCCEED',
	webhookUpdate: 'update',
	contactIds: 'ctc',
	eventTimestamps: 'iso',
};

/** The other value of each reading, for tests that run both. @type {{ [K in keyof Readings]: Readings[K] }} */
const OTHER_READINGS = {
	searchMissing: '404',
	propertiesList: 'catalogue',
	propertyUpdate: 'POST',
	deleteAnswer: 'not-deleted',
	errorMessages: 'list',
	keyCheck: 'FAILED',
	webhookUpdate: 'refused',
	contactIds: 'uuid',
	eventTimestamps: 'unix',
};

/** Letters and digits of a contact id after `ctc_`. */
const ID_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `ctc_` and 24 letters and digits, as every real sample of a contact id. */
function ctcId() {
	return `ctc_${Array.from(crypto.randomBytes(24), (byte) => ID_CHARACTERS[byte % ID_CHARACTERS.length]).join('')}`;
}

/**
 * @typedef {{ apiSlug: string, displayName: string, type: string, options?: string[], multiple?: boolean, id?: string, description?: string, createdAt?: string }} PropertySeed
 * @typedef {{ id: string, createdAt: string, updatedAt?: string, workspaceId: string, properties: Record<string, unknown> }} Contact
 * @typedef {{ id: string, url: string, events: string[], token?: string, status: string, createdAt: string }} Webhook
 * @typedef {{ seq: number, webhookId: string, url: string, event: string, signature: string, sent: string, status: number, body: string, error?: string }} Delivery
 *   `sent`: the body delivered; `status` and `body`: the receiver's answer
 * @typedef {{ workspaceId?: string, keys?: Record<string, {role: string, displayName: string}>, properties?: PropertySeed[], templates?: Array<string | TemplateSeed>, identities?: typeof DEFAULT_IDENTITIES, maxBatchSize?: number } & ShapeOptions} WorkspaceOptions
 */

/** @param {WorkspaceOptions} options */
function createWorkspace(options = {}) {
	let counter = 0;
	const newId = (/** @type {string} */ prefix) =>
		`${prefix}_${(++counter).toString(36).padStart(5, '0')}${crypto.randomBytes(5).toString('hex')}`;
	const now = () => new Date().toISOString();

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

	/**
	 * What a delivery of `event` carries when the caller says nothing: a contact's event its
	 * contact; a workspace's alert the workspace (and the member who joined). Unconfirmed shapes.
	 * @param {string} event
	 * @param {Contact | undefined} contact
	 * @returns {Record<string, unknown>}
	 */
	function defaultPayload(event, contact) {
		if (!event.startsWith('WORKSPACE_')) return contact ? { contact } : {};
		const workspace = { id: ws.id, name: 'Emulated workspace' };
		if (event === 'WORKSPACE_TEAM_MEMBER_JOINED')
			return { workspace, member: { email: 'new.member@example.com', role: 'EDITOR', joinedAt: now() } };
		if (event === 'WORKSPACE_SENDING_EMAILS_PAUSED')
			return { workspace: { ...workspace, sendingStatus: 'PAUSED' }, reason: 'Sending paused by SMASHSEND' };
		return { workspace: { ...workspace, status: 'BANNED' }, reason: 'Workspace banned by SMASHSEND' };
	}

	/** The readings the workspace starts with: the defaults, then the options'. @returns {Readings} */
	function startingReadings() {
		return { ...DEFAULT_READINGS, ...(options.contactIds ? { contactIds: options.contactIds } : {}), ...options.readings };
	}

	const ws = {
		id: options.workspaceId ?? 'wrk_demo',
		/** @type {Shapes} */
		shapes: options.shapes ?? 'sdk',
		/** @type {Readings} */
		readings: startingReadings(),
		// A Map, not an object: "constructor" or "__proto__" must not pass as keys.
		/** @type {Map<string, {role: string, displayName: string}>} */
		keys: new Map(Object.entries({ ...DEFAULT_KEYS, ...options.keys })),
		identities: options.identities ?? DEFAULT_IDENTITIES,
		maxBatchSize: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
		/** @type {Map<string, Contact>} */
		contacts: new Map(),
		/** @type {Map<string, string>} lower-cased email → contact id */
		idsByEmail: new Map(),
		/** @type {PropertySeed[]} */
		properties: (options.properties ?? DEFAULT_PROPERTIES).map((p) => ({ ...p })),
		propertiesCreatedAt: now(),
		/** @type {Array<Record<string, unknown>>} */
		events: [],
		/** @type {Map<string, Record<string, unknown>>} */
		eventsById: new Map(),
		/** @type {Array<Record<string, unknown>>} */
		emails: [],
		/** @type {Map<string, Record<string, unknown>>} */
		emailsByKey: new Map(),
		templates: (options.templates ?? DEFAULT_TEMPLATES).map(makeTemplate),
		/** @type {Map<string, Webhook>} */
		webhooks: new Map(),
		/** @type {Delivery[]} */
		deliveries: [],
		/** @type {Promise<unknown>[]} */
		pendingDeliveries: [],
		/** Hosted forms, their entries and rewards (forms.js). */
		forms: freshForms(),
		/** Broadcasts, their tests, and whether the workspace has early access (broadcasts.js). */
		broadcasts: freshBroadcasts(),
		newId,
		now,
		makeTemplate,
		/** Whether the answers take the SDK's shapes (the default). */
		sdk: () => ws.shapes === 'sdk',
		newContactId: () => (ws.readings.contactIds === 'uuid' ? crypto.randomUUID() : ctcId()),
		deliveryTimestamp: () => options.deliveryTimestamp ?? !ws.sdk(),
		/** @param {unknown} name */
		templateNamed: (name) => ws.templates.find((t) => t.name === name || t.id === name),
		/**
		 * Calls every active webhook subscribed to `event`, signed with its token (as SMASHSEND is
		 * believed to sign: hex HMAC-SHA256 of the raw body).
		 * @param {string} event
		 * @param {Contact | undefined} contact
		 * @param {{ signature?: 'valid' | 'invalid' | 'none', webhookId?: string, payload?: Record<string, unknown> }} [how]
		 *   `payload` replaces the one made here (a contact's event carries the contact; a workspace's
		 *   event, whose body no source documents, the workspace and, for a new member, the member)
		 * @returns {Promise<Delivery[]>}
		 */
		async deliverEvent(event, contact, how = {}) {
			// A paused or banned registration receives nothing.
			const targets = [...ws.webhooks.values()].filter(
				(w) =>
					w.status === 'ACTIVE' && (how.webhookId ? w.id === how.webhookId : w.events.includes(event) || event === 'TESTING_CONNECTION'),
			);
			return await Promise.all(
				targets.map(async (webhook) => {
					const body = JSON.stringify({
						event,
						payload: how.payload ?? defaultPayload(event, contact),
						...(ws.deliveryTimestamp()
							? { timestamp: ws.readings.eventTimestamps === 'unix' ? Math.floor(Date.now() / 1000) : now() }
							: {}),
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
						seq: ws.deliveries.length + 1,
						webhookId: webhook.id,
						url: webhook.url,
						event,
						signature,
						sent: body,
						status: 0,
						body: '',
					};
					ws.deliveries.push(delivery);
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
		},
		/**
		 * A change to a contact, for the webhooks that want it (delivered in the background: `settle()` waits).
		 * @param {string} event
		 * @param {Contact} contact
		 */
		notify(event, contact) {
			ws.record(event, { id: contact.id, properties: { ...contact.properties } });
			if (![...ws.webhooks.values()].some((w) => w.status === 'ACTIVE' && w.events.includes(event))) return;
			const snapshot = JSON.parse(JSON.stringify(contact));
			ws.pendingDeliveries.push(ws.deliverEvent(event, snapshot));
		},
		/**
		 * Every change the workspace made, in the order it made it, while `history` is on (tests
		 * check a run's story against it: per contact, the last write must be the last item's).
		 * @type {Array<{ seq: number, event: string, id: string, properties?: Record<string, unknown>, displayName?: string }> | undefined}
		 */
		history: undefined,
		/** @param {string} event @param {{ id: string, properties?: Record<string, unknown>, displayName?: string }} what */
		record(event, what) {
			if (ws.history) ws.history.push({ seq: ws.history.length + 1, event, ...what });
		},
		/** Back to a new workspace (and the shapes it started with). */
		reset() {
			ws.history = undefined;
			ws.shapes = options.shapes ?? 'sdk';
			ws.readings = startingReadings();
			ws.maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
			ws.contacts = new Map();
			ws.idsByEmail = new Map();
			ws.properties = (options.properties ?? DEFAULT_PROPERTIES).map((p) => ({ ...p }));
			ws.templates = (options.templates ?? DEFAULT_TEMPLATES).map(makeTemplate);
			ws.events = [];
			ws.eventsById = new Map();
			ws.emails = [];
			ws.emailsByKey = new Map();
			ws.webhooks = new Map();
			ws.deliveries = [];
			ws.pendingDeliveries = [];
			ws.forms = freshForms();
			ws.broadcasts = freshBroadcasts();
		},
	};
	return ws;
}

/** @typedef {ReturnType<typeof createWorkspace>} Workspace */

module.exports = {
	createWorkspace,
	DEFAULT_KEYS,
	DEFAULT_PROPERTIES,
	DEFAULT_TEMPLATES,
	DEFAULT_IDENTITIES,
	DEFAULT_MAX_BATCH_SIZE,
	DEFAULT_READINGS,
	OTHER_READINGS,
};
