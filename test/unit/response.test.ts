import { describeFailedAnswer, interpretResponse } from '../../nodes/Smashsend/channels/flowWebhook/flowRunAnswer';
import { interpretRestResponse } from '../../nodes/shared/transport/restApi';
import { summarizeNonJson } from '../../nodes/shared/transport/response';

const secrets = [
	'https://api.smashsend.com/v1/flows/flw_s3cret/wrk_h1dden/call',
	'/v1/flows/flw_s3cret/wrk_h1dden/call',
	'flw_s3cret',
	'wrk_h1dden',
];
const json = { 'content-type': 'application/json' };

describe('interpretResponse', () => {
	it('reads a flow run from a 200', () => {
		const body = JSON.stringify({ success: true, flowRunId: 'run_ABC123', message: 'Flow triggered successfully' });
		expect(interpretResponse({ statusCode: 200, headers: json, body }, secrets)).toEqual({
			ok: true,
			result: { flowRunId: 'run_ABC123', success: true, message: 'Flow triggered successfully' },
		});
	});

	it('reads the flat error shape {error, message, statusCode}', () => {
		const body = JSON.stringify({ error: 'Validation failed', message: 'Email field is required', statusCode: 400 });
		expect(interpretResponse({ statusCode: 400, headers: json, body }, secrets)).toEqual({
			ok: false,
			failure: {
				statusCode: 400,
				serverMessage: 'Email field is required',
				serverError: 'Validation failed',
				retryAfter: undefined,
				json: true,
			},
		});
	});

	it('reads the nested error shape {error: {code, message}}', () => {
		const body = JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Too many requests' } });
		const result = interpretResponse({ statusCode: 429, headers: { ...json, 'Retry-After': '7' }, body }, secrets);
		expect(result).toEqual({
			ok: false,
			failure: { statusCode: 429, serverMessage: 'Too many requests', serverError: 'RATE_LIMITED', retryAfter: '7', json: true },
		});
	});

	it('reads a message that is a list of validation reasons as those reasons', () => {
		const body = JSON.stringify({ message: ['email must be an email', 'firstName is too long'], error: 'Bad Request', statusCode: 400 });
		const result = interpretResponse({ statusCode: 400, headers: json, body }, secrets);
		expect(result.ok === false && result.failure.serverMessage).toBe('email must be an email; firstName is too long');
		expect(result.ok === false && result.failure.serverError).toBe('Bad Request');
		const nested = JSON.stringify({ error: { code: 'VALIDATION_ERROR', message: [{ message: 'countryCode is not a code' }] } });
		const other = interpretResponse({ statusCode: 400, headers: json, body: nested }, secrets);
		expect(other.ok === false && other.failure.serverMessage).toBe('countryCode is not a code');
	});

	it("summarises a proxy's HTML page and redacts the webhook path it echoes", () => {
		const body = '<html><head><title>502 Bad Gateway</title></head><body>Cannot POST /v1/flows/flw_s3cret/wrk_h1dden/call</body></html>';
		const result = interpretResponse({ statusCode: 502, headers: { 'content-type': 'text/html' }, body }, secrets);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.failure.serverMessage).toBe(
				'SMASHSEND answered with a text/html body that is not SMASHSEND\'s JSON: "502 Bad Gateway"',
			);
		}
		const untitled = interpretResponse(
			{ statusCode: 404, headers: { 'content-type': 'text/html' }, body: '<pre>Cannot POST /v1/flows/flw_s3cret/wrk_h1dden/call</pre>' },
			secrets,
		);
		expect(!untitled.ok && untitled.failure.serverMessage).toContain('Cannot POST [redacted]');
		expect(JSON.stringify(untitled)).not.toMatch(/flw_s3cret|wrk_h1dden/);
	});

	it.each([
		['a 200 without flowRunId', JSON.stringify({ success: true, message: 'ok' }), 'answer has no flowRunId (ok)'],
		['a 200 with success: false', JSON.stringify({ success: false, message: 'Flow is paused' }), 'success: false (Flow is paused)'],
		['a 200 with an HTML body', '<html><title>Welcome</title></html>', 'not SMASHSEND\'s JSON: "Welcome"'],
		['an empty 200', '', 'an empty'],
	])('treats %s as an unconfirmed run', (_, body, text) => {
		const result = interpretResponse({ statusCode: 200, headers: {}, body }, secrets);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.failure.unconfirmed).toBe(true);
			expect(result.failure.serverMessage).toContain(text);
		}
	});
});

