import type { IDataObject } from 'n8n-workflow';

import { createEmulator } from '../../emulator/server';
import { selectedVersion } from '../../n8n-runtime/install';
import { N8nSession, packPackage } from '../../n8n-runtime/session';
import { apiCredential } from '../support/e2eCredentials';
import lastItemWins from './workflows/last-item-wins.workflow.json';

/**
 * The last item for a contact wins under what n8n itself does to a node (issue 37): Retry On Fail
 * with On Error set to continue (regular output, and the error output). Items [Ada "Old", Ada
 * "New", Bob]: Ada "Old" meets a 503 on the first try and fails there (no retries left), Ada "New"
 * goes through after it; n8n runs the node again because its first item failed, and the next try
 * sends both of Ada's items again, in order — not "Old" alone, which would land last.
 */

const emulator = createEmulator();
let session: InstanceType<typeof N8nSession>;

beforeAll(async () => {
	await emulator.start();
	session = new N8nSession();
	session.installPackage(packPackage());
	await session.importCredentials([apiCredential(emulator.url)]);
	await session.importWorkflow(lastItemWins);
});

afterAll(async () => {
	await session?.stop();
	await emulator.stop();
});

/** What SMASHSEND wrote for a contact, in order: the field each write set. */
const writes = (email: string, field: string) =>
	(emulator.rest.history ?? []).filter((write) => write.properties?.email === email).map((write) => write.properties?.[field]);

describe(`the last item for a contact wins in real n8n ${selectedVersion()}`, () => {
	it('Retry On Fail with On Error: Continue (Create or Update, Batch Size 1) and to the error output (Update by email)', async () => {
		emulator.reset();
		emulator.rest.seedContacts([{ email: 'ada+u@example.com' }, { email: 'bob+u@example.com' }]);
		emulator.rest.recordHistory();
		emulator.addFaults([
			{ path: 'POST /v1/contacts', bodyIncludes: '"firstName":"Old"', status: 503 },
			{ path: 'PUT /v1/contacts/', bodyIncludes: '"lastName":"Old"', status: 503 },
		]);
		const result = await session.execute(lastItemWins.id);
		expect(result.error).toBeUndefined();

		expect(writes('ada@example.com', 'firstName')).toEqual(['New', 'Old', 'New']);
		expect(emulator.rest.contacts.find((c) => c.properties.email === 'ada@example.com')?.properties.firstName).toBe('New');
		expect(writes('ada+u@example.com', 'lastName')).toEqual(['New', 'Old', 'New']);
		expect(emulator.rest.contacts.find((c) => c.properties.email === 'ada+u@example.com')?.properties.lastName).toBe('New');
		// Bob, another contact, went once: the next try answered him from memory.
		expect(writes('bob@example.com', 'firstName')).toEqual(['Bob']);
		expect(writes('bob+u@example.com', 'lastName')).toEqual(['Bob']);

		const upserted = result.output('Create or Update').map((item: { json: IDataObject }) => item.json);
		expect(upserted.map((json: IDataObject) => [json.error, json.firstName])).toEqual([
			[undefined, 'Old'],
			[undefined, 'New'],
			[undefined, 'Bob'],
		]);
		expect(result.output('Update by Email', 0)).toHaveLength(3);
		expect(result.output('Update by Email', 1)).toHaveLength(0);
	});
});
