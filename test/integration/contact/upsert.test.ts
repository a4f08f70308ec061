import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { CONTACT_ID, useRestEmulator } from '../../support/restEmulator';
import { EDITOR, restNode } from '../../support/restNode';

/**
 * Contact → Create or Update, one call per item (the batches: runner/batches.test.ts).
 */

const emulator = useRestEmulator();
const { run, failure: runExpectingError } = restNode(emulator);
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
			id: expect.stringMatching(CONTACT_ID),
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
		expect(error.message).toContain('The custom property "shoeSize" is not in this SMASHSEND workspace [item 0]');
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
		expect(output[0].json.id).toMatch(CONTACT_ID);
		expect(output[1].json.error).toContain('[item 1]');
		expect(output[2].json.error).toBe(`The custom property "seats" in 'Custom Properties' needs a number, not "many" [item 2]`);
		expect(emulator.rest.contacts.map((c) => c.properties.email)).toEqual(['a@example.com']);
	});

	it("shows SMASHSEND's validation message with the item index", async () => {
		const error = await runExpectingError({
			items: [{ email: 'a@example.com' }],
			parameters: contact({ operation: 'upsert', contactFields: { countryCode: 'France' } }),
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('SMASHSEND rejected the item: countryCode must be an ISO 3166-1 alpha-2 code such as US or FR [item 0]');
		expect(error.httpCode).toBe('400');
	});
});

describe('Contact: Create or Update with Created At (an import that keeps its dates)', () => {
	it("keeps each contact's own date: through SMASHSEND's import with overrideCreatedAt, even for one item", async () => {
		const [item] = await run({
			items: [{ email: 'ada@example.com', since: '2021-03-04' }],
			parameters: contact({ operation: 'upsert', contactFields: { createdAt: (json: IDataObject) => json.since } }),
		});
		const [call] = rest().filter((r) => r.method === 'POST');
		expect(call.path).toBe('/v1/contacts/batch');
		expect(new URLSearchParams(call.query).get('overrideCreatedAt')).toBe('true');
		expect(call.body).toEqual({ contacts: [{ properties: { email: 'ada@example.com', createdAt: '2021-03-04T00:00:00.000Z' } }] });
		expect(emulator.rest.contacts[0].createdAt).toBe('2021-03-04T00:00:00.000Z');
		expect(item.json).toMatchObject({ createdAt: '2021-03-04T00:00:00.000Z', properties: { email: 'ada@example.com' } });
	});

	it('in batches, asks for overrideCreatedAt only when an item has a date; an item whose date is not one fails alone, before sending', async () => {
		const output = await run({
			items: [
				{ email: 'a@example.com', since: '2020-01-01T10:00:00Z' },
				{ email: 'b@example.com', since: 'last spring' },
				{ email: 'c@example.com', since: '' },
			],
			parameters: contact({ operation: 'upsert', contactFields: { createdAt: (json: IDataObject) => json.since || undefined } }),
			continueOnFail: true,
		});
		expect(output[1].json.error).toContain(`'Created At' is not a date: "last spring" [item 1]`);
		// The dated item and the undated one in calls of their own: only the dated call keeps dates.
		const batch = rest().filter((r) => r.path === '/v1/contacts/batch');
		expect(batch.map((r) => new URLSearchParams(r.query).get('overrideCreatedAt'))).toEqual(['true', null]);
		const byEmail = new Map(emulator.rest.contacts.map((c) => [c.properties.email, c]));
		expect(byEmail.get('a@example.com')?.createdAt).toBe('2020-01-01T10:00:00.000Z');
		expect(byEmail.get('c@example.com')?.createdAt).not.toBe('2020-01-01T10:00:00.000Z');
		expect(byEmail.has('b@example.com')).toBe(false);
		// Without any date, the batch call does not ask to keep dates.
		emulator.reset();
		await run({ items: [{ email: 'd@example.com' }, { email: 'e@example.com' }], parameters: contact({ operation: 'upsert' }) });
		expect(new URLSearchParams(rest().find((r) => r.path === '/v1/contacts/batch')?.query).has('overrideCreatedAt')).toBe(false);
	});

	it('sends items with and without a date in calls of their own: only the dated ones ask SMASHSEND to keep dates', async () => {
		await run({
			items: [
				{ email: 'a@example.com', since: '2020-01-01' },
				{ email: 'b@example.com' },
				{ email: 'c@example.com', since: 1577923200 },
				{ email: 'd@example.com' },
			],
			parameters: contact({ operation: 'upsert', contactFields: { createdAt: (json: IDataObject) => json.since } }),
		});
		const calls = rest().filter((r) => r.method === 'POST');
		expect(
			calls.map((r) => [
				r.path,
				new URLSearchParams(r.query).get('overrideCreatedAt'),
				(r.body as { contacts: IDataObject[] }).contacts.length,
			]),
		).toEqual([
			['/v1/contacts/batch', 'true', 2],
			['/v1/contacts/batch', null, 2],
		]);
		const byEmail = new Map(emulator.rest.contacts.map((c) => [c.properties.email, c.createdAt]));
		expect(byEmail.get('c@example.com')).toBe('2020-01-02T00:00:00.000Z');
	});
});
