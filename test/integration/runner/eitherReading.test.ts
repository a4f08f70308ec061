import type { IDataObject } from 'n8n-workflow';

import { SmashsendApi } from '../../../credentials/SmashsendApi.credentials';
import { searchProperties } from '../../../nodes/Smashsend/methods/listSearch';
import { forgetReadings } from '../../../nodes/shared/transport/readings';
import { testCredential } from '../../support/credentialTester';
import { editorContext } from '../../support/editorContext';
import { useRestEmulator } from '../../support/restEmulator';
import { EDITOR, locator, restNode } from '../../support/restNode';

/**
 * Either reading (issue 38): where SMASHSEND's public sources disagree, the node works with both.
 * Each test runs with the emulator giving the SDK's reading and the other (emulator/rest/workspace.js
 * `Readings`); docs/api-contract.md, "Where the sources disagree", names both sources of each.
 */

const emulator = useRestEmulator();
// Which reading each account gave is remembered per process: every test starts from the SDK's.
beforeEach(() => forgetReadings());
const v3 = restNode(emulator, { typeVersion: 3 });
const v2 = restNode(emulator, { typeVersion: 2 });
const quick = { rateLimit: 0, retryAndTimeout: { settings: { maxRetries: 0, maxRetryWait: 0 } } };
const editor = () => editorContext(`${emulator.url}/v1/`);

describe.each(['null', '404'] as const)('a search for an email no contact has, answered %s', (searchMissing) => {
	beforeEach(() => emulator.rest.setReadings({ searchMissing }));

	it('Find by Email outputs found: false, so that an IF node can branch on it', async () => {
		emulator.rest.seedContacts([{ email: 'ada@example.com' }]);
		const output = await v3.run({
			items: [{ email: 'nobody@example.com' }, { email: 'ada@example.com' }],
			parameters: { resource: 'contact', operation: 'find', email: (item: IDataObject) => item.email, options: quick },
		});
		expect(output.map((item) => item.json.found)).toEqual([false, true]);
		expect(output[0].json).toEqual({ found: false, email: 'nobody@example.com' });
	});

	it("a 404 that says the search is not there (a Base URL that leads elsewhere) stays a failure, not 'no contact'", async () => {
		emulator.addFaults([
			{
				path: 'GET /v1/contacts/search',
				status: 404,
				body: { error: 'Not Found', message: 'Cannot GET /v1/contacts/search', statusCode: 404 },
			},
		]);
		const [item] = await v3.run({
			items: [{}],
			continueOnFail: true,
			parameters: { resource: 'contact', operation: 'find', email: 'nobody@example.com', options: quick },
		});
		expect(item.json.found).toBeUndefined();
		expect(item.json.httpCode).toBe('404');
	});

	it('Get and Update by email say that no contact has the email', async () => {
		const get = await v2.run({
			items: [{}],
			continueOnFail: true,
			parameters: { resource: 'contact', operation: 'get', contact: locator('email', 'nobody@example.com'), options: quick },
		});
		expect(get[0].json.error).toBe('SMASHSEND has no contact with the email nobody@example.com [item 0]');
		const update = await v3.run({
			items: [{}],
			continueOnFail: true,
			parameters: {
				resource: 'contact',
				operation: 'update',
				contact: locator('email', 'nobody@example.com'),
				contactFields: { firstName: 'X' },
				options: quick,
			},
		});
		expect(update[0].json.error).toBe('SMASHSEND has no contact with the email nobody@example.com [item 0]');
	});
});

describe.each(['sdk', 'catalogue'] as const)('custom properties listed where the %s says', (propertiesList) => {
	beforeEach(() => emulator.rest.setReadings({ propertiesList }));

	it('Create or Update sends a custom property with its type; the pickers list the properties; Get Many lists them', async () => {
		const [saved] = await v2.run({
			items: [{ email: 'ada@example.com' }],
			parameters: {
				resource: 'contact',
				operation: 'upsert',
				email: (item: IDataObject) => item.email,
				customPropertyFields: { mappingMode: 'defineBelow', value: { seats: '3' } },
				options: quick,
			},
		});
		expect(saved.json.error).toBeUndefined();
		expect(emulator.rest.contacts[0].properties.seats).toBe(3);
		const picked = await searchProperties.call(editor());
		expect(picked.results).toContainEqual({ name: 'Plan (plan)', value: 'prop_plan' });
		const listed = await v2.run({
			items: [{}],
			parameters: { resource: 'contactProperty', operation: 'getMany', returnAll: true, options: quick },
		});
		expect(listed.map((item) => item.json.apiSlug)).toContain('renewalDate');
	});

	it('once the other path answered for an account, its calls go there first', async () => {
		const run = async () =>
			await v2.run({ items: [{}], parameters: { resource: 'contactProperty', operation: 'getMany', returnAll: true, options: quick } });
		await run();
		emulator.reset();
		emulator.rest.setReadings({ propertiesList });
		await run();
		const paths = emulator.received.map((r) => `${r.method} ${r.path}`);
		expect(paths).toEqual([propertiesList === 'sdk' ? 'GET /v1/contacts/properties' : 'GET /v1/contact-properties']);
	});
});

