// @ts-check
'use strict';

/**
 * Contacts: upsert by email (one at a time, or in batches with partial success), get, update,
 * delete (by id or by email), search by email, list with cursor paging, and the workspace's
 * custom properties with their types checked on every write.
 */

const { fail, isEmail, isPlainObject, limitOf, ok, pageOf } = require('./answers');
const { isMulti } = require('./properties');
const { batchItems, itemFailure } = require('./batches');

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

/**
 * @typedef {import('./workspace').Workspace} Workspace
 * @typedef {import('./workspace').Contact} Contact
 * @typedef {import('./answers').RestAnswer} RestAnswer
 * @typedef {import('../restApi').Route} Route
 */

/** @param {Workspace} ws */
function contactRoutes(ws) {
	/**
	 * @param {unknown} body
	 * @param {string} [keptCreatedAt] the contact's own creation date, from an import that asked to keep it
	 * @param {string} [givenId] the new contact's id (a test's seeded contact), instead of a new one
	 * @returns {RestAnswer}
	 */
	function upsertContact(body, keptCreatedAt, givenId) {
		const props = propertiesOf(body);
		if (!props.ok) return props.answer;
		const email = props.value.email;
		if (typeof email !== 'string' || !isEmail(email)) {
			return fail(400, 'VALIDATION_ERROR', 'properties.email is required and must be a valid email address');
		}
		const invalid = validateProperties(props.value);
		if (invalid) return invalid;
		const existingId = ws.idsByEmail.get(email.trim().toLowerCase());
		if (existingId) {
			const existing = /** @type {Contact} */ (ws.contacts.get(existingId));
			if (keptCreatedAt) existing.createdAt = keptCreatedAt;
			return updateContact(existing, body);
		}
		/** @type {Contact} */
		const contact = {
			id: givenId ?? ws.newContactId(),
			createdAt: keptCreatedAt ?? ws.now(),
			workspaceId: ws.id,
			properties: { status: 'SUBSCRIBED', ...withChanges({}, props.value), email: email.trim() },
		};
		ws.contacts.set(contact.id, contact);
		ws.idsByEmail.set(email.trim().toLowerCase(), contact.id);
		ws.notify('CONTACT_CREATED', contact);
		return { status: 201, body: { contact } };
	}

	/** @param {Contact} contact @param {unknown} body @returns {RestAnswer} */
	function updateContact(contact, body) {
		const props = propertiesOf(body);
		if (!props.ok) return props.answer;
		const invalid = validateProperties(props.value);
		if (invalid) return invalid;
		const next = withChanges(contact.properties, props.value);
		const newEmail = next.email;
		if (typeof newEmail === 'string') {
			const otherId = ws.idsByEmail.get(newEmail.trim().toLowerCase());
			if (otherId && otherId !== contact.id) return fail(409, 'CONFLICT', 'Another contact already has this email');
			ws.idsByEmail.delete(String(contact.properties.email).toLowerCase());
			next.email = newEmail.trim();
			ws.idsByEmail.set(newEmail.trim().toLowerCase(), contact.id);
		}
		const before = contact.properties.status;
		contact.properties = { ...contact.properties, ...next };
		contact.updatedAt = ws.now();
		ws.notify('CONTACT_UPDATED', contact);
		const after = contact.properties.status;
		if (after !== before && after === 'UNSUBSCRIBED') ws.notify('CONTACT_UNSUBSCRIBED', contact);
		if (after !== before && before === 'UNSUBSCRIBED' && after === 'SUBSCRIBED') ws.notify('CONTACT_RESUBSCRIBED', contact);
		return ok({ contact });
	}

	/** @param {string} id @returns {RestAnswer} */
	function deleteContact(id) {
		const contact = /** @type {Contact} */ (ws.contacts.get(id));
		if (ws.readings.deleteAnswer === 'not-deleted') return ok({ isDeleted: false, contact });
		ws.contacts.delete(id);
		ws.idsByEmail.delete(String(contact.properties.email).toLowerCase());
		ws.notify('CONTACT_DELETED', contact);
		return ok({ isDeleted: true, contact });
	}

	/** @param {URLSearchParams} q @returns {RestAnswer} */
	function listContacts(q) {
		const limit = limitOf(q, 15, 100);
		if (!limit.ok) return limit.answer;
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
		let all = [...ws.contacts.values()];
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
		const page = pageOf(all, (c) => c.id, q.get('cursor'), limit.limit);
		if (!page.ok) return page.answer;
		return ok({ contacts: { items: page.items, cursor: page.cursor, hasMore: page.hasMore, totalCount: all.length } });
	}

	/**
	 * POST /contacts/batch: each item an upsert by email. With allowPartialSuccess=true the
	 * valid items are saved and the others listed in errors[]; without it, one bad item
	 * refuses the whole batch (400, nothing saved).
	 * @param {unknown} body
	 * @param {URLSearchParams} q
	 * @param {import('../restApi').ItemFaults} itemFaults
	 * @returns {RestAnswer}
	 */
	function batchContacts(body, q, itemFaults) {
		const started = Date.now();
		const items = batchItems(ws, body, 'contacts');
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
		// SDK (createBatch, ContactCreateOptions.createdAt): kept only with overrideCreatedAt=true; a date it cannot read is today's.
		const keepDates = q.get('overrideCreatedAt') === 'true';
		for (const { properties } of valid) {
			const own = keepDates && typeof properties.createdAt === 'string' && !Number.isNaN(Date.parse(properties.createdAt));
			const answer = upsertContact({ properties }, own ? new Date(String(properties.createdAt)).toISOString() : undefined);
			if (answer.status === 201) created += 1;
			saved.push(/** @type {any} */ (answer.body).contact);
		}
		return ok({
			requestId: ws.newId('req'),
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
		});
	}

	/** @param {unknown} body */
	function propertiesOf(body) {
		if (!isPlainObject(body) || !isPlainObject(body.properties)) {
			return /** @type {const} */ ({ ok: false, answer: fail(400, 'VALIDATION_ERROR', 'Body must be {"properties": {...}}') });
		}
		return /** @type {const} */ ({ ok: true, value: /** @type {Record<string, unknown>} */ (body.properties) });
	}

	/**
	 * The properties to store: a multi-select's `{add, remove}` made into its new list from `current`'s
	 * (SMASHSEND's SDK README: add and remove without reading the contact first; `[]` clears).
	 * @param {Record<string, unknown>} current
	 * @param {Record<string, unknown>} incoming
	 */
	function withChanges(current, incoming) {
		/** @type {Record<string, unknown>} */
		const next = {};
		for (const [name, value] of Object.entries(incoming)) {
			// The contact's own date (an import's overrideCreatedAt), never a property; ignored anywhere else (SDK).
			if (name === 'createdAt') continue;
			if (!isPlainObject(value)) {
				next[name] = value;
				continue;
			}
			const before = Array.isArray(current[name]) ? /** @type {unknown[]} */ (current[name]).map(String) : [];
			const add = Array.isArray(value.add) ? value.add.map(String) : [];
			const remove = new Set(Array.isArray(value.remove) ? value.remove.map(String) : []);
			next[name] = [...new Set([...before, ...add])].filter((v) => !remove.has(v));
		}
		return next;
	}

	/** @param {Record<string, unknown>} props @returns {RestAnswer | undefined} */
	function validateProperties(props) {
		for (const [name, value] of Object.entries(props)) {
			if (value === null || value === undefined) continue;
			if (name === 'status' && !CONTACT_STATUSES.includes(String(value))) {
				return fail(400, 'VALIDATION_ERROR', `status must be one of ${CONTACT_STATUSES.join(', ')}`);
			}
			if (name === 'countryCode' && !/^[A-Z]{2}$/.test(String(value))) {
				return fail(400, 'VALIDATION_ERROR', 'countryCode must be an ISO 3166-1 alpha-2 code such as US or FR');
			}
			if (STANDARD_PROPERTIES.includes(name) || name === 'createdAt') continue;
			const custom = ws.properties.find((p) => p.apiSlug === name);
			if (!custom) return fail(400, 'VALIDATION_ERROR', `Unknown property "${name}": create it in SMASHSEND first`);
			const problem = typeProblem(custom, value);
			if (problem) return fail(400, 'VALIDATION_ERROR', `Property "${name}" ${problem}`);
		}
		return undefined;
	}

	/** @param {string} id @param {(contact: Contact) => RestAnswer} then */
	const withContact = (id, then) => {
		const contact = ws.contacts.get(id);
		return contact ? then(contact) : fail(404, 'NOT_FOUND', 'Contact not found');
	};

	/** @type {Route[]} in the order they are matched: the fixed paths before `/contacts/:id` */
	const routes = [
		{ method: 'POST', path: '/contacts', handle: ({ body }) => upsertContact(body) },
		{ method: 'POST', path: '/contacts/batch', handle: ({ body, query, itemFaults }) => batchContacts(body, query, itemFaults) },
		{ method: 'GET', path: '/contacts', handle: ({ query }) => listContacts(query) },
		{
			method: 'GET',
			path: '/contacts/search',
			handle: ({ query }) => {
				const email = query.get('email');
				if (!email) return fail(400, 'VALIDATION_ERROR', 'email query parameter is required');
				const id = ws.idsByEmail.get(email.trim().toLowerCase());
				if (!id && ws.readings.searchMissing === '404') return fail(404, 'NOT_FOUND', 'Contact not found');
				return ok({ contact: id ? ws.contacts.get(id) : null });
			},
		},
		{
			method: 'DELETE',
			path: '/contacts/by-email/:email',
			handle: ({ params }) => {
				const id = ws.idsByEmail.get(params.email.trim().toLowerCase());
				return id ? deleteContact(id) : fail(404, 'NOT_FOUND', 'Contact not found');
			},
		},
		{ method: 'GET', path: '/contacts/:id', handle: ({ params }) => withContact(params.id, (contact) => ok({ contact })) },
		{
			method: 'PUT',
			path: '/contacts/:id',
			handle: ({ params, body }) => withContact(params.id, (contact) => updateContact(contact, body)),
		},
		{ method: 'DELETE', path: '/contacts/:id', handle: ({ params }) => withContact(params.id, (contact) => deleteContact(contact.id)) },
	];
	return { routes, upsertContact };
}

/** @param {RestAnswer | undefined} answer */
function validationMessage(answer) {
	return answer ? /** @type {any} */ (answer.body).error.message : undefined;
}

/**
 * @param {import('./workspace').PropertySeed} property
 * @param {unknown} value
 */
function typeProblem(property, value) {
	if (isMulti(property)) {
		const valid = (/** @type {unknown} */ list) => Array.isArray(list) && list.every((v) => property.options?.includes(String(v)));
		// A list replaces; {add, remove} changes the list without reading it first.
		if (isPlainObject(value)) {
			const keys = Object.keys(value);
			const ok = keys.length > 0 && keys.every((k) => (k === 'add' || k === 'remove') && valid(value[k]));
			return ok ? undefined : `must be a list, or {add, remove} lists, of ${property.options?.join(', ')}`;
		}
		return valid(value) ? undefined : `must be a list of ${property.options?.join(', ')}`;
	}
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
		default:
			return undefined;
	}
}

module.exports = { contactRoutes };
