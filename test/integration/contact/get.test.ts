import { type IDataObject } from 'n8n-workflow';

import { useRestEmulator } from '../../support/restEmulator';
import { json, locator, restNode, seedContacts } from '../../support/restNode';

/**
 * Contact → Get: by ID (version 1), from the Contact locator (version 2), by email, and Simplify.
 */

const emulator = useRestEmulator();
const { run, failure: runExpectingError } = restNode(emulator);
const { run: runV2, failure: failV2 } = restNode(emulator, { typeVersion: 2, parameters: { resource: 'contact' } });
const seed = async (people: Array<{ email: string; firstName?: string; lastName?: string }>) => seedContacts(emulator, people);
const contact = (parameters: Record<string, unknown>) => ({ resource: 'contact', ...parameters });

describe('Contact: Get', () => {
	beforeEach(() => emulator.rest.seedContacts([{ email: 'ada@example.com', firstName: 'Ada' }, { email: 'bob@example.com' }]));
	const idOf = (email: string) => emulator.rest.contacts.find((c) => c.properties.email === email)?.id;

	it('gets a contact by ID, and names the item whose ID SMASHSEND does not know', async () => {
		const [found] = await run({
			items: [{ id: idOf('ada@example.com') }],
			parameters: contact({ operation: 'get', contactId: (json: IDataObject) => json.id }),
		});
		expect(found.json.properties).toMatchObject({ email: 'ada@example.com' });

		const error = await runExpectingError({ items: [{}], parameters: contact({ operation: 'get', contactId: 'ctc_missing' }) });
		expect(error.message).toBe('SMASHSEND rejected the item: Contact not found [item 0]');
		expect(error.httpCode).toBe('404');
		expect(error.description).toContain('check the ID or email');
	});
});

describe('Contact: Get (version 2)', () => {
	it('Get by ID (as from the list) outputs a flat contact; with Simplify off, SMASHSEND’s answer', async () => {
		const ids = await seed([{ email: 'ada@example.com', firstName: 'Ada' }]);
		const id = ids.get('ada@example.com');
		for (const mode of ['list', 'id']) {
			const [flat] = json(await runV2({ items: [{}], parameters: { operation: 'get', contact: locator(mode, id) } }));
			expect(flat).toMatchObject({ id, email: 'ada@example.com', firstName: 'Ada' });
			expect(flat.properties).toBeUndefined();
			expect(Object.keys(flat).slice(0, 2)).toEqual(['id', 'email']);
		}
		const [raw] = json(await runV2({ items: [{}], parameters: { operation: 'get', contact: locator('id', id), simplify: false } }));
		expect(raw).toMatchObject({ id, properties: { email: 'ada@example.com', firstName: 'Ada' } });
	});

	it('Get by email makes one call, the search whose answer holds the contact; an unknown email fails that item alone', async () => {
		await seed([{ email: 'ada@example.com' }]);
		const output = await runV2({
			items: [{ email: 'ada@example.com' }, { email: 'nobody@example.com' }],
			continueOnFail: true,
			parameters: { operation: 'get', contact: locator('email', (item: IDataObject) => item.email) },
		});
		expect(output[0].json).toMatchObject({ email: 'ada@example.com', id: emulator.rest.contacts[0].id });
		expect(output[1].json.error).toBe('SMASHSEND has no contact with the email nobody@example.com [item 1]');
		expect(output[1].json.errorDescription).toContain('Find by Email');
		expect(emulator.received.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual(['/v1/contacts/search', '/v1/contacts/search']);
	});

	it('a contact ID that could change the request path fails the item with what to do; an empty pick says nothing was picked', async () => {
		const bad = await failV2({ items: [{}], parameters: { operation: 'get', contact: locator('id', '../webhooks') } });
		expect(bad.message).toBe(`'Contact' is not a valid contact ID: "../webhooks" [item 0]`);
		expect(bad.description).toContain('A contact ID holds no spaces, slashes');
		const empty = await failV2({ items: [{}], parameters: { operation: 'get', contact: locator('list', '') } });
		expect(empty.message).toBe("No contact picked from the list in 'Contact' [item 0]");
		expect(emulator.received.filter((r) => r.path.startsWith('/v1/contacts'))).toHaveLength(0);
	});

	it('version 1 keeps Contact ID as text and SMASHSEND’s answer as it is', async () => {
		const ids = await seed([{ email: 'ada@example.com' }]);
		const [got] = json(
			await runV2({ typeVersion: 1, items: [{}], parameters: { operation: 'get', contactId: ids.get('ada@example.com') } }),
		);
		expect(got).toMatchObject({ id: ids.get('ada@example.com'), properties: { email: 'ada@example.com' } });
	});
});
