/**
 * Which failures are retried, and how long to wait before the next attempt.
 * Pure functions: the delivery loop supplies the clock and the randomness.
 */

export type AmbiguousPolicy = 'retry' | 'fail';

export interface RetryOptions {
	/** Retries after the first attempt (0 = never retry). */
	maxRetries: number;
	/** Upper bound for any single wait, Retry-After included, in ms. */
	maxWaitMs: number;
	/** First backoff step, in ms; doubles each retry. */
	baseDelayMs: number;
	/** What to do when a failure may have happened after SMASHSEND started the flow. */
	ambiguous: AmbiguousPolicy;
}

/** What one attempt came back with, reduced to what the retry decision needs. */
export type AttemptOutcome =
	| { kind: 'answer'; statusCode: number; retryAfter?: string }
	| { kind: 'network'; code?: string }
	/** The node itself could not make or finish the call (an exception): final, never retried; `sent`: after the call went out. */
	| { kind: 'local'; sent?: boolean };

/**
 * - `never-arrived`: SMASHSEND cannot have started the flow (it refused the connection, the
 *   name did not resolve, it said 429): safe to send again under any policy.
 * - `maybe-arrived`: the request may have reached SMASHSEND and started the flow before the
 *   failure (a timeout, a reset, a 5xx, an answer broken off — any network failure not known
 *   to come before the request was written): sending again may start it twice.
 * - `final`: retrying cannot help (a 4xx other than 408/429; a TLS certificate or a request
 *   refused before anything was sent).
 */
export type FailureClass = 'never-arrived' | 'maybe-arrived' | 'final';

const NEVER_ARRIVED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT']);
/**
 * Refused before anything was sent, and refused again if sent again: a server certificate the
 * TLS handshake did not accept, or a request axios would not make (a bad URL or option).
 */
const REFUSED_BEFORE_SENDING = /CERT|^UNABLE_TO_|^ERR_TLS_CERT|^ERR_BAD_REQUEST$|^ERR_INVALID_URL$|^ERR_BAD_OPTION/;
/**
 * Cloudflare's own statuses: 521 (origin refused the connection), 522 (no connection to the
 * origin in time) and 523 (origin unreachable) mean the request never reached SMASHSEND;
 * after 520 (origin answered something unreadable) and 524 (origin took the request but
 * did not answer in time) it may have.
 */
const NEVER_ARRIVED_STATUSES = new Set([429, 521, 522, 523]);
const MAYBE_ARRIVED_STATUSES = new Set([408, 500, 502, 503, 504, 520, 524]);

export function classifyFailure(outcome: AttemptOutcome): FailureClass {
	if (outcome.kind === 'local') return 'final';
	if (outcome.kind === 'network') {
		if (outcome.code && NEVER_ARRIVED_CODES.has(outcome.code)) return 'never-arrived';
		if (outcome.code && REFUSED_BEFORE_SENDING.test(outcome.code)) return 'final';
		// A reset, a timeout, an answer broken off, or a code not known here: it may have arrived.
		return 'maybe-arrived';
	}
	if (NEVER_ARRIVED_STATUSES.has(outcome.statusCode)) return 'never-arrived';
	if (MAYBE_ARRIVED_STATUSES.has(outcome.statusCode)) return 'maybe-arrived';
	return 'final';
}

/** Whether the outcome says the server is overloaded: a 429, a 503 or a timeout (see concurrencyLimit.ts). */
export function isOverload(outcome: AttemptOutcome): boolean {
	if (outcome.kind === 'answer') return outcome.statusCode === 429 || outcome.statusCode === 503;
	return outcome.kind === 'network' && outcome.code !== undefined && TIMEOUT_CODES.has(outcome.code);
}

export function shouldRetry(failure: FailureClass, attempts: number, options: RetryOptions): boolean {
	if (attempts > options.maxRetries) return false;
	if (failure === 'never-arrived') return true;
	return failure === 'maybe-arrived' && options.ambiguous === 'retry';
}

const DAY = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '\\d{2}:\\d{2}:\\d{2}';
/** RFC 9110's HTTP-date: IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must read. */
const HTTP_DATES = [
	new RegExp(`^${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT$`),
	new RegExp(`^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \\d{2}-${MONTH}-\\d{2} ${TIME} GMT$`),
	new RegExp(`^${DAY} ${MONTH} [ \\d]\\d ${TIME} \\d{4}$`),
];

/**
 * Retry-After in ms: delta-seconds (digits only) or an HTTP-date, as RFC 9110 defines them.
 * Anything else (`-1`, `1.5`, `1,5`, a date in another format) is undefined: the caller then
 * backs off as after an answer without Retry-After, rather than reading it as "now".
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
	if (value === undefined) return undefined;
	const text = value.trim();
	if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
	const form = HTTP_DATES.findIndex((pattern) => pattern.test(text));
	if (form === -1) return undefined;
	// asctime carries no zone; HTTP dates are always GMT.
	const date = Date.parse(form === 2 ? `${text} GMT` : text.replace(/-/g, ' '));
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/**
 * Exponential backoff with "equal jitter" (half fixed, half random), so that concurrent
 * retries spread out but never come back immediately; Retry-After overrides it. Both are
 * capped by maxWaitMs.
 */
export function retryDelay(args: { retry: number; options: RetryOptions; retryAfterMs?: number; random: number }): number {
	const { retry, options, retryAfterMs, random } = args;
	if (retryAfterMs !== undefined) return Math.min(retryAfterMs, options.maxWaitMs);
	const exponential = Math.min(options.baseDelayMs * 2 ** (retry - 1), options.maxWaitMs);
	return Math.round(exponential / 2 + (exponential / 2) * random);
}
