import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { SmashsendApi } from '../../../credentials/SmashsendApi.credentials';
import { Smashsend } from '../../../nodes/Smashsend/Smashsend.node';
import { executeContext, type ContextOptions } from '../../support/executeContext';
import { authenticatedHttpRequest } from '../../support/n8nHttp';
import { useRestEmulator, UUID } from '../../support/restEmulator';

/**
 * Where SMASHSEND's official SDK and the package's first picture of the API disagree
 * (docs/api-contract.md): the node against the emulator's SDK shapes (its default), and the
 * same operations against the older shapes it still reads.
 */

const emulator = useRestEmulator();

async function run(options: Omit<ContextOptions, 'credentials'>): Promise<INodeExecutionData[]> {
	const credentials = { apiKey: 'sk_live_emulator_editor', baseUrl: emulator.url };
	const authenticate = new SmashsendApi().authenticate;
	const context = executeContext({
		continueOnFail: true,
		...options,
		parameters: { ...options.parameters, options: { rateLimit: 0, maxRetryWait: 0.02, ...(options.parameters?.options as IDataObject) } },
		credentials,
		httpRequestWithAuthentication: authenticatedHttpRequest(authenticate, credentials),
	});
	const [output] = await new Smashsend().execute.call(context);
	return output;
}

const raw = { resource: 'email', operation: 'send', content: 'raw', from: 'hello@acme.example', subject: 'Hi' };
const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });

describe('emails as SMASHSEND takes them', () => {
	it('sends to one recipient; an item with several fails alone before sending, saying what to do', async () => {
		const output = await run({
			items: [{ to: 'ada@example.com' }, { to: 'bob@example.com, cy@example.com' }],
			parameters: { ...raw, to: (json: IDataObject) => json.to, html: '<p>Hi</p>' },
		});
		expect(output[0].json).toMatchObject({ status: 'SENT', to: 'ada@example.com' });
		expect(output[1].json.error).toBe("'To' has 2 addresses, but SMASHSEND sends each email to one recipient [item 1]");
		expect(output[1].json.errorDescription).toContain('Send one item per recipient');
		expect(emulator.rest.emails.map((e) => e.to)).toEqual(['ada@example.com']);
	});

	it('sends a text-only email with HTML made from the text (escaped, line breaks kept), and the text as it is', async () => {
		const text = 'Order <42> & "more"\nThanks';
		const output = await run({ items: [{ email: 'ada@example.com' }], parameters: { ...raw, to: 'ada@example.com', text } });
		expect(output[0].json.error).toBeUndefined();
		expect(emulator.rest.emails[0]).toMatchObject({
			text,
			html: 'Order &lt;42&gt; &amp; &quot;more&quot;<br>\nThanks',
		});
	});

	it('takes a sender as Name <address>, in version 1 and in version 2 (By Address), and checks the address in it', async () => {
		const items = [{ email: 'ada@example.com' }];
		await run({ items, parameters: { ...raw, to: 'ada@example.com', html: '<p>1</p>', from: 'Acme Shop <hello@acme.example>' } });
		await run({
			items,
			typeVersion: 2,
			parameters: {
				...raw,
				to: 'ada@example.com',
				html: '<p>2</p>',
				sender: { __rl: true, mode: 'address', value: '  Acme <news@mail.acme.example> ' },
			},
		});
		const bad = await run({ items, parameters: { ...raw, to: 'ada@example.com', html: '<p>3</p>', from: 'Acme <not an address>' } });
		expect(emulator.rest.emails.map((e) => e.from)).toEqual(['Acme Shop <hello@acme.example>', 'Acme <news@mail.acme.example>']);
		expect(bad[0].json.error).toContain(`The email in 'From' is not a valid address: "not an address" [item 0]`);
	});
});

