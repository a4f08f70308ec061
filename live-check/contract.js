// @ts-check
'use strict';

/**
 * What the package relies on in the answers of SMASHSEND's read-only endpoints, as data: the
 * live check (live-check/run.js) compares a real workspace's answers with it, and the tests
 * compare the emulator's. docs/api-contract.md is the whole contract, writes included, with
 * the source of every fact; the `source` of each endpoint here names its row there.
 *
 * A shape is `{type}` with `type` one or more of string, number, boolean, null, object, array;
 * an object lists its `fields` (each `optional` or not), an array its items (`of`); `oneOf`
 * lists alternative shapes, any of which will do (SMASHSEND has answered in more than one).
 *
 * @typedef {'string' | 'number' | 'boolean' | 'null' | 'object' | 'array'} JsonType
 * `open`: an object whose other fields are expected (a contact's properties: its custom ones).
 * `equals`: the one value the package needs (the key check's `SUCCEED`).
 * @typedef {{ type?: JsonType | JsonType[], optional?: boolean, open?: boolean, fields?: Record<string, Shape>, of?: Shape, oneOf?: Shape[], note?: string, equals?: string | number | boolean }} Shape
 * Where SMASHSEND's public sources disagree (docs/api-contract.md, "Where the sources disagree"), the
 * other reading an endpoint may give: another status for the same answer (`status`: the package
 * reads it as `means`), or the same list at another path (`path`); `reading` says which one the
 * workspace gave, for the report.
 * @typedef {{ status?: number, means?: unknown, path?: string, sdk: string, other: string }} OtherReading
 * @typedef {{ name: string, path: string, query?: Record<string, string>, source: string, answer: Shape, otherReading?: OtherReading }} Endpoint
 */

/** @param {Record<string, Shape>} fields @returns {Shape} */
const object = (fields) => ({ type: 'object', fields });
/** @param {Shape} of @returns {Shape} */
const list = (of) => ({ type: 'array', of });
/** @param {JsonType | JsonType[]} type @param {Partial<Shape>} [more] @returns {Shape} */
const value = (type, more = {}) => ({ type, ...more });
/** @param {Shape} shape @returns {Shape} */
const optional = (shape) => ({ ...shape, optional: true });

const CONTACT = object({
	id: value('string', { note: 'UUID in the SDK README, ctc_… in the documentation: any id without /, ?, #, %, ..' }),
	createdAt: value('string'),
	updatedAt: optional(value(['string', 'null'])),
	properties: { ...object({ email: value('string') }), open: true },
});

const OPTION = object({ value: value('string'), id: optional(value('string')), displayName: optional(value('string')) });

const PROPERTY = object({
	apiSlug: value('string'),
	displayName: value('string'),
	type: value('string', { note: 'SELECT, MULTI_SELECT, STRING, NUMBER, DATE, BOOLEAN' }),
	typeConfig: optional(object({ options: optional(list(OPTION)), multiple: optional(value('boolean')) })),
	options: optional(value('array', { note: 'the older shape; the SDK dropped it in 2025-07' })),
});

const TEMPLATE = object({
	id: value('string'),
	name: value('string'),
	displayName: optional(value('string')),
	status: optional(value('string', { note: 'DRAFT, ACTIVE, ARCHIVED, PAUSED' })),
	variables: optional(value(['object', 'array'])),
});

const WEBHOOK = object({
	id: value('string'),
	url: value('string'),
	events: list(value('string')),
	status: optional(value('string', { note: 'ACTIVE, PAUSED, BANNED' })),
	token: optional(value('string', { note: 'echoed in full? unconfirmed' })),
});

/** @type {Endpoint[]} */
const ENDPOINTS = [
	{
		name: 'key check',
		path: '/api-keys/check',
		source: 'api-keys/check',
		answer: object({
			status: value('string', { equals: 'SUCCEED', note: "the SDK's check: valid when SUCCEED" }),
			role: value('string', { note: 'EDITOR or VIEWER' }),
			displayName: optional(value('string')),
		}),
	},
	{
		name: 'contacts page',
		path: '/contacts',
		query: { limit: '5', sort: 'createdAt.desc' },
		source: 'contacts list',
		answer: object({
			contacts: object({
				items: list(CONTACT),
				hasMore: value('boolean'),
				cursor: optional(value(['string', 'null'])),
				totalCount: optional(value('number')),
			}),
		}),
	},
	{
		name: 'contact search (an address no workspace has)',
		path: '/contacts/search',
		query: { email: 'n8n-live-check@example.invalid' },
		source: 'contacts search',
		answer: object({ contact: value(['object', 'null']) }),
		otherReading: {
			status: 404,
			means: { contact: null },
			sdk: "200 {contact: null} for no contact (the SDK's reading)",
			other: "404 for no contact (Activepieces' reading), which the package reads as none",
		},
	},
	{
		name: 'custom properties',
		path: '/contacts/properties',
		query: { type: 'CUSTOM', limit: '50' },
		source: 'contact properties list',
		otherReading: {
			path: '/contact-properties',
			sdk: "listed at GET /contacts/properties (the SDK's reading)",
			other: "listed at GET /contact-properties (the catalogue's reading), where the package asks after a 404",
		},
		answer: object({
			properties: {
				oneOf: [object({ items: list(PROPERTY), hasMore: value('boolean'), cursor: optional(value(['string', 'null'])) }), list(PROPERTY)],
			},
		}),
	},
	{
		name: 'templates',
		path: '/transactional',
		query: { limit: '5' },
		source: 'transactional list',
		answer: object({
			transactional: object({ items: list(TEMPLATE), hasMore: value('boolean'), cursor: optional(value(['string', 'null'])) }),
		}),
	},
	{
		name: 'verified senders',
		path: '/identities',
		source: 'identities',
		answer: object({
			identities: object({
				emails: list({ oneOf: [object({ email: value('string'), status: optional(value('string')) }), value('string')] }),
				domains: list({ oneOf: [object({ domain: value('string'), status: optional(value('string')) }), value('string')] }),
			}),
		}),
	},
	{
		name: 'webhooks',
		path: '/webhooks',
		source: 'webhooks list',
		answer: object({ webhooks: { oneOf: [list(WEBHOOK), object({ items: list(WEBHOOK) })] } }),
	},
];

/**
 * The routes of docs/api-contract.md that no source confirms (a row whose source begins
 * "unconfirmed"), for a record by its id (`{id}` in the path): the live check probes each with
 * an id no workspace has, which changes nothing and says whether the route exists. A row added
 * there is probed with no more code.
 * @param {string} contract the text of docs/api-contract.md
 * @returns {Array<{ method: string, path: string, endpoint: string }>}
 */
function unconfirmedRoutes(contract) {
	return contract.split('\n').flatMap((line) => {
		const cells = line.split(' | ');
		const endpoint = /^\| `(GET|POST|PUT|PATCH|DELETE) (\/[^`]*\{[^`]*)`$/.exec(cells[0] ?? '');
		const source = (cells.at(-1) ?? '').trim();
		if (!endpoint || !source.startsWith('unconfirmed')) return [];
		const path = endpoint[2].replace(/\{(\w+)\}/g, (_all, name) => `n8n-live-check-no-such-${name}`);
		return [{ method: endpoint[1], path, endpoint: `${endpoint[1]} ${endpoint[2]}` }];
	});
}

module.exports = { ENDPOINTS, TEMPLATE, unconfirmedRoutes };
