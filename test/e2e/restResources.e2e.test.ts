import type { IDataObject } from 'n8n-workflow';

import { createEmulator } from '../../emulator/server';
import { selectedVersion } from '../../n8n-runtime/install';
import { freePort, N8nSession, packPackage } from '../../n8n-runtime/session';
import { apiCredential } from '../support/e2eCredentials';
import { CONTACT_ID, contactByIdRoute, UUID } from '../support/restEmulator';
import { pause } from '../support/executeContext';
import contactsEventsEmails from './workflows/contacts-events-emails.workflow.json';
import contactsV2 from './workflows/contacts-v2.workflow.json';
import emailsV2 from './workflows/emails-v2.workflow.json';
import getManyContacts from './workflows/get-many-contacts.workflow.json';
import restNetworkFaults from './workflows/rest-network-faults.workflow.json';
import triggerWorkflow from './workflows/smashsend-trigger.workflow.json';

/**
 * Contacts, events, emails and the SMASHSEND Trigger in a real n8n with the packed package,
 * against the emulator's REST API. The actions run headless (`n8n execute`); the trigger
 * needs a running n8n: `n8n start` activates its workflow, which registers the webhook with
 * the emulator, and the emulator then delivers signed (and unsigned) events to n8n.
 */

const emulator = createEmulator();
const json = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json);

/**
 * A workflow built for one test: a manual trigger, then `steps` one after the other. A step
 * without a `type` is a SMASHSEND node of version 2 (or its `typeVersion`) with the e2e API credential.
 */
function chainWorkflow(
	id: string,
	steps: Array<{ name: string; type?: string; typeVersion?: number; parameters: IDataObject; onError?: string }>,
) {
	const start = { id: `${id}-0`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const nodes = [
		start,
		...steps.map((step, index) => ({
			id: `${id}-${index + 1}`,
			name: step.name,
			type: step.type ?? 'n8n-nodes-smashsend.smashsend',
			typeVersion: step.typeVersion ?? 2,
			position: [200 * (index + 1), 0],
			parameters: step.parameters,
			...(step.onError ? { onError: step.onError } : {}),
			...(step.type ? {} : { credentials: contactsV2.nodes[2].credentials }),
		})),
	];
	const connections = Object.fromEntries(
		nodes.slice(0, -1).map((node, index) => [node.name, { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] }]),
	);
	return { id, name: `e2e: ${id}`, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

/** Polls until `check` returns something truthy (n8n works asynchronously), or fails after `ms`. */
async function eventually<T>(check: () => T | undefined | false, ms = 30_000): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await pause(200);
	}
}

beforeAll(async () => await emulator.start());
afterAll(async () => await emulator.stop());