describe("SMASHSEND's errors, as its SDK's client reads them", () => {
	it("reads a flat {message, code} and names SMASHSEND's request ID in the item's error", async () => {
		const output = await run({
			items: [{ email: 'ada@example.com' }],
			parameters: { resource: 'contact', operation: 'get', contactId: '6f1c2a9e-3b4d-4e5f-8a9b-0c1d2e3f4a5b' },
		});
		const [answer] = emulator.received;
		expect(answer.status).toBe(404);
		expect(output[0].json.error).toBe('SMASHSEND rejected the item: Contact not found [item 0]');
		expect(output[0].json.httpCode).toBe('404');
		expect(output[0].json.errorDescription).toContain(`SMASHSEND's request ID: ${String(answer.requestId)} `);
	});

	it('reads failed contacts from failedContacts[] when errors[] does not name them', async () => {
		emulator.addFaults([
			{
				path: 'POST /v1/contacts/batch',
				status: 200,
				body: {
					contacts: [{ id: 'c1', properties: { email: 'ada@example.com' } }],
					summary: { created: 1, updated: 0, failed: 1, total: 2 },
					failedContacts: [
						{ index: 1, contact: { properties: { email: 'bob@example.com' } }, errors: [{ code: 'BLOCKED', message: 'Domain blocked' }] },
					],
				},
			},
		]);
		const output = await run({
			items: [{ email: 'ada@example.com' }, { email: 'bob@example.com' }],
			parameters: { resource: 'contact', operation: 'upsert' },
		});
		expect(output[0].json).toMatchObject({ id: 'c1' });
		expect(output[1].json.error).toBe('SMASHSEND rejected the item: Domain blocked (BLOCKED) [item 1]');
		expect(emulator.received).toHaveLength(1);
	});
});

describe.each(['sdk', 'legacy'] as const)('the same workflow against the %s shapes', (shapes) => {
	// The SDK's README's UUIDs with its shapes; ctc_ ids, as the real samples, with the older ones.
	beforeEach(() => {
		emulator.rest.setShapes(shapes);
		emulator.rest.setReadings({ contactIds: shapes === 'sdk' ? 'uuid' : 'ctc' });
	});

	it('creates contacts with typed custom properties, then gets, updates and deletes them by the id SMASHSEND gave', async () => {
		const items = [
			{ email: 'ada@example.com', plan: 'pro', interests: 'product, blog' },
			{ email: 'bob@example.com', plan: 'team', interests: 'events' },
		];
		const created = await run({
			items,
			typeVersion: 2,
			parameters: {
				resource: 'contact',
				operation: 'upsert',
				email: (json: IDataObject) => json.email,
				customPropertyFields: {
					mappingMode: 'defineBelow',
					value: { plan: (json: IDataObject) => json.plan, interests: (json: IDataObject) => json.interests, seats: '3' },
				},
			},
		});
		expect(created.map((i) => i.json.error)).toEqual([undefined, undefined]);
		const ids = created.map((i) => String(i.json.id));
		expect(ids[0]).toMatch(shapes === 'sdk' ? UUID : /^ctc_/);
		expect(emulator.rest.contacts.map((c) => c.properties)).toEqual([
			expect.objectContaining({ plan: 'pro', interests: ['product', 'blog'], seats: 3 }),
			expect.objectContaining({ plan: 'team', interests: ['events'], seats: 3 }),
		]);

		const got = await run({
			items: ids.map((id) => ({ id })),
			typeVersion: 2,
			parameters: { resource: 'contact', operation: 'get', contact: (json: IDataObject) => byId(String(json.id)) },
		});
		expect(got.map((i) => i.json.email)).toEqual(['ada@example.com', 'bob@example.com']);

		const updated = await run({
			items: ids.map((id) => ({ id })),
			typeVersion: 2,
			parameters: {
				resource: 'contact',
				operation: 'update',
				contact: (json: IDataObject) => byId(String(json.id)),
				contactFields: { lastName: 'L' },
			},
		});
		expect(updated.map((i) => (i.json.properties as IDataObject).lastName)).toEqual(['L', 'L']);

		const deleted = await run({
			items: ids.map((id) => ({ id })),
			typeVersion: 2,
			parameters: { resource: 'contact', operation: 'delete', contact: (json: IDataObject) => byId(String(json.id)) },
		});
		expect(deleted.map((i) => i.json.isDeleted)).toEqual([true, true]);
		expect(emulator.rest.contacts).toHaveLength(0);
		expect(emulator.received.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(ids.map((id) => `/v1/contacts/${id}`));
	});

	it('sends an event and an email, and reports what the answer says of duplicates', async () => {
		const event = { resource: 'event', operation: 'send', event: 'order.completed', additionalFields: { messageId: 'order-1' } };
		const first = await run({ items: [{ email: 'ada@example.com' }], parameters: event });
		const again = await run({ items: [{ email: 'ada@example.com' }], parameters: event });
		expect(first[0].json.duplicated).toBe(null);
		expect(again[0].json.duplicated).toBe(shapes === 'sdk' ? null : true);
		const email = await run({ items: [{ email: 'ada@example.com' }], parameters: { ...raw, to: 'ada@example.com', text: 'Hi' } });
		expect(email[0].json).toMatchObject({ to: 'ada@example.com', status: shapes === 'sdk' ? 'SENT' : 'QUEUED' });
	});
});
