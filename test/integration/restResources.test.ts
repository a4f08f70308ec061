import { NodeApiError, NodeOperationError, type IDataObject, type ILoadOptionsFunctions, type INodeExecutionData } from 'n8n-workflow';

import { SmashsendApi } from '../../credentials/SmashsendApi.credentials';
import { Smashsend } from '../../nodes/Smashsend/Smashsend.node';
import { getCustomProperties } from '../../nodes/Smashsend/methods/loadOptions';
import { executeContext, TEST_NODE, type ContextOptions } from '../support/executeContext';
import { authenticatedHttpRequest } from '../support/n8nHttp';
import { leakedSecrets } from '../support/secrets';
import { useRestEmulator, UUID } from '../support/restEmulator';

const EDITOR = 'sk_live_emulator_editor';
const VIEWER = 'sk_live_emulator_viewer';
const emulator = useRestEmulator();

type RunOptions = Omit<ContextOptions, 'credentials'> & { apiKey?: string };

async function run(options: RunOptions): Promise<INodeExecutionData[]> {
	const credentials = { apiKey: options.apiKey ?? EDITOR, baseUrl: `${emulator.url}/v1/` };
	const authenticate = new SmashsendApi().authenticate;
	const context = executeContext({
		...options,
		// Tests would otherwise wait a second per call at the documented 60/minute.
		parameters: { options: { rateLimit: 0 }, ...options.parameters },
		credentials,
		httpRequestWithAuthentication: authenticatedHttpRequest(authenticate, credentials),
	});
	const [output] = await new Smashsend().execute.call(context);
	return output;
}

async function runExpectingError(options: RunOptions) {
	try {
		await run(options);
	} catch (error) {
		return error as NodeApiError | NodeOperationError;
	}
	throw new Error('expected the node to throw');
}

const rest = () => emulator.received.filter((r) => r.path.startsWith('/v1/'));
const contact = (parameters: Record<string, unknown>) => ({ resource: 'contact', ...parameters });

