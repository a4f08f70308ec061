import type { IDataObject, ILoadOptionsFunctions, INodeExecutionData } from 'n8n-workflow';

import { SmashsendApi } from '../../credentials/SmashsendApi.credentials';
import { Smashsend } from '../../nodes/Smashsend/Smashsend.node';
import { searchContacts } from '../../nodes/Smashsend/methods/listSearch';
import { executeContext, TEST_NODE, type ContextOptions } from '../support/executeContext';
import { authenticatedHttpRequest } from '../support/n8nHttp';
import { leakedSecrets } from '../support/secrets';
import { useRestEmulator } from '../support/restEmulator';

/**
 * Node version 2 against the emulator over HTTP: the Contact picker's list, the Contact
 * locator's three modes, and Simplify. Version 1's parameters keep working (see
 * restResources.test.ts, which runs version 1).
 */

const EDITOR = 'sk_live_emulator_editor';
const emulator = useRestEmulator();

const credentials = (apiKey = EDITOR, baseUrl = `${emulator.url}/v1/`) => ({ apiKey, baseUrl });

async function run(options: Omit<ContextOptions, 'credentials'> & { typeVersion?: number }): Promise<INodeExecutionData[]> {
	const creds = credentials();
	const context = executeContext({
		typeVersion: 2,
		...options,
		parameters: { resource: 'contact', options: { rateLimit: 0 }, ...options.parameters },
		credentials: creds,
		httpRequestWithAuthentication: authenticatedHttpRequest(new SmashsendApi().authenticate, creds),
	});
	const [output] = await new Smashsend().execute.call(context);
	return output;
}

async function failure(options: Parameters<typeof run>[0]): Promise<Error & { description?: string }> {
	return await run(options).then(
		() => {
			throw new Error('expected the node to throw');
		},
		(error: Error & { description?: string }) => error,
	);
}

/** Creates contacts through the emulator's API; returns their ids by email. */
async function seed(people: Array<{ email: string; firstName?: string; lastName?: string }>): Promise<Map<string, string>> {
	const ids = new Map<string, string>();
	for (const person of people) {
		const response = await fetch(`${emulator.url}/v1/contacts`, {
			method: 'POST',
			headers: { authorization: `Bearer ${EDITOR}`, 'content-type': 'application/json' },
			body: JSON.stringify({ properties: person }),
		});
		const body = (await response.json()) as { contact: { id: string } };
		ids.set(person.email, body.contact.id);
	}
	return ids;
}

const locator = (mode: string, value: unknown) => ({ __rl: true, mode, value });
const json = (items: INodeExecutionData[]) => items.map((item) => item.json);

