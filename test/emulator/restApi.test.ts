import { createEmulator } from '../../emulator/server';

const emulator = createEmulator();
beforeAll(async () => await emulator.start());
afterAll(async () => await emulator.stop());
beforeEach(() => emulator.reset());

async function call(method: string, path: string, options: { key?: string | null; body?: unknown } = {}) {
	const key = options.key === undefined ? 'sk_live_emulator_editor' : options.key;
	const response = await fetch(`${emulator.url}/v1${path}`, {
		method,
		headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	// The answers are checked field by field below; typing each shape would add nothing.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, any> };
}

describe('the emulated REST API', () => {
	it('checks keys and reports their role', async () => {
		expect(await call('GET', '/api-keys/check')).toMatchObject({ status: 200, json: { status: 'SUCCEED', role: 'EDITOR' } });
		expect((await call('GET', '/api-keys/check', { key: 'sk_live_emulator_viewer' })).json.role).toBe('VIEWER');
		expect(await call('GET', '/api-keys/check', { key: 'sk_live_wrong' })).toMatchObject({
			status: 401,
			json: { error: { code: 'UNAUTHORIZED' } },
		});
		expect((await call('GET', '/api-keys/check', { key: null })).status).toBe(401);
		for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
			expect((await call('GET', '/api-keys/check', { key })).status).toBe(401);
		}
	});

	it('lets VIEWER keys read but not write', async () => {
		expect((await call('GET', '/contacts', { key: 'sk_live_emulator_viewer' })).status).toBe(200);
		expect(
			(await call('POST', '/contacts', { key: 'sk_live_emulator_viewer', body: { properties: { email: 'a@example.com' } } })).status,
		).toBe(403);
	});

	it('upserts by email, case-insensitively', async () => {
		const first = await call('POST', '/contacts', { body: { properties: { email: 'Ada@Example.com' } } });
		const second = await call('POST', '/contacts', { body: { properties: { email: 'ada@example.com', firstName: 'Ada' } } });
		expect(first.status).toBe(201);
		expect(second.status).toBe(200);
		expect(second.json.contact.id).toBe(first.json.contact.id);
	});

	it('pages with opaque cursors and refuses limits above 100 and bad cursors', async () => {
		emulator.rest.seedContacts(Array.from({ length: 5 }, (_, i) => ({ email: `c${i}@example.com` })));
		const page1 = await call('GET', '/contacts?limit=2&sort=createdAt.asc');
		expect(page1.json.contacts).toMatchObject({ hasMore: true, totalCount: 5 });
		const page2 = await call('GET', `/contacts?limit=2&sort=createdAt.asc&cursor=${page1.json.contacts.cursor}`);
		expect(page2.json.contacts.items.map((c: { properties: { email: string } }) => c.properties.email)).toEqual([
			'c2@example.com',
			'c3@example.com',
		]);
		expect((await call('GET', '/contacts?limit=101')).status).toBe(400);
		expect((await call('GET', '/contacts?cursor=nonsense')).status).toBe(400);
	});

	it('deduplicates events by messageId and emails by idempotencyKey', async () => {
		const event = { event: 'signup', identify: { email: 'a@example.com' }, messageId: 'm1' };
		expect((await call('POST', '/events', { body: event })).json).toEqual({ success: true, messageId: 'm1' });
		expect((await call('POST', '/events', { body: event })).json).toEqual({ success: true, messageId: 'm1', duplicated: true });
		const email = { from: 'a@shop.example', to: 'b@example.com', subject: 'Hi', text: 'Hello', idempotencyKey: 'k1' };
		const one = await call('POST', '/emails', { body: email });
		const two = await call('POST', '/emails', { body: email });
		expect(two.json.email.messageId).toBe(one.json.email.messageId);
		expect(emulator.rest.events).toHaveLength(1);
		expect(emulator.rest.emails).toHaveLength(1);
	});

	it('never echoes a webhook token back', async () => {
		const created = await call('POST', '/webhooks', {
			body: { url: 'https://example.com/h', events: ['CONTACT_CREATED'], token: 's3cret' },
		});
		expect(created.json.webhook).toMatchObject({ hasToken: true });
		expect(JSON.stringify(created.json)).not.toContain('s3cret');
		expect(JSON.stringify((await call('GET', '/webhooks')).json)).not.toContain('s3cret');
	});

	it('answers 429 with Retry-After past its per-window limit', async () => {
		emulator.setRestRateLimit({ limit: 1, windowMs: 60_000 });
		await call('GET', '/contacts');
		const limited = await call('GET', '/contacts');
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
	});
});
