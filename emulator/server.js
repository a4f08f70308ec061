// @ts-check
'use strict';

/**
 * A real HTTP server that behaves like SMASHSEND's flow webhook
 * (`POST /v1/flows/{flowId}/{workspaceId}/call`, see shared/docs/smashsend-api.md §1) and
 * its REST API (§2, emulator/restApi.js), records what it accepts, and misbehaves on
 * purpose when told to.
 *
 * Used by the unit/integration tests, the demo, the real-n8n suite and the benchmark.
 * Other processes drive it through the control API under `/__emulator/`.
 */

const http = require('node:http');
const crypto = require('node:crypto');
const qs = require('qs');
const Busboy = require('busboy');

const { createRestApi } = require('./restApi');

const FLOW_PATH = /^\/v1\/flows\/([^/]+)\/([^/]+)\/call\/?$/;
const CONTROL_PREFIX = '/__emulator/';
const MAX_BODY_BYTES = 10 * 1024 * 1024;
// qs refuses deep nesting and long arrays by default; SMASHSEND's limits are unknown,
// so the emulator accepts generously and lets tests decide what is reasonable.
const QS_OPTIONS = { depth: 32, arrayLimit: 10000, parameterLimit: 100000 };

/**
 * @typedef {object} Fault
 * @property {number} [status]        answer with this status instead of handling the request
 * @property {unknown} [body]         response body for `status` (object → JSON, string → as is)
 * @property {string} [contentType]   content type for a string `body`
 * @property {number|string} [retryAfter] value of the Retry-After header
 * @property {Record<string, string>} [headers] more response headers (a redirect's Location, say)
 * @property {number} [delayMs]       wait this long before answering (or before resetting)
 * @property {boolean} [reset]        destroy the connection instead of answering
 * @property {boolean} [acceptThenFail] do the work (trigger the flow run, save the contact…), then
 *                                    answer with `status`, or with `reset` destroy the connection: a lost success
 * @property {number} [times]         how many matching requests this fault applies to (default 1)
 * @property {string} [email]         only requests for this email (after trimming) match
 * @property {string} [path]          only requests whose "METHOD /path?query" starts with this match
 *                                    (e.g. "POST /v1/contacts"); without it, any request matches
 */

/**
 * @typedef {object} RecordedRequest
 * @property {number} seq
 * @property {string} method
 * @property {string} path
 * @property {string|undefined} flowId
 * @property {string|undefined} workspaceId
 * @property {Record<string, string|string[]|undefined>} headers
 * @property {string} contentType
 * @property {unknown} body            the parsed body, as SMASHSEND would see it
 * @property {number} status           what the emulator answered (0 for a reset)
 * @property {string|undefined} flowRunId set when a flow run was triggered (or replayed)
 * @property {boolean} [replayed]    the Idempotency-Key was seen before: the earlier run was answered again
 * @property {string|undefined} idempotencyKey
 * @property {string|undefined} fault   the fault that applied, if any
 * @property {number} receivedAt       ms since the emulator started
 */

/**
 * @param {{ flows?: Array<{flowId: string, workspaceId: string}>, latencyMs?: number, honourIdempotencyKey?: boolean, rateLimitPerSecond?: number, restRateLimit?: {limit: number, windowMs: number}, rest?: Parameters<typeof createRestApi>[0] }} [options]
 *   restRateLimit: REST API calls admitted per window (SMASHSEND documents 60 per minute on
 *   free accounts); the rest get 429 and Retry-After. Off by default.
 *   rateLimitPerSecond: admit at most this many flow calls per clock second and answer the
 *   rest with 429 and Retry-After (0, the default: no limit).
 *   honourIdempotencyKey: answer a repeated Idempotency-Key with the earlier run instead of
 *   starting a new one. Off by default: SMASHSEND documents no idempotency for flow webhooks.
 */