describe('Contact picker (list search)', () => {
	const pickerContext = (apiKey = EDITOR, baseUrl = `${emulator.url}/v1/`) => {
		const creds = { apiKey, baseUrl };
		return {
			getNode: () => ({ ...TEST_NODE, typeVersion: 2 }),
			getCredentials: async () => creds,
			helpers: { httpRequestWithAuthentication: authenticatedHttpRequest(new SmashsendApi().authenticate, creds) },
		} as unknown as ILoadOptionsFunctions;
	};

	it('lists contacts by email and name, newest first, and searches them', async () => {
		const ids = await seed([
			{ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
			{ email: 'grace@example.com', firstName: 'Grace' },
			{ email: 'nameless@example.com' },
		]);
		const all = await searchContacts.call(pickerContext());
		expect(all.results).toEqual([
			{ name: 'nameless@example.com', value: ids.get('nameless@example.com') },
			{ name: 'grace@example.com (Grace)', value: ids.get('grace@example.com') },
			{ name: 'ada@example.com (Ada Lovelace)', value: ids.get('ada@example.com') },
		]);
		expect(all.paginationToken).toBeUndefined();
		const found = await searchContacts.call(pickerContext(), 'lovelace');
		expect(found.results.map((r) => r.name)).toEqual(['ada@example.com (Ada Lovelace)']);
	});

	it('pages through many contacts as the user scrolls', async () => {
		await seed(Array.from({ length: 60 }, (_, i) => ({ email: `p${i}@example.com` })));
		const first = await searchContacts.call(pickerContext());
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toEqual(expect.any(String));
		const second = await searchContacts.call(pickerContext(), undefined, first.paginationToken as string);
		expect(second.results).toHaveLength(10);
		expect(second.paginationToken).toBeUndefined();
		expect(new Set([...first.results, ...second.results].map((r) => r.value)).size).toBe(60);
	});

	it('says why in the dropdown when the key is refused or SMASHSEND cannot be reached, without the key', async () => {
		await expect(searchContacts.call(pickerContext('sk_live_wrong'))).rejects.toThrow(
			'SMASHSEND did not list the contacts (HTTP 401): Invalid API key',
		);
		const error = await searchContacts.call(pickerContext(EDITOR, 'http://127.0.0.1:1')).then(
			() => undefined,
			(e: Error & { description?: string }) => e,
		);
		expect(error?.message).toBe('SMASHSEND did not list the contacts: the connection was refused');
		expect(error?.description).toContain('ECONNREFUSED');
		expect(leakedSecrets(error, [EDITOR, 'Bearer'])).toEqual([]);
	});
});

describe('Contact locator and Simplify (version 2)', () => {
	it('Get by ID (as from the list) outputs a flat contact; with Simplify off, SMASHSEND’s answer', async () => {
		const ids = await seed([{ email: 'ada@example.com', firstName: 'Ada' }]);
		const id = ids.get('ada@example.com');
		for (const mode of ['list', 'id']) {
			const [flat] = json(await run({ items: [{}], parameters: { operation: 'get', contact: locator(mode, id) } }));
			expect(flat).toMatchObject({ id, email: 'ada@example.com', firstName: 'Ada' });
			expect(flat.properties).toBeUndefined();
			expect(Object.keys(flat).slice(0, 2)).toEqual(['id', 'email']);
		}
		const [raw] = json(await run({ items: [{}], parameters: { operation: 'get', contact: locator('id', id), simplify: false } }));
		expect(raw).toMatchObject({ id, properties: { email: 'ada@example.com', firstName: 'Ada' } });
	});

	it('Get and Update by email look the contact up first; an unknown email fails that item alone', async () => {
		const ids = await seed([{ email: 'ada@example.com' }, { email: 'grace@example.com' }]);
		const items = [{ email: 'ada@example.com' }, { email: 'nobody@example.com' }, { email: 'grace@example.com' }];
		const output = await run({
			items,
			continueOnFail: true,
			parameters: {
				operation: 'update',
				contact: locator('email', (item: IDataObject) => item.email),
				contactFields: { lastName: 'Located' },
			},
		});
		expect(output.map((item) => (item.json.properties as IDataObject | undefined)?.lastName ?? item.json.error)).toEqual([
			'Located',
			expect.stringContaining('Item 1: SMASHSEND has no contact with the email nobody@example.com'),
			'Located',
		]);
		const puts = emulator.received.filter((r) => r.method === 'PUT').map((r) => r.path);
		expect(puts).toEqual([`/v1/contacts/${String(ids.get('ada@example.com'))}`, `/v1/contacts/${String(ids.get('grace@example.com'))}`]);
		const [got] = json(await run({ items: [{}], parameters: { operation: 'get', contact: locator('email', 'grace@example.com') } }));
		expect(got).toMatchObject({ id: ids.get('grace@example.com'), email: 'grace@example.com' });
	});

	it('under Stop Workflow, looks up no more emails once an item has failed, and says a failed lookup is no fault of the data', async () => {
		await seed([{ email: 'ada@example.com' }]);
		const items = ['nobody@example.com', 'ada@example.com', 'b@example.com', 'c@example.com'].map((email) => ({ email }));
		const parameters = {
			operation: 'update',
			contact: locator('email', (item: IDataObject) => item.email),
			contactFields: { lastName: 'X' },
		};
		const stopped = await failure({ items, parameters });
		expect(stopped.message).toBe('Item 0: SMASHSEND has no contact with the email nobody@example.com');
		expect(stopped.description).toContain('Nothing was sent to SMASHSEND: fix this item');
		expect(stopped.description).toContain('(3 items that needed a lookup were not looked up.)');
		// One lookup (the bad item's), not four: nothing would be sent anyway.
		expect(emulator.received.filter((r) => r.path === '/v1/contacts/search')).toHaveLength(1);
		expect(emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(0);

		emulator.reset();
		emulator.setRestRateLimit({ limit: 0, windowMs: 1000 });
		emulator.addFaults([{ path: 'GET /v1/contacts/search', status: 503 }]);
		const unanswered = await failure({
			items: [{ email: 'ada@example.com' }],
			parameters: { ...parameters, options: { rateLimit: 0, maxRetries: 0 } },
		});
		expect(unanswered.message).toContain('Item 0: SMASHSEND did not look up the contact ada@example.com (HTTP 503');
		expect(unanswered.description).toContain('Once the lookup works');
		expect(unanswered.description).not.toContain('fix this item');
	});

	it('under Stop Workflow, a bad item anywhere stops the node before any email is looked up', async () => {
		await seed([{ email: 'ada@example.com' }, { email: 'grace@example.com' }]);
		// The bad item is the last: before, every email up to it was looked up first (600 items: ten minutes at 60 a minute).
		const items = [{ email: 'ada@example.com' }, { email: 'grace@example.com' }, { email: 'not an address' }];
		const stopped = await failure({
			items,
			parameters: { operation: 'update', contact: locator('email', (item: IDataObject) => item.email), contactFields: { lastName: 'X' } },
		});
		expect(stopped.message).toContain('Item 2 has an email in Contact (By Email) that is not a valid address');
		expect(stopped.description).toContain('(2 items that needed a lookup were not looked up.)');
		expect(emulator.received.filter((r) => r.path === '/v1/contacts/search' || r.method === 'PUT')).toHaveLength(0);
	});

	it('under Stop Workflow, with every item good, looks each email up once and updates each contact', async () => {
		await seed([{ email: 'ada@example.com' }, { email: 'grace@example.com' }]);
		const output = await run({
			items: [{ email: 'ada@example.com' }, { email: 'grace@example.com' }, { email: 'ada@example.com' }],
			parameters: {
				operation: 'update',
				contact: locator('email', (item: IDataObject) => item.email),
				contactFields: { lastName: 'Y' },
				customPropertyFields: { mappingMode: 'defineBelow', value: { seats: '4' } },
			},
		});
		expect(output.map((item) => (item.json.properties as IDataObject).seats)).toEqual([4, 4, 4]);
		expect(emulator.received.filter((r) => r.path === '/v1/contacts/search')).toHaveLength(2);
		expect(emulator.received.filter((r) => r.path === '/v1/contacts/properties')).toHaveLength(1);
	});

	it('Retry On Fail: an Update by email that changed the email is answered from memory on the next try, not looked up in vain', async () => {
		await seed([{ email: 'ada@example.com' }, { email: 'grace@example.com' }]);
		// Grace's update fails once (no retries inside the node): n8n's Retry On Fail runs the node again.
		emulator.addFaults([{ path: 'PUT /v1/contacts/', email: 'grace.new@example.com', status: 503 }]);
		const options = {
			items: [
				{ email: 'ada@example.com', next: 'ada.new@example.com' },
				{ email: 'grace@example.com', next: 'grace.new@example.com' },
			],
			retryOnFail: true,
			executionId: 'retry-update-by-email',
			runIndex: 0,
			parameters: {
				operation: 'update',
				contact: locator('email', (item: IDataObject) => item.email),
				contactFields: { email: (item: IDataObject) => item.next },
				options: { rateLimit: 0, maxRetries: 0, concurrency: 1 },
			},
		};
		const first = await run(options).catch((error: Error) => error);
		expect(first).toBeInstanceOf(Error);
		const second = await run(options);
		expect(second.map((item) => (item.json.properties as IDataObject).email)).toEqual(['ada.new@example.com', 'grace.new@example.com']);
		const sent = emulator.received.filter((r) => r.method === 'PUT');
		// Ada's update once (the second try answers it from memory), Grace's twice (refused, then done).
		expect(sent.map((r) => r.status)).toEqual([200, 503, 200]);
	});

	it('Retry On Fail looks again for a contact the earlier try did not find', async () => {
		const options = {
			items: [{ email: 'late@example.com' }],
			retryOnFail: true,
			executionId: 'retry-not-found',
			runIndex: 0,
			parameters: {
				operation: 'update',
				contact: locator('email', (item: IDataObject) => item.email),
				contactFields: { lastName: 'Found' },
			},
		};
		const first = await run(options).catch((error: Error) => error);
		expect((first as Error).message).toContain('SMASHSEND has no contact with the email late@example.com');
		// Created meanwhile (by another branch, say): the next try finds it.
		await seed([{ email: 'late@example.com' }]);
		const [second] = await run(options);
		expect((second.json.properties as IDataObject).lastName).toBe('Found');
		expect(emulator.received.filter((r) => r.path === '/v1/contacts/search')).toHaveLength(2);
	});

	it('Update looks each email up once per execution, however many items name it', async () => {
		await seed([{ email: 'ada@example.com' }]);
		const items = [{ email: 'ada@example.com' }, { email: 'ADA@example.com' }, { email: 'ada@example.com' }];
		const output = await run({
			items,
			parameters: { operation: 'update', contact: locator('email', (item: IDataObject) => item.email), contactFields: { city: 'Paris' } },
		});
		expect(output.map((item) => (item.json.properties as IDataObject).email)).toEqual([
			'ada@example.com',
			'ada@example.com',
			'ada@example.com',
		]);
		expect(emulator.received.filter((r) => r.path === '/v1/contacts/search')).toHaveLength(1);
		expect(emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(3);
	});

	it('Get by email makes one call, the search whose answer holds the contact; an unknown email fails that item alone', async () => {
		await seed([{ email: 'ada@example.com' }]);
		const output = await run({
			items: [{ email: 'ada@example.com' }, { email: 'nobody@example.com' }],
			continueOnFail: true,
			parameters: { operation: 'get', contact: locator('email', (item: IDataObject) => item.email) },
		});
		expect(output[0].json).toMatchObject({ email: 'ada@example.com', id: emulator.rest.contacts[0].id });
		expect(output[1].json.error).toBe('Item 1: SMASHSEND has no contact with the email nobody@example.com');
		expect(output[1].json.errorDescription).toContain('Find by Email');
		expect(emulator.received.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual(['/v1/contacts/search', '/v1/contacts/search']);
	});

	it('a contact ID that could change the request path fails the item with what to do; an empty pick says nothing was picked', async () => {
		const bad = await failure({ items: [{}], parameters: { operation: 'get', contact: locator('id', '../webhooks') } });
		expect(bad.message).toBe('Item 0 has an invalid contact ID "../webhooks"');
		expect(bad.description).toContain('A contact ID holds no spaces, slashes');
		const empty = await failure({ items: [{}], parameters: { operation: 'get', contact: locator('list', '') } });
		expect(empty.message).toBe('Item 0 has no contact picked from the list');
		expect(emulator.received.filter((r) => r.path.startsWith('/v1/contacts'))).toHaveLength(0);
	});

	it('Delete by email uses SMASHSEND’s by-email endpoint (no lookup); by ID its id', async () => {
		const ids = await seed([{ email: 'ada@example.com' }, { email: 'grace@example.com' }]);
		await run({ items: [{}], parameters: { operation: 'delete', contact: locator('email', 'ada@example.com') } });
		await run({ items: [{}], parameters: { operation: 'delete', contact: locator('id', ids.get('grace@example.com')) } });
		expect(emulator.received.filter((r) => r.method !== 'POST').map((r) => `${r.method} ${r.path}`)).toEqual([
			'DELETE /v1/contacts/by-email/ada%40example.com',
			`DELETE /v1/contacts/${String(ids.get('grace@example.com'))}`,
		]);
		expect(emulator.rest.contacts).toHaveLength(0);
	});

	it('Find and Get Many are simplified by default', async () => {
		await seed([{ email: 'ada@example.com', firstName: 'Ada' }]);
		const [found] = json(await run({ items: [{ email: 'ada@example.com' }], parameters: { operation: 'find' } }));
		expect(found).toMatchObject({ found: true, email: 'ada@example.com', firstName: 'Ada' });
		expect(found.properties).toBeUndefined();
		const listed = json(await run({ items: [{}], parameters: { operation: 'getMany', returnAll: true } }));
		expect(listed).toEqual([expect.objectContaining({ email: 'ada@example.com', firstName: 'Ada' })]);
		expect(listed[0].properties).toBeUndefined();
	});

	it('version 1 keeps Contact ID as text and SMASHSEND’s answer as it is', async () => {
		const ids = await seed([{ email: 'ada@example.com' }]);
		const [got] = json(await run({ typeVersion: 1, items: [{}], parameters: { operation: 'get', contactId: ids.get('ada@example.com') } }));
		expect(got).toMatchObject({ id: ids.get('ada@example.com'), properties: { email: 'ada@example.com' } });
	});
});
