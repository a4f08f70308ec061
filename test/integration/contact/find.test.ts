import { useRestEmulator } from '../../support/restEmulator';
import { json, restNode, seedContacts } from '../../support/restNode';

/**
 * Contact → Find by Email.
 */

const emulator = useRestEmulator();
const { run } = restNode(emulator);
const { run: runV2 } = restNode(emulator, { typeVersion: 2, parameters: { resource: 'contact' } });
const seed = async (people: Array<{ email: string; firstName?: string; lastName?: string }>) => seedContacts(emulator, people);
const contact = (parameters: Record<string, unknown>) => ({ resource: 'contact', ...parameters });

describe('Contact: Find by Email', () => {
	beforeEach(() => emulator.rest.seedContacts([{ email: 'ada@example.com', firstName: 'Ada' }, { email: 'bob@example.com' }]));
	const idOf = (email: string) => emulator.rest.contacts.find((c) => c.properties.email === email)?.id;

	it('finds by email with found: true, and outputs found: false for an unknown email', async () => {
		const output = await run({
			items: [{ email: ' ada@example.com ' }, { email: 'nobody@example.com' }],
			parameters: contact({ operation: 'find' }),
		});
		expect(output[0].json).toMatchObject({ found: true, id: idOf('ada@example.com') });
		expect(output[1].json).toEqual({ found: false, email: 'nobody@example.com' });
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});
});

describe('Contact: Find by Email and Get Many (version 2)', () => {
	it('Find and Get Many are simplified by default', async () => {
		await seed([{ email: 'ada@example.com', firstName: 'Ada' }]);
		const [found] = json(await runV2({ items: [{ email: 'ada@example.com' }], parameters: { operation: 'find' } }));
		expect(found).toMatchObject({ found: true, email: 'ada@example.com', firstName: 'Ada' });
		expect(found.properties).toBeUndefined();
		const listed = json(await runV2({ items: [{}], parameters: { operation: 'getMany', returnAll: true } }));
		expect(listed).toEqual([expect.objectContaining({ email: 'ada@example.com', firstName: 'Ada' })]);
		expect(listed[0].properties).toBeUndefined();
	});
});