function createEmulator(options = {}) {
	const flows = new Set(
		(options.flows ?? [{ flowId: 'flw_demo', workspaceId: 'wrk_demo' }]).map(
			(f) => `${f.flowId}/${f.workspaceId}`,
		),
	);
	const startedAt = Date.now();
	/** @type {RecordedRequest[]} */
	let received = [];
	/** @type {Fault[]} */
	let faults = [];
	let latencyMs = options.latencyMs ?? 0;
	let honourIdempotencyKey = options.honourIdempotencyKey ?? false;
	let rateLimitPerSecond = options.rateLimitPerSecond ?? 0;
	let rateWindow = -1;
	let rateCount = 0;
	let restRateLimit = options.restRateLimit ?? { limit: 0, windowMs: 60_000 };
	let restWindow = -1;
	let restCount = 0;
	const rest = createRestApi(options.rest);
	/** @type {Map<string, string>} idempotency key → flowRunId */
	let runsByKey = new Map();
	let seq = 0;
	let runCounter = 0;
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();
	/** @type {Set<{timer: NodeJS.Timeout, resolve: () => void}>} */
	const waits = new Set();

	/** A delay that stop() can cut short, so that no timer outlives the server. */
	function wait(/** @type {number} */ ms) {
		return new Promise((resolve) => {
			const entry = {
				timer: setTimeout(() => {
					waits.delete(entry);
					resolve(undefined);
				}, ms),
				resolve: () => resolve(undefined),
			};
			waits.add(entry);
		});
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			if (!res.headersSent) sendJson(res, 500, errorBody(500, 'Internal Server Error', String(error)));
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	async function handle(req, res) {
		const url = new URL(req.url ?? '/', 'http://emulator');
		if (url.pathname.startsWith(CONTROL_PREFIX)) return handleControl(req, res, url);

		const match = FLOW_PATH.exec(url.pathname);
		/** @type {RecordedRequest} */
		const record = {
			seq: ++seq,
			method: req.method ?? 'GET',
			path: url.pathname,
			flowId: match?.[1],
			workspaceId: match?.[2],
			headers: { ...req.headers },
			contentType: String(req.headers['content-type'] ?? ''),
			body: undefined,
			status: 0,
			flowRunId: undefined,
			idempotencyKey: typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined,
			fault: undefined,
			receivedAt: Date.now() - startedAt,
		};
		received.push(record);

		let raw;
		try {
			raw = await readBody(req);
		} catch {
			record.status = 413;
			return sendJson(res, 413, errorBody(413, 'Payload Too Large', 'The request body is too large'));
		}

		if (!match && url.pathname.startsWith('/v1/')) return handleRest(req, res, url, record, raw);
		if (!match) {
			record.status = 404;
			return sendJson(res, 404, errorBody(404, 'Not Found', `Cannot ${req.method} ${url.pathname}`));
		}

		const parsed = await parseBody(record.contentType, raw);
		record.body = parsed.ok ? parsed.value : raw.toString('utf8');

		if (rateLimitPerSecond > 0 && !admit()) {
			record.status = 429;
			record.fault = 'rate-limit';
			const retryAfter = Math.max(1, Math.ceil((1000 - (Date.now() % 1000)) / 1000));
			return sendJson(res, 429, errorBody(429, 'Too Many Requests', 'Rate limit exceeded'), {
				'retry-after': String(retryAfter),
			});
		}

		const fault = takeFault(`${record.method} ${url.pathname}`, parsed.ok ? parsed.value : undefined);
		if (fault) record.fault = describeFault(fault);
		const delay = (fault?.delayMs ?? 0) + latencyMs;
		if (delay > 0) await wait(delay);

		if (fault?.reset && !fault.acceptThenFail) {
			record.status = 0;
			req.socket.destroy();
			return;
		}
		if (fault && fault.status !== undefined && !fault.acceptThenFail) {
			record.status = fault.status;
			return sendFault(res, fault);
		}

		if (req.method !== 'POST') {
			record.status = 405;
			return sendJson(res, 405, errorBody(405, 'Method Not Allowed', 'Use POST to call a flow webhook'));
		}
		if (!flows.has(`${match[1]}/${match[2]}`)) {
			record.status = 404;
			return sendJson(res, 404, errorBody(404, 'Not Found', 'Flow not found'));
		}
		if (!parsed.ok) {
			record.status = parsed.status;
			return sendJson(res, parsed.status, errorBody(parsed.status, parsed.error, parsed.message));
		}
		const body = parsed.value;
		if (!isPlainObject(body)) {
			record.status = 400;
			return sendJson(res, 400, errorBody(400, 'Validation failed', 'Body must be an object'));
		}
		const email = /** @type {Record<string, unknown>} */ (body).email;
		if (typeof email !== 'string' || email.trim() === '') {
			record.status = 400;
			return sendJson(res, 400, errorBody(400, 'Validation failed', 'Email field is required'));
		}

		const key = record.idempotencyKey;
		if (honourIdempotencyKey && key !== undefined && runsByKey.has(key)) {
			record.flowRunId = runsByKey.get(key);
			record.replayed = true;
			record.status = 200;
			return sendJson(res, 200, { success: true, flowRunId: record.flowRunId, message: 'Flow triggered successfully' });
		}
		record.flowRunId = `run_${(++runCounter).toString(36).padStart(6, '0')}${crypto
			.randomBytes(4)
			.toString('hex')}`;
		if (key !== undefined) runsByKey.set(key, record.flowRunId);
		if (fault?.acceptThenFail) return failAfterWork(req, res, record, fault);
		record.status = 200;
		return sendJson(res, 200, {
			success: true,
			flowRunId: record.flowRunId,
			message: 'Flow triggered successfully',
		});
	}

	/**
	 * The REST API: the same latency and faults as the flow webhook, a per-window rate limit.
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {URL} url
	 * @param {RecordedRequest} record
	 * @param {Buffer} raw
	 */
	async function handleRest(req, res, url, record, raw) {
		let body;
		if (raw.length > 0) {
			try {
				body = JSON.parse(raw.toString('utf8'));
			} catch {
				record.status = 400;
				record.body = raw.toString('utf8');
				return sendJson(res, 400, { error: { code: 'VALIDATION_ERROR', message: 'Body is not valid JSON' } });
			}
		}
		record.body = body;
		if (restRateLimit.limit > 0 && !admitRest()) {
			record.status = 429;
			record.fault = 'rate-limit';
			const retryAfter = Math.max(1, Math.ceil((restRateLimit.windowMs - (Date.now() % restRateLimit.windowMs)) / 1000));
			return sendJson(res, 429, errorBody(429, 'Too Many Requests', 'Rate limit exceeded'), { 'retry-after': String(retryAfter) });
		}
		const fault = takeFault(`${record.method} ${url.pathname}${url.search}`, restEmailOf(body, url));
		if (fault) record.fault = describeFault(fault);
		const delay = (fault?.delayMs ?? 0) + latencyMs;
		if (delay > 0) await wait(delay);
		if (fault?.reset && !fault.acceptThenFail) {
			req.socket.destroy();
			return;
		}
		if (fault && fault.status !== undefined && !fault.acceptThenFail) {
			record.status = fault.status;
			return sendFault(res, fault);
		}
		const answer = rest.handle(record.method, url, req.headers, body);
		record.status = answer.status;
		if (fault?.acceptThenFail) return failAfterWork(req, res, record, fault);
		return sendJson(res, answer.status, answer.body, answer.headers);
	}

	/**
	 * The work is done; the client learns nothing of it: the connection is reset, or the
	 * answer is the fault's status.
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {RecordedRequest} record
	 * @param {Fault} fault
	 */
	function failAfterWork(req, res, record, fault) {
		if (fault.reset) {
			record.status = 0;
			req.socket.destroy();
			return;
		}
		record.status = fault.status ?? 504;
		sendFault(res, fault);
	}

	function admitRest() {
		const window = Math.floor(Date.now() / restRateLimit.windowMs);
		if (window !== restWindow) {
			restWindow = window;
			restCount = 0;
		}
		restCount += 1;
		return restCount <= restRateLimit.limit;
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {URL} url
	 */
	async function handleControl(req, res, url) {
		const action = url.pathname.slice(CONTROL_PREFIX.length);
		if (action === 'requests' && req.method === 'GET') return sendJson(res, 200, { requests: received });
		if (action === 'faults' && req.method === 'POST') {
			const body = JSON.parse((await readBody(req)).toString('utf8') || '[]');
			api.addFaults(Array.isArray(body) ? body : [body]);
			return sendJson(res, 200, { faults });
		}
		if (action === 'settings' && req.method === 'POST') {
			const body = JSON.parse((await readBody(req)).toString('utf8') || '{}');
			if (typeof body.latencyMs === 'number') latencyMs = body.latencyMs;
			if (typeof body.honourIdempotencyKey === 'boolean') honourIdempotencyKey = body.honourIdempotencyKey;
			if (typeof body.rateLimitPerSecond === 'number') rateLimitPerSecond = body.rateLimitPerSecond;
			if (body.restRateLimit) restRateLimit = body.restRateLimit;
			return sendJson(res, 200, { latencyMs, honourIdempotencyKey, rateLimitPerSecond, restRateLimit });
		}
		if (action === 'rest' && req.method === 'GET') {
			await rest.settle();
			return sendJson(res, 200, {
				contacts: rest.contacts,
				events: rest.events,
				emails: rest.emails,
				webhooks: rest.webhooks,
				deliveries: rest.deliveries,
			});
		}
		if (action === 'rest/contacts' && req.method === 'POST') {
			const body = JSON.parse((await readBody(req)).toString('utf8') || '[]');
			rest.seedContacts(Array.isArray(body) ? body : [body]);
			await rest.settle();
			return sendJson(res, 200, { contacts: rest.contacts });
		}
		if (action === 'rest/deliver' && req.method === 'POST') {
			// Calls the registered webhooks with one event: {event, email?, signature?: valid|invalid|none}
			const body = JSON.parse((await readBody(req)).toString('utf8') || '{}');
			const contact = body.email ? rest.contacts.find((c) => c.properties.email === body.email) : rest.contacts[0];
			const deliveries = await rest.deliverEvent(body.event, contact, { signature: body.signature, webhookId: body.webhookId });
			return sendJson(res, 200, { deliveries });
		}
		if (action === 'reset' && req.method === 'POST') {
			api.reset();
			return sendJson(res, 200, { ok: true });
		}
		return sendJson(res, 404, errorBody(404, 'Not Found', `Unknown control action ${action}`));
	}

	/** Fixed one-second windows: the first rateLimitPerSecond calls of each second get through. */
	function admit() {
		const window = Math.floor(Date.now() / 1000);
		if (window !== rateWindow) {
			rateWindow = window;
			rateCount = 0;
		}
		rateCount += 1;
		return rateCount <= rateLimitPerSecond;
	}

	/**
	 * @param {string} route "METHOD /path"
	 * @param {unknown} body
	 */
	function takeFault(route, body) {
		const email =
			typeof body === 'string'
				? body
				: isPlainObject(body) && typeof (/** @type {any} */ (body).email) === 'string'
					? /** @type {any} */ (body).email.trim()
					: undefined;
		const index = faults.findIndex(
			(f) => (f.email === undefined || f.email === email) && (f.path === undefined || route.startsWith(f.path)),
		);
		if (index === -1) return undefined;
		const fault = faults[index];
		const remaining = (fault.times ?? 1) - 1;
		if (remaining <= 0) faults.splice(index, 1);
		else faults[index] = { ...fault, times: remaining };
		return fault;
	}

	const api = {
		server,
		/** @type {string} base URL, set by start() */
		url: '',
		/**
		 * @param {number} [port] 0 (the default) picks a free port
		 * @param {string} [host]
		 */
		async start(port = 0, host = '127.0.0.1') {
			await new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, host, () => resolve(undefined));
			});
			const address = /** @type {import('node:net').AddressInfo} */ (server.address());
			api.url = `http://${host}:${address.port}`;
			return api.url;
		},
		async stop() {
			for (const entry of waits) {
				clearTimeout(entry.timer);
				entry.resolve();
			}
			waits.clear();
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
		/** The flow webhook URL for a flow the emulator knows (the first one by default). */
		webhookUrl(flowId = 'flw_demo', workspaceId = 'wrk_demo') {
			return `${api.url}/v1/flows/${flowId}/${workspaceId}/call`;
		},
		/** Every request that reached a flow path, in arrival order. */
		get received() {
			return received;
		},
		/** Requests that started a flow run (replays of an earlier run excluded). */
		get accepted() {
			return received.filter((r) => r.flowRunId !== undefined && !r.replayed);
		},
		/** @param {Fault[]} list */
		addFaults(list) {
			faults.push(...list);
		},
		get pendingFaults() {
			return faults;
		},
		/** @param {number} ms */
		setLatency(ms) {
			latencyMs = ms;
		},
		/** @param {boolean} on */
		setHonourIdempotencyKey(on) {
			honourIdempotencyKey = on;
		},
		/** @param {number} perSecond 0 for no limit */
		setRateLimit(perSecond) {
			rateLimitPerSecond = perSecond;
		},
		/** @param {{limit: number, windowMs: number}} limit limit 0 for none */
		setRestRateLimit(limit) {
			restRateLimit = limit;
		},
		/** The REST API's state: contacts, events, emails, webhooks and their deliveries. */
		rest,
		reset() {
			received = [];
			faults = [];
			runsByKey = new Map();
			rest.reset();
		},
	};
	return api;
}

