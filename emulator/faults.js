// @ts-check
'use strict';

/**
 * Misbehaving on purpose, the same way on every route: scripted faults (a status, a delay, a
 * reset, a lost success) and rate windows that answer 429 with Retry-After.
 */

const crypto = require('node:crypto');
const http = require('node:http');

const { errorBody, isPlainObject, sendJson } = require('./http');

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
 * @property {boolean} [truncate]     with acceptThenFail: send the real answer's status and headers and half
 *                                    its body, then cut the connection (an answer broken off)
 * @property {number} [dripMs]        with acceptThenFail: send the real answer a byte every `dripMs` ms (a
 *                                    server that never goes quiet, so an idle timeout never fires)
 * @property {boolean} [echo]         answer with `status` (400 by default) and a message that repeats the
 *                                    request, its Authorization header and body included (a debugging proxy)
 * @property {number} [times]         how many matching requests this fault applies to (default 1)
 * @property {string} [email]         only requests for this email (after trimming) match; a batch matches
 *                                    when it carries this email
 * @property {{code: string, message: string, retryable?: boolean, retryAfter?: number}} [itemError]
 *                                    inside a batch only: the item (matched by `email`) fails alone with
 *                                    this error in the answer's errors[], and the rest of the batch goes
 * @property {string} [path]          only requests whose "METHOD /path?query" starts with this match
 *                                    (e.g. "POST /v1/contacts"); without it, any request matches
 * @property {string} [pathPattern]   only requests whose "METHOD /path?query" this regular expression matches
 *                                    (e.g. "^GET /v1/contacts/[0-9a-f]{8}-": a contact by its UUID)
 * @property {string} [bodyIncludes]  only requests whose raw body contains this text (e.g. '"firstName":"Old"')
 */

/**
 * Random faults that a seed makes repeatable: each request is judged by a hash of the seed, the
 * request itself (route and body, without the keys a client derives per execution: an event's
 * messageId, an email's idempotencyKey) and how many times that same request came before, so the
 * same workflow meets the same faults in every execution, whatever order its concurrent calls
 * arrive in.
 * @typedef {object} Chaos
 * @property {number} seed
 * @property {number} rate            the share of requests that meet a fault (0 to 1)
 * @property {ChaosKind[]} [kinds]    the faults to draw from (all by default)
 * @property {number} [itemRate]      inside a batch: the share of items refused alone, retryable
 */

/**
 * @typedef {'503' | '429' | '429-retry-after' | 'reset' | 'accept-then-reset' | 'accept-then-502'} ChaosKind
 * 503 and 429 (without and with `Retry-After: 0`) and a reset come before the work; after
 * `accept-then-…` the work is done but its answer is lost (a reset, or a 502).
 */

/** @type {ChaosKind[]} */
const CHAOS_KINDS = ['503', '429', '429-retry-after', 'reset', 'accept-then-reset', 'accept-then-502'];

/** @type {Record<ChaosKind, Fault>} */
const CHAOS_FAULTS = {
	503: { status: 503 },
	429: { status: 429 },
	'429-retry-after': { status: 429, retryAfter: 0 },
	reset: { reset: true },
	'accept-then-reset': { acceptThenFail: true, reset: true },
	'accept-then-502': { acceptThenFail: true, status: 502 },
};

/** The body fields a client derives per execution (shared/keys.ts): left out of what the chaos draws judge. */
const PER_EXECUTION_KEYS = /"(?:messageId|idempotencyKey)":"[^"]*"/g;

/** A number in [0, 1) and a second one, from a hash of the parts. @param {...(string|number)} parts */
function draw(...parts) {
	const hash = crypto.createHash('sha256').update(parts.join('\u0000')).digest();
	return [hash.readUInt32BE(0) / 2 ** 32, hash.readUInt32BE(4) / 2 ** 32];
}

/**
 * Whether a fault is for this route.
 * @param {Fault} fault
 * @param {string} route
 */
function routeMatches(fault, route) {
	if (fault.path !== undefined && !route.startsWith(fault.path)) return false;
	return fault.pathPattern === undefined || new RegExp(fault.pathPattern).test(route);
}

