import { classifyFailure, parseRetryAfter, retryDelay, shouldRetry, type RetryOptions } from '../../nodes/Smashsend/delivery/retryPolicy';
import { DEFAULTS } from '../../nodes/Smashsend/contract/settings';
import { readSettings } from '../../nodes/Smashsend/runner/options';

const options: RetryOptions = { maxRetries: 5, maxWaitMs: 60_000, baseDelayMs: 1000, ambiguous: 'retry' };

describe('classifyFailure', () => {
	it.each([
		[{ kind: 'answer', statusCode: 429 }, 'never-arrived'],
		[{ kind: 'network', code: 'ECONNREFUSED' }, 'never-arrived'],
		[{ kind: 'network', code: 'ENOTFOUND' }, 'never-arrived'],
		[{ kind: 'network', code: 'EAI_AGAIN' }, 'never-arrived'],
		[{ kind: 'answer', statusCode: 408 }, 'maybe-arrived'],
		[{ kind: 'answer', statusCode: 500 }, 'maybe-arrived'],
		[{ kind: 'answer', statusCode: 502 }, 'maybe-arrived'],
		[{ kind: 'answer', statusCode: 503 }, 'maybe-arrived'],
		[{ kind: 'answer', statusCode: 504 }, 'maybe-arrived'],
		[{ kind: 'network', code: 'ECONNRESET' }, 'maybe-arrived'],
		[{ kind: 'network', code: 'ECONNABORTED' }, 'maybe-arrived'],
		[{ kind: 'network', code: 'ETIMEDOUT' }, 'maybe-arrived'],
		[{ kind: 'answer', statusCode: 400 }, 'final'],
		[{ kind: 'answer', statusCode: 401 }, 'final'],
		[{ kind: 'answer', statusCode: 404 }, 'final'],
		[{ kind: 'answer', statusCode: 413 }, 'final'],
		[{ kind: 'answer', statusCode: 200 }, 'final'],
		[{ kind: 'answer', statusCode: 521 }, 'never-arrived'],
		[{ kind: 'answer', statusCode: 522 }, 'never-arrived'],
		[{ kind: 'answer', statusCode: 523 }, 'never-arrived'],
		[{ kind: 'answer', statusCode: 520 }, 'maybe-arrived'],
		[{ kind: 'answer', statusCode: 524 }, 'maybe-arrived'],
		[{ kind: 'answer', statusCode: 501 }, 'final'],
		[{ kind: 'network', code: 'CERT_HAS_EXPIRED' }, 'final'],
		[{ kind: 'network', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'final'],
		[{ kind: 'network', code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'final'],
		// axios refuses to make the request (an unsupported protocol, a bad URL): it never left.
		[{ kind: 'network', code: 'ERR_BAD_REQUEST' }, 'final'],
		[{ kind: 'network', code: 'ERR_INVALID_URL' }, 'final'],
		// An answer broken off, or any failure not known to come before the request was written: it may have arrived.
		[{ kind: 'network', code: 'ERR_BAD_RESPONSE' }, 'maybe-arrived'],
		[{ kind: 'network', code: 'EPROTO' }, 'maybe-arrived'],
		[{ kind: 'network', code: 'Z_DATA_ERROR' }, 'maybe-arrived'],
		[{ kind: 'network' }, 'maybe-arrived'],
	] as const)('%j is %s', (outcome, expected) => {
		expect(classifyFailure(outcome)).toBe(expected);
	});
});

describe('shouldRetry', () => {
	it('retries what never arrived under both policies', () => {
		expect(shouldRetry('never-arrived', 1, options)).toBe(true);
		expect(shouldRetry('never-arrived', 1, { ...options, ambiguous: 'fail' })).toBe(true);
	});

	it('retries what may have arrived only under the at-least-once policy', () => {
		expect(shouldRetry('maybe-arrived', 1, options)).toBe(true);
		expect(shouldRetry('maybe-arrived', 1, { ...options, ambiguous: 'fail' })).toBe(false);
	});

	it('never retries a final failure', () => {
		expect(shouldRetry('final', 1, options)).toBe(false);
	});

	it('stops after maxRetries retries', () => {
		expect(shouldRetry('never-arrived', 5, options)).toBe(true);
		expect(shouldRetry('never-arrived', 6, options)).toBe(false);
		expect(shouldRetry('never-arrived', 1, { ...options, maxRetries: 0 })).toBe(false);
	});
});

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-11-26T12:00:00Z');
	it('reads delta-seconds', () => expect(parseRetryAfter('7', now)).toBe(7000));
	it('reads an HTTP-date', () => expect(parseRetryAfter('Thu, 26 Nov 2026 12:00:30 GMT', now)).toBe(30_000));
	it('treats a date in the past as no wait', () => expect(parseRetryAfter('Thu, 26 Nov 2026 11:00:00 GMT', now)).toBe(0));
	it('reads the obsolete RFC 850 and asctime dates, always as GMT', () => {
		expect(parseRetryAfter('Thursday, 26-Nov-26 12:00:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfter('Thu Nov 26 12:00:30 2026', now)).toBe(30_000);
	});
	it('ignores what it cannot read', () => {
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
	});
	it.each(['-1', '1,5', '1.5', 'foo 12', '12 s', '0x10', '2026-11-26T12:00:30Z', 'Thu, 26 Nov 2026 12:00:30 CET', ''])(
		'reads %j as unreadable (the caller backs off) rather than as no wait',
		(value) => expect(parseRetryAfter(value, now)).toBeUndefined(),
	);
});

describe('retryDelay', () => {
	it('doubles with each retry, half of it random', () => {
		expect([1, 2, 3, 4].map((retry) => retryDelay({ retry, options, random: 0 }))).toEqual([500, 1000, 2000, 4000]);
		expect([1, 2, 3, 4].map((retry) => retryDelay({ retry, options, random: 1 }))).toEqual([1000, 2000, 4000, 8000]);
	});

	it('never waits longer than maxWaitMs', () => {
		expect(retryDelay({ retry: 20, options, random: 1 })).toBe(60_000);
	});

	it('lets Retry-After override the backoff, capped by maxWaitMs', () => {
		expect(retryDelay({ retry: 1, options, retryAfterMs: 12_000, random: 0 })).toBe(12_000);
		expect(retryDelay({ retry: 1, options, retryAfterMs: 600_000, random: 0 })).toBe(60_000);
	});
});

describe('which operations may choose At Most Once', () => {
	const rest = { ratePeriod: 'minute', rateLimit: DEFAULTS.ratePerMinute } as const;

	it('Trigger a Flow honours "When Unsure If the Flow Started"', () => {
		expect(readSettings({ ambiguousFailure: 'fail' }, { ratePeriod: 'second', atMostOnceChoice: true }).ambiguous).toBe('fail');
		expect(readSettings({}, { ratePeriod: 'second', atMostOnceChoice: true }).ambiguous).toBe('retry');
	});

	it('REST operations send again whatever a stale option copied from a flow node says', () => {
		expect(readSettings({ ambiguousFailure: 'fail' }, rest).ambiguous).toBe('retry');
	});

	it("an operation's own rule: Broadcast → Create never sends again; Send Test not unless its option says Retry", () => {
		const create = { ...rest, ambiguousDefault: 'fail' } as const;
		expect(readSettings({}, create).ambiguous).toBe('fail');
		expect(readSettings({ ambiguousFailure: 'retry' }, create).ambiguous).toBe('fail');
		const sendTest = { ...rest, ambiguousDefault: 'fail', atMostOnceChoice: true } as const;
		expect(readSettings({}, sendTest).ambiguous).toBe('fail');
		expect(readSettings({ ambiguousFailure: 'retry' }, sendTest).ambiguous).toBe('retry');
	});
});