/**
 * The email a REST request is about, so that a fault can pick one item's call.
 * @param {unknown} body
 * @param {URL} url
 */
function restEmailOf(body, url) {
	const b = /** @type {any} */ (body);
	const email = b?.properties?.email ?? b?.identify?.email ?? (typeof b?.to === 'string' ? b.to : undefined) ?? url.searchParams.get('email');
	if (typeof email === 'string') return email.trim();
	const byEmail = /\/contacts\/by-email\/([^/]+)$/.exec(url.pathname);
	return byEmail ? decodeURIComponent(byEmail[1]) : undefined;
}

/**
 * Reads SMASHSEND's three accepted encodings into the object the flow would see.
 * Form encodings use bracket notation for nesting (`address[city]`, `tags[0]`), read with qs,
 * the parser behind Express's `urlencoded({ extended: true })`.
 *
 * @param {string} contentType
 * @param {Buffer} raw
 * @returns {Promise<{ok: true, value: unknown} | {ok: false, status: number, error: string, message: string}>}
 */
async function parseBody(contentType, raw) {
	const type = contentType.split(';')[0].trim().toLowerCase();
	if (type === 'application/json') {
		try {
			return { ok: true, value: JSON.parse(raw.toString('utf8')) };
		} catch {
			return { ok: false, status: 400, error: 'Bad Request', message: 'Body is not valid JSON' };
		}
	}
	if (type === 'application/x-www-form-urlencoded') {
		return { ok: true, value: qs.parse(raw.toString('utf8'), QS_OPTIONS) };
	}
	if (type === 'multipart/form-data') {
		try {
			const pairs = await readMultipart(contentType, raw);
			const query = pairs
				.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
				.join('&');
			return { ok: true, value: qs.parse(query, QS_OPTIONS) };
		} catch (error) {
			return { ok: false, status: 400, error: 'Bad Request', message: `Malformed multipart body: ${error}` };
		}
	}
	return {
		ok: false,
		status: 415,
		error: 'Unsupported Media Type',
		message: 'Send application/json, multipart/form-data or application/x-www-form-urlencoded',
	};
}

