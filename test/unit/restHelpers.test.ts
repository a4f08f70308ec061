import { createHmac } from 'crypto';

import { customPropertiesOf } from '../../nodes/Smashsend/actions/contact/customProperties';
import { describeRestFailure, restAdviceFor } from '../../nodes/Smashsend/channels/rest/restWording';
import type { FailedAnswer } from '../../nodes/shared/transport/response';
import { interpretRestResponse, normalizeBaseUrl } from '../../nodes/shared/transport/restApi';
import { signatureMatches } from '../../nodes/SmashsendTrigger/deliveries';

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}) => ({
	statusCode,
	headers: { 'content-type': 'application/json', ...headers },
	body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('normalizeBaseUrl', () => {
	it.each([
		[undefined, 'https://api.smashsend.com'],
		['', 'https://api.smashsend.com'],
		['https://api.smashsend.com/', 'https://api.smashsend.com'],
		['https://api.smashsend.com/v1', 'https://api.smashsend.com'],
		[' http://127.0.0.1:4010/v1/ ', 'http://127.0.0.1:4010'],
	])('%p → %p', (input, expected) => expect(normalizeBaseUrl(input)).toBe(expected));
});

describe('interpretRestResponse', () => {
	it('returns the JSON object of a 2xx', () => {
		expect(interpretRestResponse(json(200, { contact: { id: 'ctc_1' } }))).toEqual({ ok: true, json: { contact: { id: 'ctc_1' } } });
	});

	it('reads both error shapes and keeps Retry-After', () => {
		expect(interpretRestResponse(json(400, { error: { code: 'VALIDATION_ERROR', message: 'bad email' } }))).toMatchObject({
			ok: false,
			failure: { statusCode: 400, serverMessage: 'bad email', serverError: 'VALIDATION_ERROR' },
		});
		expect(
			interpretRestResponse(
				json(429, { error: 'Too Many Requests', message: 'Rate limit exceeded', statusCode: 429 }, { 'retry-after': '7' }),
			),
		).toMatchObject({
			ok: false,
			failure: { statusCode: 429, serverMessage: 'Rate limit exceeded', retryAfter: '7' },
		});
	});

	it("summarises a proxy's HTML page; takes a 2xx with JSON or no body as success, and one with a page as not confirmed", () => {
		const html = { statusCode: 502, headers: { 'content-type': 'text/html' }, body: '<html><title>502 Bad Gateway</title></html>' };
		expect(interpretRestResponse(html)).toMatchObject({
			ok: false,
			failure: { serverMessage: expect.stringContaining('"502 Bad Gateway"') },
		});
		expect(interpretRestResponse({ statusCode: 204, headers: {}, body: '' })).toEqual({ ok: true, json: {} });
		expect(interpretRestResponse({ statusCode: 202, headers: {}, body: '[1]' })).toEqual({ ok: true, json: {} });
		const signIn = { statusCode: 200, headers: { 'content-type': 'text/html' }, body: '<html><title>Sign in</title></html>' };
		expect(interpretRestResponse(signIn)).toMatchObject({ ok: false, failure: { unconfirmed: true, statusCode: 200 } });
		const text = describeRestFailure((interpretRestResponse(signIn) as { failure: FailedAnswer }).failure, 1, 60, true);
		expect(text.message).toBe(
			`SMASHSEND did not confirm the call: SMASHSEND answered with a text/html body that is not SMASHSEND's JSON: "Sign in" [item 1]`,
		);
		expect(text.description).toContain("Check the SMASHSEND API credential's Base URL");
	});
});

describe('restAdviceFor', () => {
	it.each([500, 502, 503, 504, 408])(
		'after HTTP %i to a write says SMASHSEND may have carried it out and to check before sending again, never "run the workflow again"',
		(statusCode) => {
			const text = describeRestFailure({ statusCode, serverMessage: 'Gateway Timeout' }, 2, 60, true);
			expect(text.message).toBe('SMASHSEND did not confirm the call: Gateway Timeout [item 2]');
			expect(text.description).toBe(
				'The call reached SMASHSEND or a proxy in front of it, which then did not finish it, so SMASHSEND may or may not have carried the call out. Check the record in SMASHSEND before sending the item again.',
			);
			// A read changes nothing: running it again is safe.
			expect(describeRestFailure({ statusCode, serverMessage: 'x' }, 2, 60, false).description).toContain('run the workflow again');
		},
	);

	it('names the rate limit the node keeps to on a 429', () => {
		expect(restAdviceFor({ statusCode: 429, serverMessage: '', retryAfter: '30' }, 60)).toBe(
			"SMASHSEND's rate limit was reached. SMASHSEND asked to wait 30 s. This node sends at most 60 requests per minute (Options → Rate Limit); lower it if other workflows use the same key.",
		);
	});
});

describe('customPropertiesOf', () => {
	it('reads {properties: {items}} and a bare list, skipping entries without apiSlug', () => {
		const items = [{ apiSlug: 'plan', displayName: 'Plan', type: 'SELECT', options: ['free'] }, { displayName: 'broken' }];
		expect(customPropertiesOf({ properties: { items } })).toEqual([
			{ apiSlug: 'plan', displayName: 'Plan', type: 'SELECT', options: ['free'], multiple: false },
		]);
		expect(customPropertiesOf({ properties: items })).toHaveLength(1);
		expect(customPropertiesOf({})).toEqual([]);
	});

	it("reads a select's options from typeConfig (SMASHSEND's SDK) before a top-level list, and typeConfig.multiple", () => {
		const option = (value: string) => ({ id: `opt_${value}`, value, displayName: value.toUpperCase(), color: 'red' });
		const [tier, tags, legacy, noValue] = customPropertiesOf({
			properties: {
				items: [
					{ apiSlug: 'tier', type: 'SELECT', typeConfig: { options: [option('gold'), option('silver')], multiple: false }, options: ['x'] },
					{ apiSlug: 'tags', type: 'SELECT', typeConfig: { options: [option('vip')], multiple: true } },
					{ apiSlug: 'old', type: 'MULTI_SELECT', options: [{ value: 'a' }, 'b', 3] },
					{ apiSlug: 'named', type: 'SELECT', typeConfig: { options: [{ displayName: 'Only a name' }, {}] } },
				],
			},
		});
		expect(tier).toMatchObject({ options: ['gold', 'silver'], multiple: false });
		expect(tags).toMatchObject({ type: 'SELECT', options: ['vip'], multiple: true });
		expect(legacy).toMatchObject({ options: ['a', 'b', '3'], multiple: true });
		expect(noValue.options).toEqual(['Only a name']);
	});
});

describe('signatureMatches', () => {
	const secret = 'token';
	const body = Buffer.from('{"event":"CONTACT_CREATED"}');
	const good = createHmac('sha256', secret).update(body).digest('hex');

	it('accepts the hex HMAC-SHA256 of the raw body, in either case', () => {
		expect(signatureMatches(body, secret, good)).toBe(true);
		expect(signatureMatches(body, secret, good.toUpperCase())).toBe(true);
	});

	it('refuses another body, another key, a truncated or missing signature', () => {
		expect(signatureMatches(Buffer.from('{"event":"CONTACT_DELETED"}'), secret, good)).toBe(false);
		expect(signatureMatches(body, 'other', good)).toBe(false);
		expect(signatureMatches(body, secret, good.slice(0, 40))).toBe(false);
		expect(signatureMatches(body, secret, undefined)).toBe(false);
		expect(signatureMatches(body, secret, ['a', 'b'])).toBe(false);
	});
});
