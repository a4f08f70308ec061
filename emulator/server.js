// @ts-check
'use strict';

/**
 * A real HTTP server that behaves like SMASHSEND: its flow webhook (flowWebhook.js) and its
 * REST API (restApi.js), as SMASHSEND documents them publicly; it records what it receives
 * and misbehaves on purpose when told to (faults.js). Other processes drive it through the
 * control API under `/__emulator/` (control.js).
 *
 * Used by the unit/integration tests, the demo, the real-n8n suite and the benchmark.
 */

const http = require('node:http');

const { CONTROL_PREFIX, handleControl } = require('./control');
const { applyFault, createFaults, createRateWindow, failAfterWork, refuseOverLimit } = require('./faults');
const { createFlowWebhook, parseBody } = require('./flowWebhook');
const { errorBody, readBody, sendJson } = require('./http');
const { createRestApi } = require('./restApi');

/**
 * @typedef {object} RecordedRequest
 * @property {number} seq
 * @property {string} method
 * @property {string} path
 * @property {string} query            the query string, with its "?" (empty when there was none)
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
 * @property {string} [requestId]      the x-request-id the REST API answered with
 * @property {number} [handledStatus]  the REST API's own answer, when it handled the request (before a lost-success fault)
 * @property {number} receivedAt       ms since the emulator started
 */

/**
 * One request on its way through the emulator: what the routes need.
 * @typedef {object} Exchange
 * @property {http.IncomingMessage} req
 * @property {http.ServerResponse} res
 * @property {URL} url
 * @property {RecordedRequest} record
 * @property {Buffer} raw
 * @property {ReturnType<typeof createFaults>} faults
 * @property {ReturnType<typeof createRateWindow>} limiter the route's rate window
 * @property {number} latencyMs
 * @property {(ms: number) => Promise<unknown>} wait
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
	const startedAt = Date.now();
	/** @type {RecordedRequest[]} */
	let received = [];
	const faults = createFaults();
	let latencyMs = options.latencyMs ?? 0;
	const flowLimit = createRateWindow({ limit: options.rateLimitPerSecond ?? 0, windowMs: 1000 });
	const restLimit = createRateWindow(options.restRateLimit ?? { limit: 0, windowMs: 60_000 });
	const flow = createFlowWebhook({
		flows: options.flows ?? [{ flowId: 'flw_demo', workspaceId: 'wrk_demo' }],
		honourIdempotencyKey: options.honourIdempotencyKey ?? false,
	});
	const rest = createRestApi(options.rest);
	let seq = 0;
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

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
	async function handle(req, res) {
		const url = new URL(req.url ?? '/', 'http://emulator');
		if (url.pathname.startsWith(CONTROL_PREFIX)) return handleControl(req, res, url, api);
		const match = flow.match(url.pathname);
		/** @type {RecordedRequest} */
		const record = {
			seq: ++seq,
			method: req.method ?? 'GET',
			path: url.pathname,
			query: url.search,
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
		/** @type {Omit<Exchange, 'limiter'>} */
		const exchange = { req, res, url, record, raw, faults, latencyMs, wait };
		if (match) return flow.handle({ ...exchange, limiter: flowLimit }, match);
		if (url.pathname.startsWith('/v1/')) return handleRest({ ...exchange, limiter: restLimit });
		record.status = 404;
		return sendJson(res, 404, errorBody(404, 'Not Found', `Cannot ${req.method} ${url.pathname}`));
	}

	/** The REST API over HTTP: its JSON, its rate window and the same faults as the flow webhook. @param {Exchange} exchange */
	async function handleRest(exchange) {
		const { req, res, url, record, raw } = exchange;
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
		if (refuseOverLimit(restLimit, res, record)) return;
		const route = `${record.method} ${url.pathname}${url.search}`;
		const fault = faults.take(route, restEmailOf(body, url), raw.toString('utf8'));
		if (await applyFault(fault, exchange)) return;
		const answer = rest.handle(record.method, url, req.headers, body, (email) => faults.takeItem(route, email));
		record.status = answer.status;
		// What the work itself came to, whatever the answer becomes (a lost success: 0 or a fault's status).
		record.handledStatus = answer.status;
		record.requestId = answer.headers?.['x-request-id'];
		if (fault?.acceptThenFail) return await failAfterWork(fault, req, res, record, answer, exchange.wait);
		return sendJson(res, answer.status, answer.body, answer.headers);
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
		/** Every request, in arrival order. */
		get received() {
			return received;
		},
		/** Requests that started a flow run (replays of an earlier run excluded). */
		get accepted() {
			return received.filter((r) => r.flowRunId !== undefined && !r.replayed);
		},
		/** @param {import('./faults').Fault[]} list */
		addFaults(list) {
			faults.add(list);
		},
		/**
		 * Seeded random faults on every route (faults.js `Chaos`); undefined turns them off.
		 * @param {import('./faults').Chaos | undefined} settings
		 */
		setChaos(settings) {
			faults.setChaos(settings);
		},
		get pendingFaults() {
			return faults.pending;
		},
		/** @param {number} ms */
		setLatency(ms) {
			latencyMs = ms;
		},
		/** @param {boolean} on */
		setHonourIdempotencyKey(on) {
			flow.setHonourIdempotencyKey(on);
		},
		/** @param {number} perSecond 0 for no limit */
		setRateLimit(perSecond) {
			flowLimit.set({ limit: perSecond, windowMs: 1000 });
		},
		/** @param {import('./capacity').CapacitySettings} settings how many flow calls at once (inFlight 0: no limit) */
		setCapacity(settings) {
			flow.capacity.set(settings);
		},
		/** @param {{limit: number, windowMs: number}} limit limit 0 for none */
		setRestRateLimit(limit) {
			restLimit.set(limit);
		},
		/** What the control API's settings action reports. */
		get settings() {
			return {
				latencyMs,
				honourIdempotencyKey: flow.honourIdempotencyKey,
				rateLimitPerSecond: flowLimit.settings.limit,
				restRateLimit: restLimit.settings,
				maxBatchSize: rest.maxBatchSize,
				shapes: rest.shapes,
				capacity: flow.capacity.settings,
				readings: rest.readings,
				chaos: faults.chaos ?? null,
			};
		},
		/** The REST API's state: contacts, events, emails, webhooks and their deliveries. */
		rest,
		reset() {
			received = [];
			faults.reset();
			flow.reset();
			rest.reset();
		},
	};
	return api;
}

/**
 * The email a REST request is about (a batch's emails), so that a fault can pick one item's call.
 * @param {unknown} body
 * @param {URL} url
 * @returns {string | string[] | undefined}
 */
function restEmailOf(body, url) {
	const b = /** @type {any} */ (body);
	const batch = Array.isArray(b?.contacts) ? b.contacts : Array.isArray(b?.events) ? b.events : undefined;
	if (batch) {
		return batch.flatMap((/** @type {any} */ item) => {
			const email = item?.properties?.email ?? item?.identify?.email;
			return typeof email === 'string' ? [email.trim()] : [];
		});
	}
	const email =
		b?.properties?.email ?? b?.identify?.email ?? (typeof b?.to === 'string' ? b.to : undefined) ?? url.searchParams.get('email');
	if (typeof email === 'string') return email.trim();
	const byEmail = /\/contacts\/by-email\/([^/]+)$/.exec(url.pathname);
	return byEmail ? decodeURIComponent(byEmail[1]) : undefined;
}

module.exports = { createEmulator, parseBody };