describe('Contact: Create or Update', () => {
	it('creates a contact per item, then updates the same contact for the same email', async () => {
		const items = [
			{ email: 'ada@example.com', first: 'Ada' },
			{ email: 'grace@example.com', first: 'Grace' },
		];
		const parameters = contact({ operation: 'upsert', contactFields: { firstName: (json: IDataObject) => json.first, countryCode: 'gb' } });
		const created = await run({ items, parameters });
		expect(created.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(created[0].json).toMatchObject({
			id: expect.stringMatching(UUID),
			properties: { email: 'ada@example.com', firstName: 'Ada', countryCode: 'GB', status: 'SUBSCRIBED' },
		});
		expect(rest()[0].headers.authorization).toBe(`Bearer ${EDITOR}`);

		const updated = await run({ items: [{ email: 'ada@example.com', first: 'Augusta' }], parameters });
		expect(updated[0].json.id).toBe(created[0].json.id);
		expect(emulator.rest.contacts).toHaveLength(2);
		expect(emulator.rest.contacts[0].properties.firstName).toBe('Augusta');
	});

	it('sends custom properties with their workspace type, looked up once per execution', async () => {
		const output = await run({
			items: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
			parameters: contact({
				operation: 'upsert',
				customProperties: {
					property: [
						{ name: 'seats', value: '12' },
						{ name: 'newsletter', value: 'yes' },
						{ name: 'interests', value: 'product, blog' },
						{ name: 'plan', value: 'pro' },
					],
				},
			}),
		});
		expect(output[1].json.properties).toMatchObject({ seats: 12, newsletter: true, interests: ['product', 'blog'], plan: 'pro' });
		expect(rest().filter((r) => r.path === '/v1/contacts/properties')).toHaveLength(1);
	});

	it('fails an item with a custom property the workspace lacks, before sending anything', async () => {
		const error = await runExpectingError({
			items: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
			parameters: contact({ operation: 'upsert', customProperties: { property: [{ name: 'shoeSize', value: '44' }] } }),
		});
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('Item 0 sets the custom property "shoeSize"');
		expect(emulator.rest.contacts).toHaveLength(0);
	});

	it('with "On Error" continuing, a bad email fails alone and the others are saved once', async () => {
		const output = await run({
			items: [{ email: 'a@example.com' }, { email: 'not an email' }, { email: 'c@example.com' }],
			parameters: contact({
				operation: 'upsert',
				customProperties: { property: [{ name: 'seats', value: (json: IDataObject) => (json.email === 'c@example.com' ? 'many' : '1') }] },
			}),
			continueOnFail: true,
		});
		expect(output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.id).toMatch(UUID);
		expect(output[1].json.error).toContain('Item 1');
		expect(output[2].json.error).toContain('"seats" needs a number');
		expect(emulator.rest.contacts.map((c) => c.properties.email)).toEqual(['a@example.com']);
	});

	it("shows SMASHSEND's validation message with the item index", async () => {
		const error = await runExpectingError({
			items: [{ email: 'a@example.com' }],
			parameters: contact({ operation: 'upsert', contactFields: { countryCode: 'France' } }),
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('SMASHSEND rejected item 0 (HTTP 400): countryCode must be an ISO 3166-1 alpha-2 code such as US or FR');
	});
});

describe('Contact: Get, Find, Update, Delete', () => {
	beforeEach(() => emulator.rest.seedContacts([{ email: 'ada@example.com', firstName: 'Ada' }, { email: 'bob@example.com' }]));
	const idOf = (email: string) => emulator.rest.contacts.find((c) => c.properties.email === email)?.id;

	it('gets a contact by ID, and names the item whose ID SMASHSEND does not know', async () => {
		const [found] = await run({
			items: [{ id: idOf('ada@example.com') }],
			parameters: contact({ operation: 'get', contactId: (json: IDataObject) => json.id }),
		});
		expect(found.json.properties).toMatchObject({ email: 'ada@example.com' });

		const error = await runExpectingError({ items: [{}], parameters: contact({ operation: 'get', contactId: 'ctc_missing' }) });
		expect(error.message).toBe('SMASHSEND rejected item 0 (HTTP 404): Contact not found');
		expect(error.description).toContain('check the ID or email');
	});

	it('finds by email with found: true, and outputs found: false for an unknown email', async () => {
		const output = await run({
			items: [{ email: ' ada@example.com ' }, { email: 'nobody@example.com' }],
			parameters: contact({ operation: 'find' }),
		});
		expect(output[0].json).toMatchObject({ found: true, id: idOf('ada@example.com') });
		expect(output[1].json).toEqual({ found: false, email: 'nobody@example.com' });
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});

	it('updates fields by ID and refuses an update that changes nothing', async () => {
		const id = idOf('ada@example.com');
		const [updated] = await run({
			items: [{}],
			parameters: contact({ operation: 'update', contactId: id, contactFields: { lastName: 'Lovelace', status: 'UNSUBSCRIBED' } }),
		});
		expect(updated.json.properties).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', status: 'UNSUBSCRIBED' });

		const error = await runExpectingError({ items: [{}], parameters: contact({ operation: 'update', contactId: id }) });
		expect(error.message).toContain('Item 0 changes nothing');
	});

	it('deletes by email and by ID', async () => {
		const [byEmail] = await run({ items: [{ email: 'ada@example.com' }], parameters: contact({ operation: 'delete', deleteBy: 'email' }) });
		expect(byEmail.json).toMatchObject({ isDeleted: true, properties: { email: 'ada@example.com' } });
		const [byId] = await run({
			items: [{}],
			parameters: contact({ operation: 'delete', deleteBy: 'id', contactId: idOf('bob@example.com') }),
		});
		expect(byId.json.isDeleted).toBe(true);
		expect(emulator.rest.contacts).toHaveLength(0);
		expect(rest().map((r) => r.path)).toEqual([
			'/v1/contacts/by-email/ada%40example.com',
			expect.stringMatching(/^\/v1\/contacts\/[0-9a-f]{8}-/),
		]);
	});

	it('tells a VIEWER key that the operation needs an EDITOR key', async () => {
		const error = await runExpectingError({
			items: [{ email: 'ada@example.com' }],
			parameters: contact({ operation: 'delete', deleteBy: 'email' }),
			apiKey: VIEWER,
		});
		expect(error.message).toContain('HTTP 403');
		expect(error.description).toContain('Use an EDITOR key');
		expect(emulator.rest.contacts).toHaveLength(2);
	});
});

describe('Contact: Get Many', () => {
	beforeEach(() =>
		emulator.rest.seedContacts(
			Array.from({ length: 230 }, (_, i) => ({ email: `c${i}@example.com`, status: i % 10 === 0 ? 'UNSUBSCRIBED' : 'SUBSCRIBED' })),
		),
	);

	it('returns all contacts across pages of 100, each paired with the input item', async () => {
		const output = await run({
			items: [{}],
			parameters: contact({ operation: 'getMany', returnAll: true, filters: { sort: 'createdAt.asc' } }),
		});
		expect(output).toHaveLength(230);
		expect(output[0].json.properties).toMatchObject({ email: 'c0@example.com' });
		expect(output[229].json.properties).toMatchObject({ email: 'c229@example.com' });
		expect(output.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(rest().map((r) => new URL(r.path, 'http://x').pathname)).toEqual(['/v1/contacts', '/v1/contacts', '/v1/contacts']);
	});

	it('stops at the limit, asking only for what is still missing', async () => {
		const output = await run({ items: [{}], parameters: contact({ operation: 'getMany', returnAll: false, limit: 120 }) });
		expect(output).toHaveLength(120);
		expect(output[0].json.properties).toMatchObject({ email: 'c229@example.com' });
		expect(rest()).toHaveLength(2);
	});

	it('filters by status and search', async () => {
		const output = await run({
			items: [{}],
			parameters: contact({ operation: 'getMany', returnAll: true, filters: { status: 'UNSUBSCRIBED', search: 'c1' } }),
		});
		// c1x… and c1xx… with an index divisible by ten: c10, c100, c110, …, c190
		expect(output.map((i) => (i.json.properties as IDataObject).email).sort()).toEqual(
			['c10', 'c100', 'c110', 'c120', 'c130', 'c140', 'c150', 'c160', 'c170', 'c180', 'c190'].map((e) => `${e}@example.com`).sort(),
		);
	});

	it('retries a page that failed without fetching the earlier pages again', async () => {
		// The second page (the first one asked for with a cursor) fails once.
		emulator.addFaults([{ path: 'GET /v1/contacts?limit=100&cursor=', status: 503, times: 1 }]);
		const output = await run({
			items: [{}],
			parameters: contact({ operation: 'getMany', returnAll: true, options: { rateLimit: 0, maxRetryWait: 0.05 } }),
		});
		expect(output).toHaveLength(230);
		expect(rest().map((r) => r.status)).toEqual([200, 503, 200, 200]);
		expect(new Set(output.map((item) => item.json.id)).size).toBe(230);
	});

	it('reports a page that fails for good with its own attempts and advice', async () => {
		emulator.addFaults([{ path: 'GET /v1/contacts?limit=100&cursor=', status: 503, times: 3 }]);
		const error = await runExpectingError({
			items: [{}],
			parameters: contact({ operation: 'getMany', returnAll: true, options: { rateLimit: 0, maxRetries: 2, maxRetryWait: 0.02 } }),
		});
		expect(error.message).toBe('SMASHSEND rejected item 0 (HTTP 503): Injected failure (after 3 attempts: HTTP 503, HTTP 503, HTTP 503)');
		expect(error.description).toContain('Gave up after 3 attempts');
		expect(rest().map((r) => r.status)).toEqual([200, 503, 503, 503]);
	});
});

describe('Event: Send', () => {
	const parameters = {
		resource: 'event',
		operation: 'send',
		event: 'order.completed',
		properties: (json: IDataObject) => JSON.stringify({ total: json.total }),
	};

	it('sends an event per item (Batch Size 1) with a messageId that a retry repeats, so SMASHSEND counts it once', async () => {
		emulator.addFaults([{ path: 'POST /v1/events', acceptThenFail: true, status: 502, email: 'ada@example.com' }]);
		const output = await run({
			items: [
				{ email: 'ada@example.com', total: 42 },
				{ email: 'bob@example.com', total: 7 },
			],
			parameters: { ...parameters, options: { rateLimit: 0, maxRetryWait: 0.05, batchSize: 1 } },
		});
		expect(emulator.rest.events).toHaveLength(2);
		expect(emulator.rest.events[0]).toMatchObject({
			event: 'order.completed',
			identify: { email: 'ada@example.com' },
			properties: { total: 42 },
		});
		const ada = rest().filter(
			(r) => (r.body as IDataObject).identify && ((r.body as IDataObject).identify as IDataObject).email === 'ada@example.com',
		);
		expect(ada).toHaveLength(2);
		expect((ada[0].body as IDataObject).messageId).toBe((ada[1].body as IDataObject).messageId);
		// SMASHSEND's answer to one event says nothing of duplicates (its SDK's type has no `duplicated`),
		// but an `info` the repeat carries is passed on.
		expect(output[0].json).toMatchObject({
			success: true,
			duplicated: null,
			info: 'An event with this messageId was already received',
			event: 'order.completed',
			email: 'ada@example.com',
		});
		expect(output[1].json).toMatchObject({ success: true, duplicated: null });
		expect(output[1].json).not.toHaveProperty('info');
	});

	it('uses the given Message ID and timestamp, and rejects a bad event name before sending', async () => {
		await run({
			items: [{ email: 'ada@example.com' }],
			parameters: {
				...parameters,
				additionalFields: { messageId: 'order-1001', timestamp: '2026-11-26T10:00:00Z', traits: '{"firstName":"Ada"}' },
			},
		});
		expect(emulator.rest.events[0]).toMatchObject({
			messageId: 'order-1001',
			timestamp: '2026-11-26T10:00:00.000Z',
			identify: { traits: { firstName: 'Ada' } },
		});

		const error = await runExpectingError({
			items: [{ email: 'ada@example.com' }],
			parameters: { ...parameters, event: 'order completed!' },
		});
		expect(error.message).toBe('Item 0 has an invalid event name "order completed!"');
		expect(emulator.rest.events).toHaveLength(1);
	});
});

describe('Email: Send', () => {
	it('sends an HTML email with an idempotency key that survives a retry', async () => {
		emulator.addFaults([{ path: 'POST /v1/emails', acceptThenFail: true, status: 504 }]);
		const output = await run({
			items: [{ email: 'ada@example.com', name: 'Ada' }],
			parameters: {
				resource: 'email',
				operation: 'send',
				to: (json: IDataObject) => json.email,
				content: 'raw',
				from: 'hello@shop.example',
				subject: (json: IDataObject) => `Hi ${json.name}`,
				html: '<p>Welcome</p>',
				additionalFields: { fromName: 'Shop', trackOpens: false },
				options: { rateLimit: 0, maxRetryWait: 0.05 },
			},
		});
		expect(emulator.rest.emails).toHaveLength(1);
		expect(emulator.rest.emails[0]).toMatchObject({
			to: 'ada@example.com',
			from: 'hello@shop.example',
			subject: 'Hi Ada',
			fromName: 'Shop',
			settings: { trackOpens: false, trackClicks: true },
		});
		expect(output[0].json).toMatchObject({ messageId: expect.stringMatching(/^eml_/), status: 'SENT', to: 'ada@example.com' });
		const keys = rest().map((r) => (r.body as IDataObject).idempotencyKey);
		expect(keys).toHaveLength(2);
		expect(keys[0]).toBe(keys[1]);
	});

	it('sends a template with variables, and reports an unknown template for its item', async () => {
		const template = {
			resource: 'email',
			operation: 'send',
			to: (json: IDataObject) => json.email,
			content: 'template',
			template: 'welcome',
			variables: '{"plan":"pro"}',
		};
		await run({ items: [{ email: 'ada@example.com' }], parameters: template });
		expect(emulator.rest.emails[0]).toMatchObject({ template: 'welcome', variables: { plan: 'pro' } });

		const error = await runExpectingError({ items: [{ email: 'ada@example.com' }], parameters: { ...template, template: 'nope' } });
		expect(error.message).toBe('SMASHSEND rejected item 0 (HTTP 404): Template nope not found');
	});
});

describe('rate limits', () => {
	it("waits out SMASHSEND's 429 and Retry-After: every contact is saved exactly once (one call per contact)", async () => {
		emulator.setRestRateLimit({ limit: 3, windowMs: 1000 });
		const items = Array.from({ length: 7 }, (_, i) => ({ email: `r${i}@example.com` }));
		const output = await run({
			items,
			parameters: contact({ operation: 'upsert', options: { rateLimit: 0, concurrency: 7, batchSize: 1 } }),
		});
		expect(output.every((i) => typeof i.json.id === 'string')).toBe(true);
		expect(emulator.rest.contacts).toHaveLength(7);
		expect(rest().some((r) => r.status === 429)).toBe(true);
		expect(rest().filter((r) => r.status === 201)).toHaveLength(7);
	});

	it('keeps to its own rate limit without any 429 (600 per minute: 10 calls take at least 0.9 s)', async () => {
		const items = Array.from({ length: 10 }, (_, i) => ({ email: `p${i}@example.com` }));
		await run({ items, parameters: contact({ operation: 'upsert', options: { rateLimit: 600, concurrency: 10, batchSize: 1 } }) });
		const times = rest().map((r) => r.receivedAt);
		expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(850);
	});
});

describe('Custom Properties picker (load options)', () => {
	const loadOptionsContext = (apiKey: string, baseUrl = emulator.url) => {
		const credentials = { apiKey, baseUrl };
		const authenticate = new SmashsendApi().authenticate;
		return {
			getNode: () => TEST_NODE,
			getCredentials: async () => credentials,
			helpers: { httpRequestWithAuthentication: authenticatedHttpRequest(authenticate, credentials) },
		} as unknown as ILoadOptionsFunctions;
	};

	it("lists the workspace's custom properties by name, with their slug and type", async () => {
		const options = await getCustomProperties.call(loadOptionsContext(VIEWER));
		expect(options.map((o) => o.name)).toEqual(['Interests', 'Newsletter', 'Plan', 'Renewal date', 'Seats', 'Signup source']);
		expect(options.find((o) => o.value === 'plan')?.description).toBe('plan · select: free, pro, team');
	});

	it("says why when SMASHSEND cannot be reached, without n8n's raw error (which carries the key)", async () => {
		const error = await getCustomProperties.call(loadOptionsContext(EDITOR, 'http://127.0.0.1:1')).then(
			() => undefined,
			(e: Error) => e,
		);
		expect(error?.message).toBe('SMASHSEND did not list the custom properties: the connection was refused');
		expect((error as Error & { description?: string }).description).toContain('ECONNREFUSED');
		expect(leakedSecrets(error, [EDITOR, 'Bearer'])).toEqual([]);
	});

	it('says why when SMASHSEND refuses', async () => {
		await expect(getCustomProperties.call(loadOptionsContext('sk_live_wrong'))).rejects.toThrow(
			'SMASHSEND did not list the custom properties (HTTP 401): Invalid API key',
		);
	});
});
