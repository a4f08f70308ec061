import { type IDataObject } from 'n8n-workflow';

import { retryOnFailMemory } from '../../../nodes/Smashsend/delivery/retryOnFailMemory';
import { useRestEmulator } from '../../support/restEmulator';
import { VIEWER, json, locator, restNode, seedContacts } from '../../support/restNode';

/**
 * Contact → Update: by ID, by email (looked up first, once per email), under Stop Workflow and Retry On Fail.
 */

const emulator = useRestEmulator();
const { run, failure: runExpectingError } = restNode(emulator);
const { run: runV2, failure: failV2 } = restNode(emulator, { typeVersion: 2, parameters: { resource: 'contact' } });
const seed = async (people: Array<{ email: string; firstName?: string; lastName?: string }>) => seedContacts(emulator, people);
const contact = (parameters: Record<string, unknown>) => ({ resource: 'contact', ...parameters });

describe('Contact: Update', () => {
	beforeEach(() => emulator.rest.seedContacts([{ email: 'ada@example.com', firstName: 'Ada' }, { email: 'bob@example.com' }]));
	const idOf = (email: string) => emulator.rest.contacts.find((c) => c.properties.email === email)?.id;

	it('updates fields by ID and refuses an update that changes nothing', async () => {
		const id = idOf('ada@example.com');
		const [updated] = await run({
			items: [{}],
			parameters: contact({ operation: 'update', contactId: id, contactFields: { lastName: 'Lovelace', status: 'UNSUBSCRIBED' } }),
		});
		expect(updated.json.properties).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', status: 'UNSUBSCRIBED' });

		const error = await runExpectingError({ items: [{}], parameters: contact({ operation: 'update', contactId: id }) });
		expect(error.message).toContain('Nothing to update: no contact field or custom property is set [item 0]');
	});

	it('tells a VIEWER key that the operation needs an EDITOR key', async () => {
		const error = await runExpectingError({
			items: [{ email: 'ada@example.com' }],
			parameters: contact({ operation: 'delete', deleteBy: 'email' }),
			apiKey: VIEWER,
		});
		expect(error.httpCode).toBe('403');
		expect(error.description).toContain('Use an EDITOR key');
		expect(emulator.rest.contacts).toHaveLength(2);
	});
});

