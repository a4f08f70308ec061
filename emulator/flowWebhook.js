// @ts-check
'use strict';

/**
 * SMASHSEND's flow webhook, `POST /v1/flows/{flowId}/{workspaceId}/call` (documented in
 * SMASHSEND's public API reference): JSON, multipart and URL-encoded bodies, `email`
 * required, one flow run per accepted call, and, when asked, a repeated Idempotency-Key
 * answered with the earlier run.
 */

const crypto = require('node:crypto');
const qs = require('qs');
const Busboy = require('busboy');

const { createCapacity } = require('./capacity');
const { applyFault, failAfterWork, refuseOverLimit } = require('./faults');
const { MAX_BODY_BYTES, errorBody, isPlainObject, sendJson } = require('./http');

const FLOW_PATH = /^\/v1\/flows\/([^/]+)\/([^/]+)\/call\/?$/;
// qs refuses deep nesting and long arrays by default; SMASHSEND's limits are unknown,
// so the emulator accepts generously and lets tests decide what is reasonable.
const QS_OPTIONS = { depth: 32, arrayLimit: 10000, parameterLimit: 100000 };

/**
 * @param {{ flows: Array<{flowId: string, workspaceId: string}>, honourIdempotencyKey: boolean }} options
 */
function createFlowWebhook(options) {
	const flows = new Set(options.flows.map((f) => `${f.flowId}/${f.workspaceId}`));
	let honourIdempotencyKey = options.honourIdempotencyKey;
	/** @type {Map<string, string>} idempotency key → flowRunId */
	let runsByKey = new Map();
	let runCounter = 0;
	const capacity = createCapacity();

	return {
		/** @param {string} pathname */
		match: (pathname) => FLOW_PATH.exec(pathname),
		get honourIdempotencyKey() {
			return honourIdempotencyKey;
		},
		/** @param {boolean} on */
		setHonourIdempotencyKey(on) {
			honourIdempotencyKey = on;
		},
		/** How many calls it works on at once (see capacity.js). */
		capacity,
		reset() {
			runsByKey = new Map();
			capacity.reset();
		},
		/**
		 * @param {import('./server').Exchange} exchange
		 * @param {RegExpExecArray} match
		 */
		async handle(exchange, match) {
			const { res, record, raw, limiter } = exchange;
			const parsed = await parseBody(record.contentType, raw);
			record.body = parsed.ok ? parsed.value : raw.toString('utf8');
			if (refuseOverLimit(limiter, res, record)) return;
			if (!(await capacity.enter(res, record))) return;
			try {
				await answer(exchange, match, parsed);
			} finally {
				capacity.leave();
			}
		},
	};

	/**
	 * @param {import('./server').Exchange} exchange
	 * @param {RegExpExecArray} match
	 * @param {Awaited<ReturnType<typeof parseBody>>} parsed
	 */
	async function answer(exchange, match, parsed) {
		const { req, res, url, record, faults } = exchange;
		const fault = faults.take(`${record.method} ${url.pathname}`, parsed.ok ? parsed.value : undefined, exchange.raw.toString('utf8'));
		if (await applyFault(fault, exchange)) return;

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
		if (typeof body.email !== 'string' || body.email.trim() === '') {
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
		record.flowRunId = `run_${(++runCounter).toString(36).padStart(6, '0')}${crypto.randomBytes(4).toString('hex')}`;
		if (key !== undefined) runsByKey.set(key, record.flowRunId);
		if (fault?.acceptThenFail) {
			const success = { status: 200, body: { success: true, flowRunId: record.flowRunId, message: 'Flow triggered successfully' } };
			return await failAfterWork(fault, req, res, record, success, exchange.wait);
		}
		record.status = 200;
		return sendJson(res, 200, { success: true, flowRunId: record.flowRunId, message: 'Flow triggered successfully' });
	}
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
			const query = pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
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

module.exports = { createFlowWebhook, parseBody };