describe(`SMASHSEND REST resources in real n8n ${selectedVersion()}`, () => {
	let session: InstanceType<typeof N8nSession>;

	beforeAll(async () => {
		session = new N8nSession();
		session.installPackage(packPackage());
		await session.importCredentials([apiCredential(emulator.url)]);
		await session.importWorkflow(contactsEventsEmails);
		await session.importWorkflow(contactsV2);
		await session.importWorkflow(emailsV2);
		await session.importWorkflow(getManyContacts);
		await session.importWorkflow(restNetworkFaults);
	});
	afterAll(async () => await session?.stop());
	beforeEach(() => emulator.reset());

	it('a workflow saved with node version 1: creates, gets, updates, finds and deletes contacts, and sends an event and an email for each', async () => {
		// Saved before version 2 (Contact ID as text, no Simplify): it runs unchanged.
		const versions = contactsEventsEmails.nodes.filter((n) => n.type === 'n8n-nodes-smashsend.smashsend').map((n) => n.typeVersion);
		expect(new Set(versions)).toEqual(new Set([1]));
		const result = await session.execute(contactsEventsEmails.id);
		expect(result.error).toBeUndefined();

		const created = json(result.output('Create or Update'));
		expect(created.map((c) => (c.properties as IDataObject).email)).toEqual(['ada@example.com', 'grace@example.com', 'alan@example.com']);
		expect(created[0].properties).toMatchObject({ firstName: 'Ada', countryCode: 'GB', plan: 'pro', seats: 2 });
		expect(json(result.output('Update')).map((c) => (c.properties as IDataObject).lastName)).toEqual(['E2E', 'E2E', 'E2E']);

		const state = emulator.rest;
		expect(state.events.map((e) => [(e.identify as IDataObject).email, e.event, e.properties])).toEqual([
			['ada@example.com', 'e2e.signup', { plan: 'pro' }],
			['grace@example.com', 'e2e.signup', { plan: 'team' }],
			['alan@example.com', 'e2e.signup', { plan: 'free' }],
		]);
		expect(state.emails.map((e) => [e.to, e.subject ?? e.template, e.variables])).toEqual([
			['ada@example.com', 'Welcome, Ada', undefined],
			['grace@example.com', 'Welcome, Grace', undefined],
			['alan@example.com', 'Welcome, Alan', undefined],
			['ada@example.com', 'welcome', { firstName: 'Ada' }],
			['grace@example.com', 'welcome', { firstName: 'Grace' }],
			['alan@example.com', 'welcome', { firstName: 'Alan' }],
		]);
		expect(json(result.output('Find')).map((f) => f.found)).toEqual([true, true, true]);
		expect(json(result.output('Delete')).map((d) => d.isDeleted)).toEqual([true, true, true]);
		expect(state.contacts).toHaveLength(0);
		// The first item is deleted by ID, the others by email (Delete By is an expression).
		const deletes = emulator.received.filter((r) => r.method === 'DELETE').map((r) => r.path);
		expect(deletes).toEqual([
			expect.stringMatching(/^\/v1\/contacts\/ctc_/),
			'/v1/contacts/by-email/grace%40example.com',
			'/v1/contacts/by-email/alan%40example.com',
		]);

		for (const name of ['Create or Update', 'Get', 'Update', 'Send Event', 'Send Email', 'Send Template Email', 'Find', 'Delete']) {
			expect(result.output(name).map((item: { pairedItem: unknown }) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		}
		// Create or Update and Send Event sent their three items in one batch each.
		const batches = emulator.received.filter((r) => r.path === '/v1/contacts/batch' || r.path === '/v1/events/batch');
		expect(batches.map((r) => [r.path, ((r.body as IDataObject).contacts ?? (r.body as IDataObject).events) as unknown[]])).toEqual([
			['/v1/contacts/batch', expect.arrayContaining([expect.anything()])],
			['/v1/events/batch', expect.arrayContaining([expect.anything()])],
		]);
		expect(batches.every((r) => (((r.body as IDataObject).contacts ?? (r.body as IDataObject).events) as unknown[]).length === 3)).toBe(
			true,
		);
		// The contact nodes kept to the documented 60 requests per minute without being told:
		// three calls of one node are paced a second apart (two seconds from first to last; one
		// slot skipped would make it one). The first call's trip to the server can be late on a
		// loaded machine while the others keep their slots: more than a second and a half is
		// what proves the pace (CI saw 1,841 ms with the editor tests running alongside).
		const updates = emulator.received.filter((r) => r.method === 'PUT');
		expect(updates).toHaveLength(3);
		expect(updates[2].receivedAt - updates[0].receivedAt).toBeGreaterThan(1500);
		expect(emulator.received.every((r) => r.status !== 429)).toBe(true);
	});

	it('node version 2: custom properties as typed fields, the Contact by ID and by email, Simplify on and off, Get Many simplified', async () => {
		const result = await session.execute(contactsV2.id);
		expect(result.error).toBeUndefined();
		const emails = ['ada@example.com', 'grace@example.com', 'alan@example.com'];
		// Get by ID, simplified (the default): flat contacts.
		const got = json(result.output('Get'));
		expect(got.map((c) => c.email)).toEqual(emails);
		expect(got[0]).toMatchObject({ firstName: 'Ada', plan: 'pro', seats: 3 });
		expect(String(got[0].renewalDate)).toMatch(/^2027-01-31/);
		// Custom properties from the mapper: typed by the node; empty ones not sent.
		expect(got[1]).toMatchObject({ plan: 'team', seats: 12 });
		expect(got[2]).toMatchObject({ plan: 'free' });
		expect(got[2]).not.toHaveProperty('seats');
		expect(got[2]).not.toHaveProperty('renewalDate');
		// The emulator gives ctc_ ids, as every real sample: Get, Update and Delete take them.
		expect(got[0].id).toMatch(CONTACT_ID);
		expect(got[0].properties).toBeUndefined();
		// Update by email: looked up, then updated by its id.
		expect(json(result.output('Update by Email')).map((c) => (c.properties as IDataObject).lastName)).toEqual(['V2', 'V2', 'V2']);
		const lookups = emulator.received.filter((r) => r.method === 'GET' && r.path === '/v1/contacts/search');
		const puts = emulator.received.filter((r) => r.method === 'PUT').map((r) => r.path);
		expect(puts).toEqual(got.map((c) => `/v1/contacts/${String(c.id)}`));
		// Find with Simplify off: SMASHSEND's answer as it is.
		const found = json(result.output('Find Raw'));
		expect(found.map((c) => [c.found, (c.properties as IDataObject).email])).toEqual(emails.map((e) => [true, e]));
		expect(lookups).toHaveLength(6);
		// Delete by email: SMASHSEND's by-email endpoint, no lookup.
		expect(json(result.output('Delete by Email')).map((d) => d.isDeleted)).toEqual([true, true, true]);
		expect(emulator.received.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(
			emails.map((e) => `/v1/contacts/by-email/${encodeURIComponent(e)}`),
		);
		expect(emulator.rest.contacts).toHaveLength(0);
		// Get Many (once, placed above Get: n8n runs that branch first), simplified.
		const listed = json(result.output('Get Many'));
		expect(listed.map((c) => c.email).sort()).toEqual([...emails].sort());
		expect(listed.every((c) => c.properties === undefined && typeof c.id === 'string')).toBe(true);
		for (const name of ['Get', 'Update by Email', 'Find Raw', 'Delete by Email']) {
			expect(result.output(name).map((item: { pairedItem: unknown }) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		}
	});

	it('node version 2: a contact ID as SMASHSEND gives it (a UUID), typed or picked from the list, is taken by Get, Update and Delete', async () => {
		// SMASHSEND's SDK's README gives contacts UUIDs (the emulator's reading `contactIds: 'uuid'`).
		emulator.rest.setReadings({ contactIds: 'uuid' });
		emulator.rest.seedContacts([{ email: 'ada@example.com' }, { email: 'grace@example.com' }]);
		const [ada, grace] = emulator.rest.contacts.map((c) => c.id);
		expect(ada).toMatch(UUID);
		// Literal values, as the editor stores a typed ID or a pick: n8n checks them against the mode's pattern.
		const locator = (mode: string, value: string) => ({ __rl: true, mode, value });
		const contact = (parameters: IDataObject) => ({ resource: 'contact', options: {}, ...parameters });
		const workflow = chainWorkflow('e2eContactsUuid01', [
			{ name: 'Get by ID', parameters: contact({ operation: 'get', contact: locator('id', ada) }) },
			{
				name: 'Update Picked',
				parameters: contact({ operation: 'update', contact: locator('list', ada), contactFields: { lastName: 'Uuid' } }),
			},
			{ name: 'Delete by ID', parameters: contact({ operation: 'delete', contact: locator('id', grace) }) },
		]);
		await session.importWorkflow(workflow);
		const result = await session.execute(workflow.id);
		expect(result.error).toBeUndefined();
		expect(json(result.output('Get by ID'))).toEqual([expect.objectContaining({ id: ada, email: 'ada@example.com' })]);
		expect(json(result.output('Update Picked'))).toEqual([expect.objectContaining({ id: ada })]);
		expect(json(result.output('Delete by ID'))).toEqual([expect.objectContaining({ isDeleted: true })]);
		expect(emulator.rest.contacts.map((c) => [c.id, c.properties.lastName])).toEqual([[ada, 'Uuid']]);
		expect(emulator.received.map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /v1/contacts/${ada}`,
			`PUT /v1/contacts/${ada}`,
			`DELETE /v1/contacts/${grace}`,
		]);
	});

	it('node version 3 (new nodes): Create or Update and Update output the flat contact Get does; Delete outputs { deleted: true }', async () => {
		const contact = (parameters: IDataObject) => ({ resource: 'contact', options: {}, ...parameters });
		const step = (name: string, parameters: IDataObject) => ({ name, typeVersion: 3, parameters: contact(parameters) });
		const workflow = chainWorkflow('e2eContactsV3001', [
			step('Save', { operation: 'upsert', email: 'ada@example.com', contactFields: { firstName: 'Ada' } }),
			step('Update', {
				operation: 'update',
				contact: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				contactFields: { lastName: 'Lovelace' },
			}),
			step('Get', { operation: 'get', contact: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }),
			step('Delete', { operation: 'delete', contact: { __rl: true, mode: 'email', value: '={{ $json.email }}' } }),
		]);
		await session.importWorkflow(workflow);
		const result = await session.execute(workflow.id);
		expect(result.error).toBeUndefined();
		const [saved] = json(result.output('Save'));
		const [updated] = json(result.output('Update'));
		const [got] = json(result.output('Get'));
		expect(saved).toMatchObject({ email: 'ada@example.com', firstName: 'Ada' });
		expect(updated).toMatchObject({ id: saved.id, email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' });
		for (const shape of [saved, updated]) expect(shape.properties).toBeUndefined();
		expect(Object.keys(updated).sort()).toEqual(Object.keys(got).sort());
		expect(json(result.output('Delete'))).toEqual([{ deleted: true }]);
		expect(emulator.rest.contacts).toHaveLength(0);
	});

	it('node version 3 reads Options → Retries and Timeout: Max Retries there is the number of tries again', async () => {
		emulator.rest.seedContacts([{ email: 'ada@example.com' }]);
		const id = String(emulator.rest.contacts[0].id);
		const workflow = chainWorkflow('e2eRetryGroup001', [
			{
				name: 'Get',
				typeVersion: 3,
				onError: 'continueRegularOutput',
				parameters: {
					resource: 'contact',
					operation: 'get',
					contact: { __rl: true, mode: 'id', value: id },
					options: { rateLimit: 0, retryAndTimeout: { settings: { maxRetries: 2, maxRetryWait: 0.05, timeoutSeconds: 5 } } },
				},
			},
		]);
		await session.importWorkflow(workflow);
		emulator.addFaults([{ path: `GET /v1/contacts/${id}`, status: 503, times: 10 }]);
		const result = await session.execute(workflow.id);
		expect(result.error).toBeUndefined();
		const [got] = json(result.output('Get'));
		expect(got.error).toBe('SMASHSEND could not handle the call: Injected failure [item 0]');
		expect(got.errorDescription).toContain('SMASHSEND answered with status 503.');
		expect(got.errorDescription).toContain('Tried 3 times (HTTP 503, HTTP 503, HTTP 503).');
		expect(emulator.received.filter((r) => r.method === 'GET' && r.path === `/v1/contacts/${id}`)).toHaveLength(3);
	});

	it('a contact property made in the workflow, set on imported contacts with their own dates, tags added and cleared; an email with several Reply To', async () => {
		const fast = { rateLimit: 0 };
		const workflow = chainWorkflow('e2eWhatUsersAsk01', [
			{
				name: 'Create Property',
				parameters: {
					resource: 'contactProperty',
					operation: 'create',
					displayName: 'Badges',
					propertyType: 'MULTI_SELECT',
					choices: 'gold, silver',
					options: fast,
				},
			},
			{
				name: 'Rename Property',
				parameters: {
					resource: 'contactProperty',
					operation: 'update',
					property: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					updateFields: { description: 'Earned in the shop' },
					options: fast,
				},
			},
			{
				name: 'Contacts',
				type: 'n8n-nodes-base.code',
				parameters: {
					jsCode:
						"return [{ json: { email: 'ada@example.com', since: '2019-05-06' } }, { json: { email: 'bob@example.com', since: '2020-07-08T09:10:00Z' } }];",
				},
			},
			{
				name: 'Import',
				parameters: {
					resource: 'contact',
					operation: 'upsert',
					email: '={{ $json.email }}',
					contactFields: { createdAt: '={{ $json.since }}' },
					customPropertyFields: { mappingMode: 'defineBelow', value: null },
					multiSelectChanges: {
						change: [
							{ property: 'badges', changeAction: 'add', values: 'gold' },
							{ property: 'interests', changeAction: 'add', values: 'blog' },
						],
					},
					options: fast,
				},
			},
			{
				name: 'Tag',
				parameters: {
					resource: 'contact',
					operation: 'update',
					contact: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					multiSelectChanges: {
						change: [
							{ property: 'badges', changeAction: 'add', values: 'silver' },
							{ property: 'interests', changeAction: 'clear' },
						],
					},
					options: fast,
				},
			},
			{
				name: 'Email',
				parameters: {
					resource: 'email',
					operation: 'send',
					to: '={{ $json.properties.email }}',
					content: 'raw',
					sender: { __rl: true, mode: 'address', value: 'Acme <hello@acme.example>' },
					subject: 'Your badges',
					html: '<p>Silver!</p>',
					additionalFields: {
						replyTo: 'help@acme.example, sales@acme.example',
						groupBy: 'badges',
						contactProperties: '={{ JSON.stringify({ firstName: $json.properties.email.split("@")[0] }) }}',
					},
					options: fast,
				},
			},
			{ name: 'List Properties', parameters: { resource: 'contactProperty', operation: 'getMany', returnAll: true, options: fast } },
		]);
		await session.importWorkflow(workflow);
		const result = await session.execute(workflow.id);
		expect(result.error).toBeUndefined();
		expect(json(result.output('Rename Property'))).toEqual([
			expect.objectContaining({ apiSlug: 'badges', description: 'Earned in the shop' }),
		]);
		const byEmail = new Map(emulator.rest.contacts.map((c) => [c.properties.email, c]));
		// A date without a time zone is the workflow's (n8n's default: America/New_York, UTC-4 in May).
		expect(byEmail.get('ada@example.com')).toMatchObject({
			createdAt: '2019-05-06T04:00:00.000Z',
			properties: { badges: ['gold', 'silver'], interests: [], firstName: 'ada' },
		});
		expect(byEmail.get('bob@example.com')).toMatchObject({
			createdAt: '2020-07-08T09:10:00.000Z',
			properties: { badges: ['gold', 'silver'] },
		});
		const imported = emulator.received.filter((r) => r.path === '/v1/contacts/batch');
		expect(imported.map((r) => new URLSearchParams(r.query).get('overrideCreatedAt'))).toEqual(['true']);
		// Sent side by side (Concurrency: Auto): in any order.
		expect(emulator.rest.emails.map((e) => [e.to, e.replyTo, e.groupBy]).sort()).toEqual([
			['ada@example.com', ['help@acme.example', 'sales@acme.example'], 'badges'],
			['bob@example.com', ['help@acme.example', 'sales@acme.example'], 'badges'],
		]);
		expect(json(result.output('List Properties')).map((p) => p.apiSlug)).toContain('badges');
	});

	it('node version 3: Contact Property → Delete deletes the property made before it; deleting it again fails that item alone', async () => {
		const step = (name: string, parameters: IDataObject, onError?: string) => ({
			name,
			typeVersion: 3,
			parameters: { resource: 'contactProperty', options: { rateLimit: 0 }, ...parameters },
			onError,
		});
		const byId = (value: string) => ({ __rl: true, mode: 'id', value });
		const workflow = chainWorkflow('e2ePropertyDelete01', [
			step('Create Property', { operation: 'create', displayName: 'Shoe size', propertyType: 'NUMBER' }),
			step('Delete Property', { operation: 'delete', property: byId('={{ $json.id }}') }),
			step('Delete Again', { operation: 'delete', property: byId("={{ $('Create Property').item.json.id }}") }, 'continueRegularOutput'),
		]);
		await session.importWorkflow(workflow);
		const result = await session.execute(workflow.id);
		expect(result.error).toBeUndefined();
		const [made] = json(result.output('Create Property'));
		expect(made).toMatchObject({ displayName: 'Shoe size', id: expect.any(String) });
		expect(json(result.output('Delete Property'))).toEqual([{ deleted: true }]);
		expect(emulator.rest.properties.map((p) => p.displayName)).not.toContain('Shoe size');
		const [again] = json(result.output('Delete Again'));
		expect(again.error).toBe('SMASHSEND rejected the item: Property not found [item 0]');
		expect(emulator.received.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
			`/v1/contact-properties/${String(made.id)}`,
			`/v1/contact-properties/${String(made.id)}`,
		]);
	});

	it('node version 2: the template picked with its variables as fields, From picked from the verified senders', async () => {
		const result = await session.execute(emailsV2.id);
		expect(result.error).toBeUndefined();
		expect(json(result.output('Send Template')).map((e) => e.status)).toEqual(['SENT', 'SENT']);
		const [ada, grace, receiptAda, receiptGrace] = emulator.rest.emails;
		expect(ada).toMatchObject({ to: 'ada@example.com', template: 'welcome', variables: { firstName: 'Ada', coupon: 'WELCOME10' } });
		expect(grace).toMatchObject({ to: 'grace@example.com', template: 'welcome', variables: { firstName: 'Grace', coupon: 'WELCOME10' } });
		// plan was left empty: the template's default applies, nothing is sent for it.
		expect(ada.variables).not.toHaveProperty('plan');
		expect([receiptAda, receiptGrace].map((e) => [e.from, e.to, e.text])).toEqual([
			['hello@acme.example', 'ada@example.com', 'Thank you, Ada.'],
			['hello@acme.example', 'grace@example.com', 'Thank you, Grace.'],
		]);
		expect(result.output('Send From Sender').map((item: { pairedItem: unknown }) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('retries every REST operation after a reset, a reset after the work was done, and a timeout; SMASHSEND holds each result once', async () => {
		// Routes by prefix; a contact by its id by a pattern.
		const paths = [
			'POST /v1/contacts',
			contactByIdRoute('GET'),
			'GET /v1/contacts/search',
			'PUT /v1/contacts/',
			'POST /v1/events',
			'POST /v1/emails',
			'GET /v1/contacts?',
			'DELETE /v1/contacts/',
		];
		// The node waits 1 s for an answer (Timeout option); the third fault answers after 1.5 s.
		const where = (path: string) => (path.startsWith('^') ? { pathPattern: path } : { path });
		for (const path of paths) {
			emulator.addFaults([
				{ ...where(path), reset: true },
				{ ...where(path), reset: true, acceptThenFail: true },
				{ ...where(path), delayMs: 1500 },
			]);
		}
		const result = await session.execute(restNetworkFaults.id);
		expect(result.error).toBeUndefined();
		expect(emulator.pendingFaults).toHaveLength(0);

		const emails = ['ada@example.com', 'grace@example.com', 'alan@example.com'];
		const contactEmail = (c: IDataObject) => (c.properties as IDataObject).email;
		expect(json(result.output('Create or Update')).map(contactEmail)).toEqual(emails);
		expect(json(result.output('Get')).map(contactEmail)).toEqual(emails);
		expect(json(result.output('Find by Email')).map((c) => [c.found, contactEmail(c)])).toEqual(emails.map((e) => [true, e]));
		expect(json(result.output('Update')).map((c) => (c.properties as IDataObject).lastName)).toEqual(['Retried', 'Retried', 'Retried']);
		expect(json(result.output('Get Many')).map(contactEmail).sort()).toEqual([...emails].sort());
		expect(json(result.output('Delete')).map((d) => d.isDeleted)).toEqual([true, true, true]);

		const state = emulator.rest;
		// One event and one email per contact, whichever attempt carried it.
		expect(state.events.map((e) => (e.identify as IDataObject).email).sort()).toEqual([...emails].sort());
		expect(state.emails.map((e) => e.to).sort()).toEqual([...emails].sort());
		expect(state.contacts).toHaveLength(0);
		// Each operation made its calls plus one retry per fault ('…?': the listing, with its query).
		const route = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
		const calls = (path: string) =>
			emulator.received.filter((r) =>
				path.startsWith('^')
					? new RegExp(path).test(route(r))
					: path.endsWith('?')
						? route(r) === path.slice(0, -1)
						: route(r).startsWith(path),
			);
		for (const path of paths) expect(calls(path).length).toBeGreaterThan(3);
	});

	it('after a lost answer, says the email or event may have gone out and to check first; cuts off an answer dripped past its Timeout', async () => {
		const workflow = chainWorkflow('e2eLostAnswers01', [
			{
				name: 'Contacts',
				type: 'n8n-nodes-base.code',
				parameters: { jsCode: "return [{ json: { email: 'ada@example.com' } }, { json: { email: 'bob@example.com' } }];" },
			},
			{
				name: 'Send Email',
				onError: 'continueRegularOutput',
				parameters: {
					resource: 'email',
					operation: 'send',
					to: '={{ $json.email }}',
					content: 'raw',
					sender: { __rl: true, mode: 'address', value: 'Acme <hello@acme.example>' },
					subject: 'Receipt',
					text: 'Thank you.',
					options: { rateLimit: 0, maxRetries: 1, maxRetryWait: 0.2, timeout: 2000 },
				},
			},
			{
				name: 'Send Event',
				onError: 'continueRegularOutput',
				parameters: {
					resource: 'event',
					operation: 'send',
					event: 'receipt.sent',
					email: "={{ $('Contacts').item.json.email }}",
					properties: '{}',
					options: { rateLimit: 0, maxRetries: 0, timeout: 500, batchSize: 1 },
				},
			},
		]);
		await session.importWorkflow(workflow);
		emulator.addFaults([
			{ path: 'POST /v1/emails', email: 'ada@example.com', acceptThenFail: true, status: 504, times: 2 },
			{ path: 'POST /v1/events', email: 'ada@example.com', acceptThenFail: true, dripMs: 50 },
		]);
		const result = await session.execute(workflow.id);
		expect(result.error).toBeUndefined();
		const [adaEmail, bobEmail] = json(result.output('Send Email'));
		expect(adaEmail.error).toBe('SMASHSEND did not confirm the call: Injected failure [item 0]');
		expect(adaEmail.errorDescription).toContain('Tried 2 times (HTTP 504, HTTP 504).');
		expect(adaEmail.errorDescription).toContain(
			'SMASHSEND may or may not have carried the call out. Check the record in SMASHSEND before sending the item again.',
		);
		expect(bobEmail).toMatchObject({ status: 'SENT', to: 'bob@example.com' });
		// Ada's email went out once (its key made the retry a repeat); the text alone was sent as HTML too.
		expect(emulator.rest.emails.map((e) => [e.to, e.from, e.html]).sort()).toEqual([
			['ada@example.com', 'Acme <hello@acme.example>', 'Thank you.'],
			['bob@example.com', 'Acme <hello@acme.example>', 'Thank you.'],
		]);
		const [adaEvent, bobEvent] = json(result.output('Send Event'));
		expect(adaEvent.error).toBe('Could not reach SMASHSEND: no answer came before the timeout [item 0]');
		expect(adaEvent.errorDescription).toContain('The request may have reached SMASHSEND before the connection ended (code ECONNABORTED)');
		expect(bobEvent).toMatchObject({ success: true, event: 'receipt.sent' });
	});

	it('returns all contacts across pages', async () => {
		emulator.rest.seedContacts(Array.from({ length: 150 }, (_, i) => ({ email: `many${i}@example.com` })));
		const result = await session.execute(getManyContacts.id);
		expect(result.error).toBeUndefined();
		const contacts = json(result.output('Get Many'));
		expect(contacts).toHaveLength(150);
		expect(contacts.map((c) => (c.properties as IDataObject).email)).toEqual(Array.from({ length: 150 }, (_, i) => `many${i}@example.com`));
		expect(emulator.received.filter((r) => r.path.startsWith('/v1/contacts'))).toHaveLength(2);
	});
});

describe(`SMASHSEND Trigger in real n8n ${selectedVersion()}`, () => {
	let session: InstanceType<typeof N8nSession>;
	// WEBHOOK_URL names the port before n8n starts.
	const port = freePort();
	const webhookUrl = `http://127.0.0.1:${port}/webhook/e2e-smashsend-trigger/webhook`;
	const recorded = () => emulator.rest.events.filter((e) => String(e.event).startsWith('n8n.'));

	beforeAll(async () => {
		emulator.reset();
		session = new N8nSession({ port, env: { WEBHOOK_URL: `http://127.0.0.1:${port}/` } });
		session.installPackage(packPackage());
		await session.importCredentials([apiCredential(emulator.url)]);
		await session.importWorkflow(triggerWorkflow);
		await session.activateWorkflow(triggerWorkflow.id);
		await session.startEditor();
	});
	afterAll(async () => await session?.stop());

	it('registers its webhook with SMASHSEND when n8n activates the workflow', async () => {
		const [webhook] = await eventually(() => emulator.rest.webhooks.length > 0 && emulator.rest.webhooks);
		expect(webhook).toMatchObject({
			url: webhookUrl,
			events: ['CONTACT_CREATED', 'CONTACT_UNSUBSCRIBED', 'WORKSPACE_SENDING_EMAILS_PAUSED'],
		});
		expect(webhook.token).toMatch(/^[0-9a-f]{64}$/);
	});

	it('runs the workflow for a signed delivery without a timestamp, with the event and the contact', async () => {
		emulator.rest.seedContacts([{ email: 'signed@example.com' }]);
		await emulator.rest.settle();
		expect(emulator.rest.deliveries.at(-1)).toMatchObject({ event: 'CONTACT_CREATED', status: 200 });
		// As SMASHSEND's SDK documents deliveries: nothing says they carry a timestamp, and this one has none.
		expect(JSON.parse(String(emulator.rest.deliveries.at(-1)?.sent))).not.toHaveProperty('timestamp');
		const [event] = await eventually(() => recorded().length > 0 && recorded());
		expect(event).toMatchObject({ event: 'n8n.contact_created', identify: { email: 'signed@example.com' } });
		expect((event.properties as IDataObject).contactId).toBe(emulator.rest.contacts[0].id);
	});

	it("runs the workflow for a workspace alert, with SMASHSEND's payload as the item", async () => {
		const before = recorded().length;
		const [delivery] = await emulator.rest.deliverEvent('WORKSPACE_SENDING_EMAILS_PAUSED', undefined);
		expect(delivery.status).toBe(200);
		const events = await eventually(() => recorded().length > before && recorded());
		expect(events.at(-1)).toMatchObject({ event: 'n8n.workspace_sending_emails_paused', identify: { email: 'alerts@example.com' } });
		expect((events.at(-1)?.properties as IDataObject).workspaceId).toBe(JSON.parse(delivery.sent).payload.workspace.id);
	});

	it('refuses unsigned and wrongly signed deliveries with 401, and answers TESTING_CONNECTION, without running the workflow', async () => {
		const before = recorded().length;
		const contact = emulator.rest.contacts[0];
		const [unsigned] = await emulator.rest.deliverEvent('CONTACT_CREATED', contact, { signature: 'none' });
		const [forged] = await emulator.rest.deliverEvent('CONTACT_CREATED', contact, { signature: 'invalid' });
		const [testing] = await emulator.rest.deliverEvent('TESTING_CONNECTION', undefined);
		expect([unsigned.status, forged.status, testing.status]).toEqual([401, 401, 200]);
		// A run would record its event within a second or two; give it ample time to (wrongly) happen.
		await pause(3000);
		expect(recorded()).toHaveLength(before);
	});

	it('removes its webhook from SMASHSEND when the workflow is deactivated', async () => {
		const cookie = await session.setupOwner({ email: 'e2e@example.com', firstName: 'E', lastName: 'Two', password: 'E2e-pass-123' });
		const response = await fetch(`http://127.0.0.1:${port}/rest/workflows/${triggerWorkflow.id}/deactivate`, {
			method: 'POST',
			headers: { cookie, 'content-type': 'application/json' },
			body: '{}',
		});
		expect(response.status).toBe(200);
		await eventually(() => emulator.rest.webhooks.length === 0);
	});
});