/** The scripted faults, taken in the order they were added, and the seeded random ones (`chaos`). */
function createFaults() {
	/** @type {Fault[]} */
	let faults = [];
	/** @type {Chaos | undefined} */
	let chaos;
	/** How many times each request (route and body) came, for the chaos draws. @type {Map<string, number>} */
	let seen = new Map();
	/** @param {string} what */
	const occurrence = (what) => {
		const n = (seen.get(what) ?? 0) + 1;
		seen.set(what, n);
		return n;
	};
	return {
		/** @param {Fault[]} list */
		add(list) {
			faults.push(...list);
		},
		get pending() {
			return faults;
		},
		/** @param {Chaos | undefined} settings */
		setChaos(settings) {
			chaos = settings;
			seen = new Map();
		},
		get chaos() {
			return chaos;
		},
		reset() {
			faults = [];
			chaos = undefined;
			seen = new Map();
		},
		/**
		 * The first request fault that matches a request, used up once.
		 * @param {string} route "METHOD /path?query"
		 * @param {unknown} emailOrBody the request's email (a batch's emails), or a body holding one
		 * @param {string} [raw] the request's body as sent
		 */
		take(route, emailOrBody, raw = '') {
			const emails = Array.isArray(emailOrBody)
				? emailOrBody
				: typeof emailOrBody === 'string'
					? [emailOrBody]
					: isPlainObject(emailOrBody) && typeof emailOrBody.email === 'string'
						? [emailOrBody.email.trim()]
						: [];
			const scripted = use(
				(f) =>
					!f.itemError &&
					(f.email === undefined || emails.includes(f.email)) &&
					(f.bodyIncludes === undefined || raw.includes(f.bodyIncludes)) &&
					routeMatches(f, route),
			);
			if (scripted || !chaos) return scripted;
			const what = `${route}\n${raw.replace(PER_EXECUTION_KEYS, '')}`;
			const [chance, pick] = draw(chaos.seed, what, occurrence(what));
			if (chance >= chaos.rate) return undefined;
			const kinds = chaos.kinds && chaos.kinds.length > 0 ? chaos.kinds : CHAOS_KINDS;
			return CHAOS_FAULTS[kinds[Math.floor(pick * kinds.length)]];
		},
		/**
		 * The first item fault for one item of a batch, used up once.
		 * @param {string} route "METHOD /path?query" of the batch
		 * @param {string | undefined} email the item's email
		 */
		takeItem(route, email) {
			const scripted = use(
				(f) => f.itemError !== undefined && (f.email === undefined || f.email === email) && routeMatches(f, route),
			)?.itemError;
			if (scripted || !chaos?.itemRate) return scripted;
			const what = `item\n${route}\n${email ?? ''}`;
			const [chance] = draw(chaos.seed, what, occurrence(what));
			return chance < chaos.itemRate ? { code: 'RATE_LIMITED', message: 'Try this contact again later', retryable: true } : undefined;
		},
	};

	/** @param {(fault: Fault) => boolean} matches */
	function use(matches) {
		const index = faults.findIndex(matches);
		if (index === -1) return undefined;
		const fault = faults[index];
		const remaining = (fault.times ?? 1) - 1;
		if (remaining <= 0) faults.splice(index, 1);
		else faults[index] = { ...fault, times: remaining };
		return fault;
	}
}

/**
 * What a fault does before the work: waits (its delay and the emulator's latency), then
 * resets or answers with its status unless it is a lost success. True when it answered.
 * @param {Fault | undefined} fault
 * @param {{ req: http.IncomingMessage, res: http.ServerResponse, record: { status: number, fault?: string }, latencyMs: number, wait: (ms: number) => Promise<unknown>, raw?: Buffer }} exchange
 */
