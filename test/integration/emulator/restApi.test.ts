import { createEmulator } from '../../../emulator/server';
import { startSink } from '../../support/sink';

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
		// The SDK's answer to one event has no `duplicated`; the older shape had it.
		expect((await call('POST', '/events', { body: event })).json).toEqual({
			success: true,
			messageId: 'm1',
			info: 'An event with this messageId was already received',
		});
		emulator.rest.setShapes('legacy');
		expect((await call('POST', '/events', { body: event })).json).toEqual({ success: true, messageId: 'm1', duplicated: true });
		emulator.rest.setShapes('sdk');
		const email = { from: 'a@shop.example', to: 'b@example.com', subject: 'Hi', html: '<p>Hello</p>', idempotencyKey: 'k1' };
		const one = await call('POST', '/emails', { body: email });
		const two = await call('POST', '/emails', { body: email });
		expect(two.json.email.messageId).toBe(one.json.email.messageId);
		expect(emulator.rest.events).toHaveLength(1);
		expect(emulator.rest.emails).toHaveLength(1);
	});

	it("echoes a webhook's token and status and lists webhooks as a plain array (SDK); the older shape did neither", async () => {
		const body = { url: 'https://example.com/h', events: ['CONTACT_CREATED'], token: 's3cret' };
		const created = await call('POST', '/webhooks', { body });
		expect(created.json.webhook).toMatchObject({ token: 's3cret', status: 'ACTIVE', url: body.url, workspaceId: 'wrk_demo' });
		expect((await call('GET', '/webhooks')).json).toEqual({
			webhooks: [expect.objectContaining({ id: created.json.webhook.id, token: 's3cret' })],
		});
		emulator.rest.setShapes('legacy');
		expect((await call('GET', `/webhooks/${created.json.webhook.id}`)).json.webhook).toMatchObject({ hasToken: true });
		const legacy = (await call('GET', '/webhooks')).json;
		expect(legacy).toEqual({ webhooks: { items: [expect.objectContaining({ hasToken: true })], hasMore: false } });
		expect(JSON.stringify(legacy)).not.toContain('s3cret');
	});

	it("answers with SMASHSEND's SDK shapes by default", async () => {
		// Contact ids: ctc_ and 24 characters, as every real sample; UUIDs (the SDK's README) as a reading. Found by id either way.
		const created = await call('POST', '/contacts', { body: { properties: { email: 'ada@example.com' } } });
		expect(created.json.contact.id).toMatch(/^ctc_[A-Za-z0-9]{24}$/);
		emulator.rest.setReadings({ contactIds: 'uuid' });
		const other = await call('POST', '/contacts', { body: { properties: { email: 'bob@example.com' } } });
		expect(other.json.contact.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect((await call('GET', `/contacts/${other.json.contact.id}`)).json.contact.properties.email).toBe('bob@example.com');
		expect((await call('GET', `/contacts/${created.json.contact.id}`)).json.contact.properties.email).toBe('ada@example.com');
		// Every answer carries a request id; contact and email errors are flat {message, code}.
		expect(created.headers.get('x-request-id')).toMatch(/^req_/);
		expect((await call('GET', '/contacts/nobody')).json).toEqual({ message: 'Contact not found', code: 'NOT_FOUND' });
		expect((await call('POST', '/events', { body: {} })).json).toEqual({
			error: { code: 'VALIDATION_ERROR', message: 'event must be 1-60 characters of letters, digits, _ . : -' },
		});
		// Properties: typeConfig options, at most 50 a page, no cursor.
		const page = (await call('GET', '/contacts/properties?type=CUSTOM&limit=50')).json.properties;
		expect(page.hasMore).toBe(false);
		expect(page).not.toHaveProperty('cursor');
		expect(page.items.find((p: { apiSlug: string }) => p.apiSlug === 'plan')).toMatchObject({
			type: 'SELECT',
			typeConfig: { options: [expect.objectContaining({ value: 'free' }), expect.anything(), expect.anything()], multiple: false },
		});
		expect(page.items[0]).not.toHaveProperty('options');
		expect((await call('GET', '/contacts/properties?type=CUSTOM&limit=100')).status).toBe(400);
		// Emails: one recipient, html required, a named sender.
		const email = { from: 'Acme <hello@acme.example>', subject: 'Hi', html: '<p>Hi</p>' };
		expect((await call('POST', '/emails', { body: { ...email, to: 'b@example.com' } })).json.email).toMatchObject({
			status: 'SENT',
			to: 'b@example.com',
		});
		expect((await call('POST', '/emails', { body: { ...email, to: ['b@example.com', 'c@example.com'] } })).json).toEqual({
			message: 'to must be a single email address',
			code: 'VALIDATION_ERROR',
		});
		expect((await call('POST', '/emails', { body: { ...email, html: undefined, text: 'Hi', to: 'b@example.com' } })).json.message).toBe(
			'html is required',
		);
	});

	it('answers with the older shapes when asked', async () => {
		emulator.rest.setShapes('legacy');
		const created = await call('POST', '/contacts', { body: { properties: { email: 'ada@example.com' } } });
		expect(created.json.contact.id).toMatch(/^ctc_/);
		expect((await call('GET', '/contacts/nobody')).json).toEqual({ error: { code: 'NOT_FOUND', message: 'Contact not found' } });
		const page = (await call('GET', '/contacts/properties?type=CUSTOM&limit=2')).json.properties;
		expect(page).toMatchObject({ hasMore: true, cursor: expect.any(String) });
		expect(page.items[0]).toMatchObject({ apiSlug: 'plan', options: ['free', 'pro', 'team'] });
		const text = { from: 'hello@acme.example', subject: 'Hi', text: 'Hi', to: ['b@example.com', 'c@example.com'] };
		expect((await call('POST', '/emails', { body: text })).json.email).toMatchObject({ status: 'QUEUED' });
		expect((await call('POST', '/emails', { body: { ...text, from: 'Acme <hello@acme.example>' } })).status).toBe(400);
	});

	it('delivers nothing to a paused registration, and signs deliveries (SDK: no top-level timestamp)', async () => {
		const sink = await startSink();
		try {
			const created = await call('POST', '/webhooks', { body: { url: `${sink.url}/hook`, events: ['CONTACT_CREATED'], token: 't' } });
			const received = () => sink.received.map((r) => JSON.parse(r.body.toString()));
			await emulator.rest.deliverEvent('CONTACT_CREATED', undefined);
			expect(received()[0]).toEqual({ event: 'CONTACT_CREATED', payload: {}, version: 1 });
			emulator.rest.setWebhookStatus(created.json.webhook.id, 'PAUSED');
			expect(await emulator.rest.deliverEvent('CONTACT_CREATED', undefined)).toEqual([]);
			emulator.rest.setShapes('legacy');
			emulator.rest.setWebhookStatus(created.json.webhook.id, 'ACTIVE');
			await emulator.rest.deliverEvent('CONTACT_CREATED', undefined);
			expect(received()[1]).toMatchObject({ event: 'CONTACT_CREATED', timestamp: expect.any(String) });
			expect(received()).toHaveLength(2);
		} finally {
			await sink.close();
		}
	});

	it('answers 429 with Retry-After past its per-window limit', async () => {
		emulator.setRestRateLimit({ limit: 1, windowMs: 60_000 });
		await call('GET', '/contacts');
		const limited = await call('GET', '/contacts');
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
	});

	describe('batches', () => {
		beforeEach(() => emulator.setRestRateLimit({ limit: 0, windowMs: 60_000 }));
		const partial = '/contacts/batch?allowPartialSuccess=true&includeFailedContacts=true';
		const contact = (email: string, more: Record<string, unknown> = {}) => ({ properties: { email, ...more } });

		it('saves the valid contacts of a batch and lists the others in errors[]', async () => {
			emulator.rest.seedContacts([{ email: 'old@example.com', firstName: 'Old' }]);
			const answer = await call('POST', partial, {
				body: {
					contacts: [
						contact('new@example.com'),
						contact('not-an-email'),
						contact('old@example.com', { seats: 'many' }),
						contact('OLD@example.com', { lastName: 'Timer' }),
					],
				},
			});
			expect(answer.status).toBe(200);
			expect(answer.json.summary).toMatchObject({ created: 1, updated: 1, failed: 2, total: 4 });
			expect(answer.json.contacts.map((c: { properties: { email: string } }) => c.properties.email)).toEqual([
				'new@example.com',
				'OLD@example.com',
			]);
			expect(answer.json.errors).toEqual([
				{ index: 1, email: 'not-an-email', errors: [expect.objectContaining({ code: 'VALIDATION_ERROR', retryable: false })] },
				{ index: 2, email: 'old@example.com', errors: [expect.objectContaining({ message: 'Property "seats" must be a number' })] },
			]);
			expect(answer.json.failedContacts).toEqual([
				{ index: 1, contact: contact('not-an-email'), errors: [expect.objectContaining({ code: 'VALIDATION_ERROR' })] },
				{
					index: 2,
					contact: contact('old@example.com', { seats: 'many' }),
					errors: [expect.objectContaining({ code: 'VALIDATION_ERROR' })],
				},
			]);
			expect(emulator.rest.contacts.map((c) => c.properties)).toEqual([
				expect.objectContaining({ email: 'OLD@example.com', firstName: 'Old', lastName: 'Timer' }),
				expect.objectContaining({ email: 'new@example.com' }),
			]);
		});

		it('refuses the whole batch for one bad item without allowPartialSuccess', async () => {
			const answer = await call('POST', '/contacts/batch', { body: { contacts: [contact('a@example.com'), contact('bad')] } });
			expect(answer.status).toBe(400);
			expect(answer.json.errors).toHaveLength(1);
			expect(emulator.rest.contacts).toHaveLength(0);
		});

		it('answers 413 above its largest batch, and counts a batch as one call of the rate limit', async () => {
			emulator.rest.setMaxBatchSize(2);
			emulator.setRestRateLimit({ limit: 2, windowMs: 60_000 });
			const three = { contacts: [contact('a@example.com'), contact('b@example.com'), contact('c@example.com')] };
			const tooLarge = await call('POST', partial, { body: three });
			expect(tooLarge.status).toBe(413);
			expect(tooLarge.json.message).toContain('at most 2');
			expect((await call('POST', partial, { body: { contacts: three.contacts.slice(0, 2) } })).status).toBe(200);
			expect((await call('POST', partial, { body: { contacts: three.contacts.slice(2) } })).status).toBe(429);
			expect(emulator.rest.contacts).toHaveLength(2);
		});

		it('fails a scripted item alone, with retryable and retryAfter, and the rest of the batch goes', async () => {
			emulator.addFaults([
				{
					path: 'POST /v1/contacts/batch',
					email: 'b@example.com',
					itemError: { code: 'LOCKED', message: 'Try again', retryable: true, retryAfter: 2 },
				},
			]);
			const body = { contacts: [contact('a@example.com'), contact('b@example.com')] };
			const first = await call('POST', partial, { body });
			expect(first.json.errors).toEqual([
				{ index: 1, email: 'b@example.com', errors: [{ code: 'LOCKED', message: 'Try again', retryable: true, retryAfter: 2 }] },
			]);
			expect(emulator.rest.contacts.map((c) => c.properties.email)).toEqual(['a@example.com']);
			const again = await call('POST', partial, { body });
			expect(again.json.errors).toBeUndefined();
			expect(again.json.summary).toMatchObject({ created: 1, updated: 1 });
		});

		it('records a batch of events once per messageId, and lists invalid ones', async () => {
			const event = (email: string, messageId: string) => ({ event: 'signup', identify: { email }, messageId });
			const body = {
				events: [event('a@example.com', 'm1'), event('b@example.com', 'm2'), { event: 'bad name!', identify: { email: 'c@example.com' } }],
			};
			const first = await call('POST', '/events/batch', { body });
			expect(first.json).toMatchObject({ accepted: 2, failed: 1, duplicated: 0, errors: [{ index: 2, email: 'c@example.com' }] });
			const again = await call('POST', '/events/batch', { body: { events: body.events.slice(0, 2) } });
			expect(again.json).toEqual({
				accepted: 0,
				failed: 0,
				duplicated: 2,
				events: [
					{ index: 0, messageId: 'm1', status: 'duplicate' },
					{ index: 1, messageId: 'm2', status: 'duplicate' },
				],
			});
			expect(emulator.rest.events.map((e) => e.messageId)).toEqual(['m1', 'm2']);
		});

		it('applies a request fault naming an email to the batch that carries it', async () => {
			emulator.addFaults([{ path: 'POST /v1/events/batch', email: 'b@example.com', acceptThenFail: true, reset: true }]);
			const events = [
				{ event: 'x', identify: { email: 'a@example.com' }, messageId: 'm1' },
				{ event: 'x', identify: { email: 'b@example.com' }, messageId: 'm2' },
			];
			await expect(call('POST', '/events/batch', { body: { events } })).rejects.toThrow();
			expect(emulator.rest.events).toHaveLength(2);
		});
	});
});
