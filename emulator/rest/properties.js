// @ts-check
'use strict';

/**
 * The workspace's custom contact properties: listed (`GET /contacts/properties`), created
 * (`POST /contact-properties`) and renamed (`PUT /contact-properties/{id}`), as SMASHSEND's SDK
 * types them (`CustomProperty`, with `typeConfig`) or in the older shape.
 */

const { fail, isPlainObject, limitOf, ok, pageOf, routeMissing } = require('./answers');

/** Custom properties per page at most: the SDK asks for 50 (`listProperties`), the legacy shape allowed 100. */
const PROPERTY_PAGE = { sdk: 50, legacy: 100 };
const PROPERTY_TYPES = ['SELECT', 'MULTI_SELECT', 'STRING', 'NUMBER', 'DATE', 'BOOLEAN'];

/**
 * @typedef {import('./workspace').PropertySeed} PropertySeed
 * @typedef {import('./answers').RestAnswer} RestAnswer
 */

/** Whether a property holds a list: a MULTI_SELECT, or a SELECT whose typeConfig says `multiple`. @param {PropertySeed} p */
function isMulti(p) {
	return p.type === 'MULTI_SELECT' || (p.type === 'SELECT' && p.multiple === true);
}

/** The apiSlug SMASHSEND would give a name (assumed: camelCase of its words). @param {string} name */
function slugOf(name) {
	const words = name
		.normalize('NFKD')
		.replace(/[^A-Za-z0-9 ]+/g, ' ')
		.trim()
		.split(/\s+/)
		.filter(Boolean);
	return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('') || 'property';
}

/** @param {import('./workspace').Workspace} ws @returns {import('../restApi').Route[]} */
function propertyRoutes(ws) {
	/**
	 * A property as answered: the SDK's `CustomProperty` (options under `typeConfig`), or the older shape.
	 * @param {PropertySeed} p
	 */
	function publicProperty(p) {
		const { options: choices, multiple, ...rest } = p;
		const id = p.id ?? `prop_${p.apiSlug}`;
		if (!ws.sdk()) return { id, ...rest, ...(choices ? { options: choices } : {}), kind: 'CUSTOM' };
		const typeConfig = {
			...(choices ? { options: choices.map((value) => ({ id: `opt_${value}`, value, displayName: value, color: 'gray' })) } : {}),
			...(p.type === 'SELECT' || p.type === 'MULTI_SELECT' ? { multiple: isMulti(p) } : {}),
		};
		return { id, ...rest, typeConfig, isInternal: false, workspaceId: ws.id, createdAt: p.createdAt ?? ws.propertiesCreatedAt };
	}

	/** A page of the custom properties. @param {URLSearchParams} query */
	function listProperties(query) {
		const limit = limitOf(query, PROPERTY_PAGE[ws.shapes], PROPERTY_PAGE[ws.shapes]);
		if (!limit.ok) return limit.answer;
		const type = query.get('type');
		const all = type === 'CUSTOM' || type === null ? ws.properties : [];
		const page = pageOf(all, (p) => p.apiSlug, query.get('cursor'), limit.limit);
		if (!page.ok) return page.answer;
		const items = page.items.map(publicProperty);
		return ok({ properties: ws.sdk() ? { items, hasMore: page.hasMore } : { items, hasMore: page.hasMore, cursor: page.cursor } });
	}

	/**
	 * `{displayName?, description?}` → `{property}`: with PUT (SDK) or POST (the catalogue), as the reading says.
	 * @param {string} method
	 * @param {Record<string, string>} params
	 * @param {unknown} body
	 */
	function updateProperty(method, params, body) {
		if (method !== ws.readings.propertyUpdate) return routeMissing(method, `/contact-properties/${params.id}`);
		const property = ws.properties.find((p) => (p.id ?? `prop_${p.apiSlug}`) === params.id);
		if (!property) return fail(404, 'NOT_FOUND', 'Property not found');
		if (!isPlainObject(body)) return fail(400, 'VALIDATION_ERROR', 'Body must be an object');
		if (typeof body.displayName === 'string' && body.displayName.trim() !== '') property.displayName = body.displayName.trim();
		if (typeof body.description === 'string') property.description = body.description;
		const updated = publicProperty(property);
		ws.record('PROPERTY_UPDATED', { id: String(updated.id), displayName: property.displayName });
		return ok({ property: updated });
	}

	return [
		{
			// SDK shape: at most 50 a page (a larger limit is refused) and no cursor; legacy: up to 100, a cursor.
			method: 'GET',
			path: '/contacts/properties',
			handle: ({ query }) => (ws.readings.propertiesList === 'sdk' ? listProperties(query) : routeMissing('GET', '/contacts/properties')),
		},
		{
			// The public endpoint catalogue's path for the same list (the reading `propertiesList: 'catalogue'`).
			method: 'GET',
			path: '/contact-properties',
			handle: ({ query }) =>
				ws.readings.propertiesList === 'catalogue' ? listProperties(query) : routeMissing('GET', '/contact-properties'),
		},
		{
			// `{displayName, type, description?, typeConfig?: {options: string[], multiple}}` → `{property}`; a name taken is 409.
			method: 'POST',
			path: '/contact-properties',
			handle: ({ body }) => {
				if (!isPlainObject(body) || typeof body.displayName !== 'string' || body.displayName.trim() === '') {
					return fail(400, 'VALIDATION_ERROR', 'displayName is required');
				}
				if (!PROPERTY_TYPES.includes(body.type)) return fail(400, 'VALIDATION_ERROR', `type must be one of ${PROPERTY_TYPES.join(', ')}`);
				const config = isPlainObject(body.typeConfig) ? body.typeConfig : {};
				const choices = Array.isArray(config.options) ? config.options.map(String) : undefined;
				if ((body.type === 'SELECT' || body.type === 'MULTI_SELECT') && (!choices || choices.length === 0)) {
					return fail(400, 'VALIDATION_ERROR', 'typeConfig.options is required for a select');
				}
				const apiSlug = slugOf(body.displayName);
				if (ws.properties.some((p) => p.apiSlug === apiSlug)) return fail(409, 'CONFLICT', `A property "${apiSlug}" already exists`);
				/** @type {PropertySeed} */
				const property = {
					id: ws.newId('prop'),
					apiSlug,
					displayName: body.displayName.trim(),
					type: body.type,
					...(choices ? { options: choices } : {}),
					...(config.multiple === true ? { multiple: true } : {}),
					...(typeof body.description === 'string' ? { description: body.description } : {}),
					createdAt: ws.now(),
				};
				ws.properties.push(property);
				return { status: 201, body: { property: publicProperty(property) } };
			},
		},
		{ method: 'PUT', path: '/contact-properties/:id', handle: ({ params, body }) => updateProperty('PUT', params, body) },
		{
			// Unconfirmed (SMASHSEND's SDK has no such call): answered as contacts and webhooks are, `{isDeleted, property}`.
			method: 'DELETE',
			path: '/contact-properties/:id',
			handle: ({ params }) => {
				const index = ws.properties.findIndex((p) => (p.id ?? `prop_${p.apiSlug}`) === params.id);
				if (index === -1) return fail(404, 'NOT_FOUND', 'Property not found');
				const [property] = ws.properties.splice(index, 1);
				for (const contact of ws.contacts.values()) delete contact.properties[property.apiSlug];
				return ok({ isDeleted: true, property: publicProperty(property) });
			},
		},
		{ method: 'POST', path: '/contact-properties/:id', handle: ({ params, body }) => updateProperty('POST', params, body) },
	];
}

module.exports = { propertyRoutes, isMulti };
