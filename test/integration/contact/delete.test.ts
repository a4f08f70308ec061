import { useRestEmulator } from '../../support/restEmulator';
import { locator, restNode, seedContacts } from '../../support/restNode';

/**
 * Contact → Delete: by ID and by email.
 */

const emulator = useRestEmulator();
const { run } = restNode(emulator);
const { run: runV2 } = restNode(emulator, { typeVersion: 2, parameters: { resource: 'contact' } });
const seed = async (people: Array<{ email: string; firstName?: string; lastName?: string }>) => seedContacts(emulator, people);
const rest = () => emulator.received.filter((r) => r.path.startsWith('/v1/'));
const contact = (parameters: Record<string, unknown>) => ({ resource: 'contact', ...parameters });

describe('Contact: Delete', () => {
	beforeEach(() => emulator.rest.seedContacts([{ email: 'ada@example.com', firstName: 'Ada' }, { email: 'bob@example.com' }]));
	const idOf = (email: string) => emulator.rest.contacts.find((c) => c.properties.email === email)?.id;

	it('deletes by email and by ID', async () => {
		const [byEmail] = await run({ items: [{ email: 'ada@example.com' }], parameters: contact({ operation: 'delete', deleteBy: 'email' }) });
		expect(byEmail.json).toMatchObject({ isDeleted: true, properties: { email: 'ada@example.com' } });
		const [byId] = await run({
			items: [{}],
			parameters: contact({ operation: 'delete', deleteBy: 'id', contactId: idOf('bob@example.com') }),
		});
		expect(byId.json.isDeleted).toBe(true);
		expect(emulator.rest.contacts).toHaveLength(0);
		expect(rest().map((r) => r.path)).toEqual(['/v1/contacts/by-email/ada%40example.com', expect.stringMatching(/^\/v1\/contacts\/ctc_/)]);
	});
});

describe('Contact: Delete (version 2)', () => {
	it('Delete by email uses SMASHSEND’s by-email endpoint (no lookup); by ID its id', async () => {
		const ids = await seed([{ email: 'ada@example.com' }, { email: 'grace@example.com' }]);
		await runV2({ items: [{}], parameters: { operation: 'delete', contact: locator('email', 'ada@example.com') } });
		await runV2({ items: [{}], parameters: { operation: 'delete', contact: locator('id', ids.get('grace@example.com')) } });
		expect(emulator.received.filter((r) => r.method !== 'POST').map((r) => `${r.method} ${r.path}`)).toEqual([
			'DELETE /v1/contacts/by-email/ada%40example.com',
			`DELETE /v1/contacts/${String(ids.get('grace@example.com'))}`,
		]);
		expect(emulator.rest.contacts).toHaveLength(0);
	});
});