async function applyFault(fault, { req, res, record, latencyMs, wait, raw }) {
	if (fault) record.fault = describeFault(fault);
	const delay = (fault?.delayMs ?? 0) + latencyMs;
	if (delay > 0) await wait(delay);
	if (!fault || fault.acceptThenFail) return false;
	if (fault.echo) {
		record.status = fault.status ?? 400;
		const seen = `${req.method} ${req.url} Authorization: ${req.headers.authorization ?? ''} Body: ${raw?.toString('utf8') ?? ''}`;
		sendJson(res, record.status, { message: seen, code: 'ECHO' });
		return true;
	}
	if (fault.reset) {
		record.status = 0;
		req.socket.destroy();
		return true;
	}
	if (fault.status !== undefined) {
		record.status = fault.status;
		sendFault(res, fault);
		return true;
	}
	return false;
}

/**
 * A lost success, once the work is done: the connection is reset, the real answer is broken
 * off or dripped, or the answer is the fault's status.
 * @param {Fault} fault
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {{ status: number }} record
 * @param {{ status: number, body: unknown }} answer what the server would have answered
 * @param {(ms: number) => Promise<unknown>} wait a delay the server's stop cuts short
 */
async function failAfterWork(fault, req, res, record, answer, wait) {
	if (fault.reset) {
		record.status = 0;
		req.socket.destroy();
		return;
	}
	if (fault.truncate || fault.dripMs) {
		const text = Buffer.from(JSON.stringify(answer.body));
		record.status = answer.status;
		res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': text.length });
		if (fault.truncate) {
			res.write(text.subarray(0, Math.floor(text.length / 2)));
			await wait(50);
			req.socket.destroy();
			return;
		}
		for (let i = 0; i < text.length && !req.socket.destroyed; i++) {
			res.write(text.subarray(i, i + 1));
			await wait(fault.dripMs ?? 0);
		}
		res.end();
		return;
	}
	record.status = fault.status ?? 504;
	sendFault(res, fault);
}

/** @param {http.ServerResponse} res @param {Fault} fault */
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
	const body = fault.body === undefined ? errorBody(status, http.STATUS_CODES[status] ?? 'Error', 'Injected failure') : fault.body;
	sendJson(res, status, body, headers);
}

/** @param {Fault} fault */
function describeFault(fault) {
	if (fault.acceptThenFail) {
		const how = fault.reset ? 'reset' : fault.truncate ? 'truncate' : fault.dripMs ? `drip-${fault.dripMs}` : (fault.status ?? 504);
		return `accept-then-${how}`;
	}
	if (fault.reset) return 'reset';
	if (fault.echo) return 'echo';
	if (fault.status !== undefined) return `status-${fault.status}`;
	return fault.delayMs ? `delay-${fault.delayMs}` : 'none';
}

/**
 * Fixed windows of `windowMs`: the first `limit` calls of each window get through, the rest
 * are told to come back when the next window starts (limit 0: no limit).
 * @param {{ limit: number, windowMs: number }} initial
 */
function createRateWindow(initial) {
	let settings = initial;
	let window = -1;
	let count = 0;
	return {
		get settings() {
			return settings;
		},
		/** @param {{ limit: number, windowMs: number }} next */
		set(next) {
			settings = next;
			window = -1;
		},
		/** Whether this call gets through. */
		admit() {
			if (settings.limit <= 0) return true;
			const current = Math.floor(Date.now() / settings.windowMs);
			if (current !== window) {
				window = current;
				count = 0;
			}
			count += 1;
			return count <= settings.limit;
		},
		/** Whole seconds until the next window, at least 1. */
		retryAfterSeconds() {
			return Math.max(1, Math.ceil((settings.windowMs - (Date.now() % settings.windowMs)) / 1000));
		},
	};
}

/**
 * Answers a call the window does not admit with 429 and Retry-After. True when it answered.
 * @param {ReturnType<typeof createRateWindow>} limiter
 * @param {http.ServerResponse} res
 * @param {{ status: number, fault?: string }} record
 */
function refuseOverLimit(limiter, res, record) {
	if (limiter.admit()) return false;
	record.status = 429;
	record.fault = 'rate-limit';
	sendJson(res, 429, errorBody(429, 'Too Many Requests', 'Rate limit exceeded'), { 'retry-after': String(limiter.retryAfterSeconds()) });
	return true;
}

module.exports = { CHAOS_KINDS, createFaults, applyFault, failAfterWork, createRateWindow, refuseOverLimit };
