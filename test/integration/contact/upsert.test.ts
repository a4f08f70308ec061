import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { useRestEmulator, UUID } from '../../support/restEmulator';
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