/**
 * @param {string} contentType
 * @param {Buffer} raw
 * @returns {Promise<Array<[string, string]>>}
 */
function readMultipart(contentType, raw) {
	return new Promise((resolve, reject) => {
		/** @type {Array<[string, string]>} */
		const pairs = [];
		const parser = Busboy({
			headers: { 'content-type': contentType },
			limits: { fieldSize: MAX_BODY_BYTES, fields: 100000 },
			defParamCharset: 'utf8',
		});
		parser.on('field', (name, value) => pairs.push([name, value]));
		parser.on('file', (name, stream) => {
			/** @type {Buffer[]} */
			const chunks = [];
			stream.on('data', (chunk) => chunks.push(chunk));
			stream.on('end', () => pairs.push([name, Buffer.concat(chunks).toString('utf8')]));
		});
		parser.on('error', reject);
		parser.on('close', () => resolve(pairs));
		parser.end(raw);
	});
}

/** @param {http.IncomingMessage} req */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new Error('too large'));
				req.resume();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/**
 * @param {number} statusCode
 * @param {string} error
 * @param {string} message
 */
function errorBody(statusCode, error, message) {
	return { error, message, statusCode };
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function sendJson(res, status, body, headers = {}) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

/**
 * @param {http.ServerResponse} res
 * @param {Fault} fault
 */
function sendFault(res, fault) {
	const status = fault.status ?? 500;
	/** @type {Record<string, string>} */
	const headers = { ...fault.headers };
	if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
	if (typeof fault.body === 'string') {
		res.writeHead(status, {
			'content-type': fault.contentType ?? 'text/html; charset=utf-8',
			'content-length': Buffer.byteLength(fault.body),
			...headers,
		});
		res.end(fault.body);
		return;
	}
	const body =
		fault.body === undefined ? errorBody(status, http.STATUS_CODES[status] ?? 'Error', 'Injected failure') : fault.body;
	sendJson(res, status, body, headers);
}

/** @param {Fault} fault */
function describeFault(fault) {
	if (fault.acceptThenFail) return `accept-then-${fault.reset ? 'reset' : (fault.status ?? 504)}`;
	if (fault.reset) return 'reset';
	if (fault.status !== undefined) return `status-${fault.status}`;
	return fault.delayMs ? `delay-${fault.delayMs}` : 'none';
}

/** @param {unknown} value */
function isPlainObject(value) {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

module.exports = { createEmulator, parseBody };