describe('hostile or unusual answers', () => {
	const url = 'https://api.smashsend.com/v1/flows/flw_s3cret/wrk_h1dden/call';

	it('never shows part of the webhook URL, wherever in the page it is (before, across and after the cut)', () => {
		// Every prefix of the ids long enough to tell them apart.
		const parts = ['flw_s3cret', 'wrk_h1dden'].flatMap((id) => Array.from({ length: id.length - 4 }, (_, i) => id.slice(0, i + 5)));
		for (let offset = 100; offset <= 260; offset++) {
			const body = `${'x'.repeat(offset)} Cannot POST ${url} ${'y'.repeat(300)}`;
			for (const contentType of ['text/plain', 'text/html']) {
				const shown = JSON.stringify(interpretResponse({ statusCode: 404, headers: { 'content-type': contentType }, body }, secrets));
				for (const part of parts) expect(shown).not.toContain(part);
			}
		}
	});

	it.each([
		['two megabytes of "<"', '<'.repeat(2_000_000)],
		['"<title" repeated', '<title'.repeat(300_000)],
		['"<script" repeated', '<script'.repeat(300_000)],
		['"<a" repeated without ">"', '<a'.repeat(1_000_000)],
	])('summarises %s quickly, looking at a bounded start of the body', (_, body) => {
		// Quadratic patterns take hours on these bodies: the test would time out.
		expect(summarizeNonJson(body, 'text/html')).toMatch(
			/^(an empty text\/html body|a text\/html body that is not SMASHSEND's JSON: ".*")$/,
		);
		const failed = interpretRestResponse({ statusCode: 502, headers: { 'content-type': 'text/html' }, body });
		expect(failed.ok).toBe(false);
	});

	it('reads only a bounded start of a non-JSON body', () => {
		const late = `${'<'.repeat(10_000)}<title>Late title</title>`;
		expect(summarizeNonJson(late, 'text/html')).not.toContain('Late title');
	});

	it('keeps the title of a page, and the first words of a page without one', () => {
		expect(summarizeNonJson('<html><head><TITLE>502 Bad Gateway</TITLE><style>p{}</style></head></html>', 'text/html')).toBe(
			'a text/html body that is not SMASHSEND\'s JSON: "502 Bad Gateway"',
		);
		expect(summarizeNonJson('<script>var x = "<b>";</script><p>Service&nbsp;down</p>', 'text/html; charset=utf-8')).toBe(
			'a text/html body that is not SMASHSEND\'s JSON: "Service down"',
		);
	});

	it('cuts a very long server message', () => {
		const body = JSON.stringify({ error: 'Validation failed', message: 'm'.repeat(100_000) });
		const result = interpretRestResponse({ statusCode: 400, headers: { 'content-type': 'application/json' }, body });
		expect(!result.ok && result.failure.serverMessage.length).toBeLessThanOrEqual(501);
	});
});

describe('describeFailedAnswer', () => {
	it.each([
		[400, 'Email field is required', "Fix this item's data", 'SMASHSEND rejected the item'],
		[404, 'Flow not found', 'does not know this flow webhook', 'SMASHSEND does not know this flow webhook'],
		[401, 'Unauthorized', 'refused the webhook URL', 'SMASHSEND refused the webhook URL'],
		[413, 'Too large', 'too large', 'SMASHSEND rejected the item'],
		[429, 'Slow down', 'limiting how fast', 'SMASHSEND asked to slow down'],
	])('says what happened and what to do next for HTTP %i', (statusCode, serverMessage, advice, what) => {
		const text = describeFailedAnswer({ statusCode, serverMessage }, 3);
		expect(text.message).toBe(`${what}: ${serverMessage} [item 3]`);
		expect(text.description).toContain(advice);
	});

	it.each([
		[503, 'Unavailable'],
		[504, 'Gateway Timeout'],
		[500, 'Internal Server Error'],
	])('after HTTP %i says the flow may have started, never that SMASHSEND rejected the item', (statusCode, serverMessage) => {
		const text = describeFailedAnswer({ statusCode, serverMessage }, 3);
		expect(text.message).toBe(`SMASHSEND did not confirm a flow run: ${serverMessage} [item 3]`);
		expect(text.description).toContain('may or may not have started');
	});
});