describe('Contact: Update (version 2)', () => {
	it('Get and Update by email look the contact up first; an unknown email fails that item alone', async () => {
		const ids = await seed([{ email: 'ada@example.com' }, { email: 'grace@example.com' }]);
		const items = [{ email: 'ada@example.com' }, { email: 'nobody@example.com' }, { email: 'grace@example.com' }];
		const output = await runV2({
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
			expect.stringContaining('SMASHSEND has no contact with the email nobody@example.com [item 1]'),
			'Located',
		]);
		const puts = emulator.received.filter((r) => r.method === 'PUT').map((r) => r.path);
		expect(puts).toEqual([`/v1/contacts/${String(ids.get('ada@example.com'))}`, `/v1/contacts/${String(ids.get('grace@example.com'))}`]);
		const [got] = json(await runV2({ items: [{}], parameters: { operation: 'get', contact: locator('email', 'grace@example.com') } }));
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
		// One at a time: lookups already on their way when an item fails are not called back.
		const stopped = await failV2({ items, parameters: { ...parameters, options: { rateLimit: 0, concurrency: 1 } } });
		expect(stopped.message).toBe('SMASHSEND has no contact with the email nobody@example.com [item 0]');
		expect(stopped.description).toContain('Nothing was sent to SMASHSEND: fix this item');
		expect(stopped.description).toContain('(3 items that needed a lookup were not looked up.)');
		// One lookup (the bad item's), not four: nothing would be sent anyway.
		expect(emulator.received.filter((r) => r.path === '/v1/contacts/search')).toHaveLength(1);
		expect(emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(0);

		emulator.reset();
		emulator.setRestRateLimit({ limit: 0, windowMs: 1000 });
		emulator.addFaults([{ path: 'GET /v1/contacts/search', status: 503 }]);
		const unanswered = await failV2({
			items: [{ email: 'ada@example.com' }],
			parameters: { ...parameters, options: { rateLimit: 0, maxRetries: 0 } },
		});
		expect(unanswered.message).toMatch(/^SMASHSEND did not look up the contact ada@example\.com: .* \[item 0\]$/);
		expect(unanswered.description).toContain('Once the lookup works');
		expect(unanswered.description).not.toContain('fix this item');
	});

	it('looks contacts up as many at once as Concurrency allows', async () => {
		const people = Array.from({ length: 6 }, (_, i) => ({ email: `p${i}@example.com` }));
		await seed(people);
		// Each call takes a second: one after another, the third lookup would start two seconds after the first.
		emulator.setLatency(1000);
		try {
			const output = await runV2({
				items: people,
				parameters: {
					operation: 'update',
					contact: locator('email', (item: IDataObject) => item.email),
					contactFields: { lastName: 'Concurrent' },
					options: { rateLimit: 0, concurrency: 3 },
				},
			});
			expect(output.map((item) => (item.json.properties as IDataObject).lastName)).toEqual(people.map(() => 'Concurrent'));
		} finally {
			emulator.setLatency(0);
		}
		const lookups = emulator.received.filter((r) => r.path === '/v1/contacts/search').map((r) => r.receivedAt);
		expect(lookups).toHaveLength(6);
		expect(lookups[2] - lookups[0]).toBeLessThan(1000);
	});

	it('under Stop Workflow, a bad item anywhere stops the node before any email is looked up', async () => {
		await seed([{ email: 'ada@example.com' }, { email: 'grace@example.com' }]);
		// The bad item is the last: before, every email up to it was looked up first (600 items: ten minutes at 60 a minute).
		const items = [{ email: 'ada@example.com' }, { email: 'grace@example.com' }, { email: 'not an address' }];
		const stopped = await failV2({
			items,
			parameters: { operation: 'update', contact: locator('email', (item: IDataObject) => item.email), contactFields: { lastName: 'X' } },
		});
		expect(stopped.message).toContain(`The email in 'Contact (By Email)' is not a valid address: "not an address" [item 2]`);
		expect(stopped.description).toContain('(2 items that needed a lookup were not looked up.)');
		expect(emulator.received.filter((r) => r.path === '/v1/contacts/search' || r.method === 'PUT')).toHaveLength(0);
	});

	it('under Stop Workflow, with every item good, looks each email up once and updates each contact', async () => {
		await seed([{ email: 'ada@example.com' }, { email: 'grace@example.com' }]);
		const output = await runV2({
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
		const first = await runV2(options).catch((error: Error) => error);
		expect(first).toBeInstanceOf(Error);
		// What the memory keeps of each contact looked up is its id alone, not the whole contact.
		const runs = (retryOnFailMemory as unknown as { runs: Map<string, { calls: Map<string, { value?: unknown[] }> }> }).runs;
		const kept = [...runs.entries()]
			.filter(([id]) => id.startsWith('retry-update-by-email'))
			.flatMap(([, run]) => [...run.calls.values()].flatMap((call) => call.value ?? []))
			.filter((value) => (value as IDataObject).contact !== undefined);
		expect(kept).toEqual([{ contact: { id: expect.any(String) } }, { contact: { id: expect.any(String) } }]);
		const second = await runV2(options);
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
		const first = await runV2(options).catch((error: Error) => error);
		expect((first as Error).message).toContain('SMASHSEND has no contact with the email late@example.com');
		// Created meanwhile (by another branch, say): the next try finds it.
		await seed([{ email: 'late@example.com' }]);
		const [second] = await runV2(options);
		expect((second.json.properties as IDataObject).lastName).toBe('Found');
		expect(emulator.received.filter((r) => r.path === '/v1/contacts/search')).toHaveLength(2);
	});

	it('Update looks each email up once per execution, however many items name it', async () => {
		await seed([{ email: 'ada@example.com' }]);
		const items = [{ email: 'ada@example.com' }, { email: 'ADA@example.com' }, { email: 'ada@example.com' }];
		const output = await runV2({
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
});