describe.each(['PUT', 'POST'] as const)('a property updated with %s', (propertyUpdate) => {
	beforeEach(() => emulator.rest.setReadings({ propertyUpdate }));

	it('Contact Property → Update renames it, and a property SMASHSEND does not have fails its item alone', async () => {
		const output = await v2.run({
			items: [{ id: 'prop_plan' }, { id: 'prop_nope' }],
			continueOnFail: true,
			parameters: {
				resource: 'contactProperty',
				operation: 'update',
				property: (item: IDataObject) => locator('id', item.id),
				updateFields: { displayName: 'Subscription plan' },
				options: quick,
			},
		});
		expect(output[0].json).toMatchObject({ id: 'prop_plan', displayName: 'Subscription plan' });
		expect(output[1].json.error).toBe('SMASHSEND rejected the item: Property not found [item 1]');
		expect(emulator.rest.properties.find((p) => p.apiSlug === 'plan')?.displayName).toBe('Subscription plan');
		const methods = emulator.received.filter((r) => r.path === '/v1/contact-properties/prop_plan').map((r) => r.method);
		expect(methods).toEqual(propertyUpdate === 'PUT' ? ['PUT'] : ['PUT', 'POST']);
	});
});

describe.each(['deleted', 'not-deleted'] as const)('a delete answered %s', (deleteAnswer) => {
	beforeEach(() => emulator.rest.setReadings({ deleteAnswer }));

	it('Delete outputs deleted: true only when SMASHSEND says the contact was deleted', async () => {
		emulator.rest.seedContacts([{ email: 'ada@example.com' }]);
		const [item] = await v3.run({
			items: [{}],
			continueOnFail: true,
			parameters: { resource: 'contact', operation: 'delete', contact: locator('email', 'ada@example.com'), options: quick },
		});
		if (deleteAnswer === 'deleted') {
			expect(item.json).toEqual({ deleted: true });
			expect(emulator.rest.contacts).toHaveLength(0);
			// An answer that says nothing of it confirms nothing.
			emulator.rest.seedContacts([{ email: 'ada@example.com' }]);
			emulator.addFaults([{ path: 'DELETE /v1/contacts/by-email/', status: 200, body: { contact: {} } }]);
			const [unsure] = await v3.run({
				items: [{}],
				continueOnFail: true,
				parameters: { resource: 'contact', operation: 'delete', contact: locator('email', 'ada@example.com'), options: quick },
			});
			expect(unsure.json.error).toBe('SMASHSEND did not say whether it deleted the contact [item 0]');
		} else {
			expect(item.json.error).toBe('SMASHSEND did not delete the contact [item 0]');
			expect(item.json.errorDescription).toContain('isDeleted: false');
			expect(emulator.rest.contacts).toHaveLength(1);
		}
	});
});

describe.each(['ctc', 'uuid'] as const)('contact ids as %s', (contactIds) => {
	beforeEach(() => emulator.rest.setReadings({ contactIds }));

	it('Get, Update and Delete take the id SMASHSEND gave, typed or mapped', async () => {
		const [saved] = await v3.run({
			items: [{ email: 'ada@example.com' }],
			parameters: { resource: 'contact', operation: 'upsert', options: { ...quick, batchSize: 1 } },
		});
		const id = String(saved.json.id);
		expect(id).toMatch(contactIds === 'ctc' ? /^ctc_[A-Za-z0-9]{24}$/ : /^[0-9a-f]{8}-/);
		const byId = (operation: string, more: IDataObject = {}) =>
			v3.run({
				items: [{ id }],
				parameters: { resource: 'contact', operation, contact: locator('id', (item: IDataObject) => item.id), options: quick, ...more },
			});
		expect((await byId('get'))[0].json).toMatchObject({ id, email: 'ada@example.com' });
		expect((await byId('update', { contactFields: { lastName: 'Lovelace' } }))[0].json).toMatchObject({ id, lastName: 'Lovelace' });
		expect((await byId('delete'))[0].json).toEqual({ deleted: true });
	});
});

describe.each(['SUCCEED', 'FAILED'] as const)('the key check answering %s', (keyCheck) => {
	beforeEach(() => emulator.rest.setReadings({ keyCheck }));

	it('the credential test passes only for SUCCEED, as the SDK checks it', async () => {
		const result = await testCredential(new SmashsendApi(), { apiKey: EDITOR, baseUrl: emulator.url });
		if (keyCheck === 'SUCCEED') expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		else expect(result).toEqual({ status: 'Error', message: expect.stringContaining('did not say SUCCEED') });
	});
});

describe.each(['text', 'list'] as const)('error messages as %s', (errorMessages) => {
	beforeEach(() => emulator.rest.setReadings({ errorMessages }));

	it("an item SMASHSEND refuses shows SMASHSEND's reasons, not a generic error", async () => {
		const [item] = await v3.run({
			items: [{ email: 'ada@example.com' }],
			continueOnFail: true,
			parameters: {
				resource: 'contact',
				operation: 'upsert',
				contactFields: { countryCode: 'Germany' },
				options: { ...quick, batchSize: 1 },
			},
		});
		expect(item.json.error).toBe('SMASHSEND rejected the item: countryCode must be an ISO 3166-1 alpha-2 code such as US or FR [item 0]');
	});
});
