#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run check:live`: SMASHSEND's real answers against the contract (docs/api-contract.md).
 * Calls only read-only endpoints of the workspace whose key is in SMASHSEND_API_KEY (the key
 * check, a page of contacts, a search for an address no one has, the custom properties, the
 * templates and one template, the verified senders, the webhooks), and each route no source
 * confirms (docs/api-contract.md) for a record no workspace has (it changes nothing: it says
 * whether the route exists), and reports,
 * field by field, where the answers differ from what the package relies on. Values are never printed.
 *
 *   SMASHSEND_API_KEY=sk_live_… [SMASHSEND_BASE_URL=https://api.smashsend.com] npm run check:live
 *
 * Without a key it says so and exits 0 (CI has none). Exit 1 when an answer differs or a call fails.
 */

const fs = require('node:fs');
const { join } = require('node:path');

const { ENDPOINTS, TEMPLATE, unconfirmedRoutes } = require('./contract');
const { compare } = require('./compare');

const DEFAULT_BASE_URL = 'https://api.smashsend.com';

/**
 * @typedef {{ name: string, request: string, status: number, requestId?: string, differences: import('./compare').Difference[], unknown: string[], error?: string, reading?: string }} Report
 */

/**
 * @param {{ apiKey: string, baseUrl?: string, timeoutMs?: number }} options
 * @returns {Promise<Report[]>}
 */
async function checkLive({ apiKey, baseUrl = DEFAULT_BASE_URL, timeoutMs = 30_000 }) {
	const base = baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
	/** @type {Report[]} */
	const reports = [];
	/**
	 * @param {string} name @param {string} path @param {Record<string, string>} query @param {import('./contract').Shape} shape
	 * @param {import('./contract').OtherReading} [other] where the sources disagree: the other reading this endpoint may give
	 * @returns {Promise<any>} the answer's JSON, or undefined when it failed
	 */
	const check = async (name, path, query, shape, other) => {
		const url = new URL(`${base}/v1${path}`);
		for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
		const request = `GET ${url.pathname}${url.search}`;
		try {
			const response = await fetch(url, {
				headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/json', 'User-Agent': 'n8n-nodes-smashsend live check' },
				redirect: 'manual',
				signal: AbortSignal.timeout(timeoutMs),
			});
			const text = await response.text();
			const requestId = response.headers.get('x-request-id') ?? undefined;
			/** @type {unknown} */
			let json;
			try {
				json = JSON.parse(text);
			} catch {
				json = undefined;
			}
			// The other reading: as good as the SDK's to the package (not a 404 that says the route is not there).
			const noRoute = response.status === 404 && /^Cannot [A-Z]+ /.test(String(/** @type {any} */ (json)?.message ?? ''));
			if (other?.status !== undefined && response.status === other.status && json !== undefined && !noRoute) {
				reports.push({ name, request, status: response.status, requestId, ...compare(shape, other.means), reading: other.other });
				return other.means;
			}
			if (other?.path !== undefined && response.status === 404) {
				const answer = await check(name, other.path, query, shape);
				const last = reports.at(-1);
				if (last && answer !== undefined) last.reading = other.other;
				return answer;
			}
			if (!response.ok || json === undefined) {
				const message =
					json && typeof json === 'object'
						? String(/** @type {any} */ (json).message ?? /** @type {any} */ (json).error?.message ?? '')
						: 'not JSON';
				reports.push({
					name,
					request,
					status: response.status,
					requestId,
					differences: [],
					unknown: [],
					error: redact(message, apiKey).slice(0, 200),
				});
				return undefined;
			}
			reports.push({
				name,
				request,
				status: response.status,
				requestId,
				...compare(shape, json),
				...(other ? { reading: other.sdk } : {}),
			});
			return json;
		} catch (error) {
			reports.push({ name, request, status: 0, differences: [], unknown: [], error: redact(String(error), apiKey) });
			return undefined;
		}
	};
	/**
	 * Whether SMASHSEND has a route no source confirms, without changing anything: a call for a
	 * record no workspace has. A 404 about the record (or a 403 for a VIEWER key) says the route
	 * is there; a 405 or "Cannot DELETE …" that it is not.
	 * @param {string} name @param {string} method @param {string} path
	 */
	const probeRoute = async (name, method, path) => {
		const url = new URL(`${base}/v1${path}`);
		const request = `${method} ${url.pathname}`;
		try {
			const response = await fetch(url, {
				method,
				headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/json', 'User-Agent': 'n8n-nodes-smashsend live check' },
				redirect: 'manual',
				signal: AbortSignal.timeout(timeoutMs),
			});
			const text = await response.text();
			const requestId = response.headers.get('x-request-id') ?? undefined;
			const missing = response.status === 405 || (response.status === 404 && /Cannot [A-Z]+ \//.test(text));
			const there = !missing && [403, 404].includes(response.status);
			reports.push({
				name,
				request,
				status: response.status,
				requestId,
				differences: there
					? []
					: [
							{
								field: '(the route)',
								expected: 'a 404 about the record (or 403 for a VIEWER key)',
								found: missing ? 'no such route' : `HTTP ${response.status}`,
							},
						],
				unknown: [],
				reading: there ? 'the route is there' : 'the route is not there: the operation that calls it would fail',
			});
		} catch (error) {
			reports.push({ name, request, status: 0, differences: [], unknown: [], error: redact(String(error), apiKey) });
		}
	};
	/** @type {Record<string, any>} */
	const answers = {};
	for (const endpoint of ENDPOINTS)
		answers[endpoint.path] = await check(endpoint.name, endpoint.path, endpoint.query ?? {}, endpoint.answer, endpoint.otherReading);
	// One record by its id, where the listing gave one: the package reads them by id too.
	const firstContact = answers['/contacts']?.contacts?.items?.[0]?.id;
	const page = reports.find((r) => r.name === 'contacts page');
	if (page && typeof firstContact === 'string') page.reading = `contact ids ${idForm(firstContact)}`;
	if (typeof firstContact === 'string') {
		const contact = ENDPOINTS.find((e) => e.path === '/contacts');
		const shape = /** @type {any} */ (contact?.answer).fields.contacts.fields.items.of;
		await check(
			'one contact by its id',
			`/contacts/${encodeURIComponent(firstContact)}`,
			{},
			{ type: 'object', fields: { contact: shape } },
		);
	}
	// Every route no source confirms, as docs/api-contract.md lists them.
	const contract = fs.readFileSync(join(__dirname, '..', 'docs', 'api-contract.md'), 'utf8');
	for (const route of unconfirmedRoutes(contract))
		await probeRoute(`${route.endpoint} (an id no workspace has: nothing is changed)`, route.method, route.path);
	const firstTemplate = answers['/transactional']?.transactional?.items?.[0]?.id;
	if (typeof firstTemplate === 'string') {
		await check(
			'one template by its id',
			`/transactional/${encodeURIComponent(firstTemplate)}`,
			{},
			{ type: 'object', fields: { transactional: TEMPLATE } },
		);
	}
	return reports;
}

/**
 * Which form a contact id has, never the id: the real samples' `ctc_` and 24 characters, the
 * SDK README's UUIDs, or another (taken as long as it cannot change a request's path).
 * @param {string} id
 */
function idForm(id) {
	if (/^ctc_[A-Za-z0-9]{24}$/.test(id)) return "ctc_ and 24 characters (the real samples' reading)";
	if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return "UUIDs (the SDK README's reading)";
	return 'of another form (taken as long as it cannot change a request path)';
}

/** @param {string} text @param {string} key */
function redact(text, key) {
	return key.length >= 8 ? text.split(key).join('[redacted]') : text;
}

/** The report as text: one block per call. @param {Report[]} reports */
function formatReports(reports) {
	const lines = [];
	for (const report of reports) {
		const id = report.requestId ? ` (request ID ${report.requestId})` : '';
		if (report.error !== undefined) {
			lines.push(
				`✗ ${report.name}: ${report.request} → ${report.status === 0 ? 'no answer' : `HTTP ${report.status}`}${id}: ${report.error}`,
			);
			continue;
		}
		lines.push(`${report.differences.length === 0 ? '✓' : '✗'} ${report.name}: ${report.request} → HTTP ${report.status}${id}`);
		if (report.reading) lines.push(`    reading: ${report.reading}`);
		for (const d of report.differences) lines.push(`    ${d.field}: the contract expects ${d.expected}, the answer has ${d.found}`);
		if (report.unknown.length > 0) lines.push(`    not in the contract (nothing relies on them): ${report.unknown.join(', ')}`);
	}
	return lines.join('\n');
}

async function main() {
	const apiKey = process.env.SMASHSEND_API_KEY ?? '';
	if (apiKey === '') {
		process.stdout.write(
			'check:live skipped: set SMASHSEND_API_KEY (a VIEWER key will do) to compare a real workspace with docs/api-contract.md.\n',
		);
		return 0;
	}
	const baseUrl = process.env.SMASHSEND_BASE_URL || DEFAULT_BASE_URL;
	process.stdout.write(
		`Comparing ${new URL(baseUrl).origin}'s answers with docs/api-contract.md (read-only calls, values never shown)\n\n`,
	);
	const reports = await checkLive({ apiKey, baseUrl });
	process.stdout.write(`${formatReports(reports)}\n\n`);
	process.stdout.write(
		'Not checked (they would change the workspace): whether a property is updated with PUT or POST, whether a delete can answer isDeleted: false, whether a webhook registration can be updated in place. The node works with either reading of each (docs/api-contract.md, "Where the sources disagree").\n\n',
	);
	const bad = reports.filter((r) => r.error !== undefined || r.differences.length > 0);
	process.stdout.write(
		bad.length === 0
			? 'Every answer is as the contract says.\n'
			: `${bad.length} of ${reports.length} answers differ or failed. Please report this output (it holds no values) at https://github.com/smashsend/n8n-nodes-smashsend/issues.\n`,
	);
	return bad.length === 0 ? 0 : 1;
}

if (require.main === module) {
	main().then(
		(code) => process.exit(code),
		(error) => {
			process.stderr.write(`${error}\n`);
			process.exit(1);
		},
	);
}

module.exports = { checkLive, formatReports };
