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
	| { kind: 'network'; code?: string };

/**
 * - `never-arrived`: SMASHSEND cannot have started the flow (it refused the connection, the
 *   name did not resolve, it said 429): safe to send again under any policy.
 * - `maybe-arrived`: the request may have reached SMASHSEND and started the flow before the
 *   failure (a timeout, a reset, a 5xx): sending again may start it twice.
 * - `final`: retrying cannot help (a 4xx other than 408/429, an unconfirmed 2xx).
 */
export type FailureClass = 'never-arrived' | 'maybe-arrived' | 'final';

const NEVER_ARRIVED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const MAYBE_ARRIVED_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'EPIPE', 'ERR_SOCKET_CONNECTION_TIMEOUT']);
const MAYBE_ARRIVED_STATUSES = new Set([408, 500, 502, 503, 504]);

export function classifyFailure(outcome: AttemptOutcome): FailureClass {
	if (outcome.kind === 'network') {
		if (outcome.code && NEVER_ARRIVED_CODES.has(outcome.code)) return 'never-arrived';
		if (outcome.code && MAYBE_ARRIVED_CODES.has(outcome.code)) return 'maybe-arrived';
		return 'final';
	}
	if (outcome.statusCode === 429) return 'never-arrived';
	if (MAYBE_ARRIVED_STATUSES.has(outcome.statusCode)) return 'maybe-arrived';
	return 'final';
}

export function shouldRetry(failure: FailureClass, attempts: number, options: RetryOptions): boolean {
	if (attempts > options.maxRetries) return false;
	if (failure === 'never-arrived') return true;
	return failure === 'maybe-arrived' && options.ambiguous === 'retry';
}

/** Retry-After in ms: delta-seconds or an HTTP-date, as RFC 9110 allows. Undefined when unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
	if (value === undefined) return undefined;
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/**
 * Exponential backoff with "equal jitter" (half fixed, half random), so that concurrent
 * retries spread out but never come back immediately; Retry-After overrides it. Both are
 * capped by maxWaitMs.
 */
export function retryDelay(args: {
	retry: number;
	options: RetryOptions;
	retryAfterMs?: number;
	random: number;
}): number {
	const { retry, options, retryAfterMs, random } = args;
	if (retryAfterMs !== undefined) return Math.min(retryAfterMs, options.maxWaitMs);
	const exponential = Math.min(options.baseDelayMs * 2 ** (retry - 1), options.maxWaitMs);
	return Math.round(exponential / 2 + (exponential / 2) * random);
}
