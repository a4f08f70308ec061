import { type IDataObject } from 'n8n-workflow';

import { searchSenders, searchTemplates } from '../../../nodes/Smashsend/methods/listSearch';
import { getTemplateVariables } from '../../../nodes/Smashsend/methods/resourceMapping';
import { DEFAULT_EMAIL } from '../../support/executeContext';
import { useRestEmulator } from '../../support/restEmulator';
import { EDITOR, locator, restNode } from '../../support/restNode';
import { editorContext, listError, mapper } from '../../support/editorContext';
import { leakedSecrets } from '../../support/secrets';

/**
 * Email → Send: written here or from a template (version 1), and the pickers of version 2: the template and its variables, the sender.
 */

const emulator = useRestEmulator();
const { run, failure: runExpectingError } = restNode(emulator);
const { run: runPicker } = restNode(emulator, { typeVersion: 2, parameters: { to: DEFAULT_EMAIL } });
const rest = () => emulator.received.filter((r) => r.path.startsWith('/v1/'));

/** What n8n gives an editor method: the node, its credential and its current parameters. */
const editor = (parameters: IDataObject = {}, apiKey = EDITOR, baseUrl = `${emulator.url}/v1/`) =>
	editorContext(baseUrl, parameters, apiKey);

describe('Email: Send', () => {
	it('sends an HTML email with an idempotency key that survives a retry', async () => {
		emulator.addFaults([{ path: 'POST /v1/emails', acceptThenFail: true, status: 504 }]);
		const output = await run({
			items: [{ email: 'ada@example.com', name: 'Ada' }],
			parameters: {
				resource: 'email',
				operation: 'send',
				to: (json: IDataObject) => json.email,
				content: 'raw',
				from: 'hello@shop.example',
				subject: (json: IDataObject) => `Hi ${json.name}`,
				html: '<p>Welcome</p>',
				additionalFields: { fromName: 'Shop', trackOpens: false },
				options: { rateLimit: 0, maxRetryWait: 0.05 },
			},
		});
		expect(emulator.rest.emails).toHaveLength(1);
		expect(emulator.rest.emails[0]).toMatchObject({
			to: 'ada@example.com',
			from: 'hello@shop.example',
			subject: 'Hi Ada',
			fromName: 'Shop',
		});
		// Only the setting given: Track Clicks keeps the workspace's own default.
		expect(emulator.rest.emails[0].settings).toEqual({ trackOpens: false });
		expect(output[0].json).toMatchObject({ messageId: expect.stringMatching(/^eml_/), status: 'SENT', to: 'ada@example.com' });
		const keys = rest().map((r) => (r.body as IDataObject).idempotencyKey);
		expect(keys).toHaveLength(2);
		expect(keys[0]).toBe(keys[1]);
	});

	it('sends a template with variables, and reports an unknown template for its item', async () => {
		const template = {
			resource: 'email',
			operation: 'send',
			to: (json: IDataObject) => json.email,
			content: 'template',
			template: 'welcome',
			variables: '{"plan":"pro"}',
		};
		await run({ items: [{ email: 'ada@example.com' }], parameters: template });
		expect(emulator.rest.emails[0]).toMatchObject({ template: 'welcome', variables: { plan: 'pro' } });

		const error = await runExpectingError({ items: [{ email: 'ada@example.com' }], parameters: { ...template, template: 'nope' } });
		expect(error.message).toBe('SMASHSEND rejected the item: Template nope not found [item 0]');
		expect(error.httpCode).toBe('404');
	});
});

describe('Template picker and its variables', () => {
	it('lists the published templates newest first by title and name (a draft is not offered), and searches them', async () => {
		const all = await searchTemplates.call(editor());
		expect(all.results).toEqual([
			{ name: 'Invoice paid (invoice-paid)', value: 'invoice-paid' },
			{ name: 'Password reset (password-reset)', value: 'password-reset' },
			{ name: 'Welcome (welcome)', value: 'welcome' },
		]);
		expect(all.paginationToken).toBeUndefined();
		expect(emulator.received.find((r) => r.path === '/v1/transactional')?.query).toContain('status=ACTIVE');
		expect((await searchTemplates.call(editor(), 'PASS')).results.map((r) => r.value)).toEqual(['password-reset']);
	});

	it('a search reads further pages until something matches', async () => {
		emulator.rest.addTemplates([{ name: 'needle' }, ...Array.from({ length: 150 }, (_, i) => ({ name: `t${i}` }))]);
		const found = await searchTemplates.call(editor(), 'needle');
		expect(found.results.map((r) => r.value)).toEqual(['needle']);
		expect(emulator.received.filter((r) => r.path === '/v1/transactional')).toHaveLength(2);
	});

	it('pages through many templates', async () => {
		emulator.rest.addTemplates(Array.from({ length: 110 }, (_, i) => ({ name: `t${i}` })));
		const first = await searchTemplates.call(editor());
		expect(first.results).toHaveLength(100);
		const second = await searchTemplates.call(editor(), undefined, first.paginationToken as string);
		expect(second.results).toHaveLength(13);
		expect(second.paginationToken).toBeUndefined();
		expect(new Set([...first.results, ...second.results].map((r) => r.value)).size).toBe(113);
	});

	it("offers the picked template's variables as fields, with their defaults in the label", async () => {
		const { fields } = await getTemplateVariables.call(editor({ emailTemplate: locator('list', 'welcome') }));
		expect(fields.map((f) => [f.id, f.displayName, f.type, f.required])).toEqual([
			['firstName', 'firstName (default: there)', 'string', false],
			['plan', 'plan (default: free)', 'string', false],
		]);
		// Found by name beyond the first page too.
		emulator.rest.addTemplates([...Array.from({ length: 120 }, (_, i) => ({ name: `t${i}` }))]);
		const reset = await getTemplateVariables.call(editor({ emailTemplate: locator('name', 'password-reset') }));
		expect(reset.fields.map((f) => f.id)).toEqual(['resetUrl']);
		expect((await getTemplateVariables.call(editor())).fields).toEqual([]);
		expect((await getTemplateVariables.call(editor({ emailTemplate: locator('name', '={{ $json.t }}') }))).fields).toEqual([]);
		await expect(getTemplateVariables.call(editor({ emailTemplate: locator('name', 'nope') }))).rejects.toThrow(
			'SMASHSEND has no template named "nope"',
		);
	});

	it('says why in the dropdown when the key is refused or SMASHSEND cannot be reached, without the key', async () => {
		const refused = await listError(searchTemplates.call(editor({}, 'sk_live_wrong')));
		expect(refused.message).toBe('SMASHSEND did not list the templates: Invalid API key');
		expect(leakedSecrets(refused, ['sk_live_wrong', 'Bearer'])).toEqual([]);
		const dead = await listError(
			getTemplateVariables.call(editor({ emailTemplate: locator('list', 'welcome') }, EDITOR, 'http://127.0.0.1:1')),
		);
		expect(dead.message).toBe('SMASHSEND did not list the templates: the connection was refused');
		expect(leakedSecrets(dead, [EDITOR, 'Bearer'])).toEqual([]);
	});

	it('sends the picked template with the variables set, the empty ones left to the template, other variables under them', async () => {
		const output = await runPicker({
			items: [{ email: 'ada@example.com', name: 'Ada' }],
			parameters: {
				resource: 'email',
				operation: 'send',
				content: 'template',
				emailTemplate: locator('list', 'welcome'),
				templateVariables: mapper({ firstName: (json: IDataObject) => json.name, plan: null }),
				otherVariables: '{ "firstName": "ignored", "coupon": "WELCOME10" }',
			},
		});
		expect(output[0].json).toMatchObject({ status: 'SENT', to: 'ada@example.com' });
		expect(emulator.rest.emails[0]).toMatchObject({ template: 'welcome', variables: { firstName: 'Ada', coupon: 'WELCOME10' } });
		expect(emulator.rest.emails[0].variables).not.toHaveProperty('plan');
	});

	it('from version 3, Other Variables (JSON) is read under Additional Fields', async () => {
		await runPicker({
			typeVersion: 3,
			items: [{ email: 'ada@example.com' }],
			parameters: {
				resource: 'email',
				operation: 'send',
				content: 'template',
				emailTemplate: locator('name', 'welcome'),
				templateVariables: mapper({ firstName: 'Ada' }),
				additionalFields: { otherVariables: '{ "firstName": "ignored", "coupon": "WELCOME10" }' },
			},
		});
		expect(emulator.rest.emails[0].variables).toEqual({ firstName: 'Ada', coupon: 'WELCOME10' });
	});

	it("Map Automatically takes the item's fields named like the variables", async () => {
		await runPicker({
			items: [{ email: 'ada@example.com', firstName: 'Ada', plan: 'pro', unrelated: 1 }],
			parameters: {
				resource: 'email',
				operation: 'send',
				content: 'template',
				emailTemplate: locator('name', 'welcome'),
				templateVariables: mapper(null, {
					mappingMode: 'autoMapInputData',
					schema: [
						{ id: 'firstName', displayName: 'firstName', display: true, required: false, defaultMatch: false },
						{ id: 'plan', displayName: 'plan', display: true, required: false, defaultMatch: false },
					],
				}),
			},
		});
		expect(emulator.rest.emails[0].variables).toEqual({ firstName: 'Ada', plan: 'pro' });
	});

	it('fails an item without a template alone, saying what to do', async () => {
		const output = await runPicker({
			items: [
				{ email: 'ada@example.com', t: 'welcome' },
				{ email: 'grace@example.com', t: '' },
			],
			continueOnFail: true,
			parameters: {
				resource: 'email',
				operation: 'send',
				content: 'template',
				emailTemplate: locator('name', (json: IDataObject) => json.t),
				templateVariables: mapper(null),
			},
		});
		expect(output[0].json).toMatchObject({ status: 'SENT' });
		expect(output[1].json.error).toContain("No template in 'Template' [item 1]");
		expect(emulator.rest.emails).toHaveLength(1);
	});
});

describe('From picker (verified senders)', () => {
	it('lists the verified addresses, and turns the search into an address at each verified domain', async () => {
		expect((await searchSenders.call(editor())).results).toEqual([
			{ name: 'hello@acme.example', value: 'hello@acme.example' },
			{ name: 'support@acme.example', value: 'support@acme.example' },
		]);
		expect((await searchSenders.call(editor(), 'news')).results).toEqual([
			{ name: 'news@mail.acme.example (verified domain)', value: 'news@mail.acme.example' },
		]);
		expect((await searchSenders.call(editor(), 'news@other')).results).toEqual([]);
		expect((await searchSenders.call(editor(), 'supp')).results.map((r) => r.value)).toEqual([
			'support@acme.example',
			'supp@mail.acme.example',
		]);
		const refused = await listError(searchSenders.call(editor({}, 'sk_live_wrong')));
		expect(refused.message).toBe('SMASHSEND did not list the verified senders: Invalid API key');
	});

	it('sends from the picked sender; a typed address that is not one fails that item alone', async () => {
		const output = await runPicker({
			items: [
				{ email: 'ada@example.com', from: 'hello@acme.example' },
				{ email: 'grace@example.com', from: 'not an address' },
			],
			continueOnFail: true,
			parameters: {
				resource: 'email',
				operation: 'send',
				content: 'raw',
				sender: locator('address', (json: IDataObject) => json.from),
				subject: 'Hi',
				text: 'Hello',
			},
		});
		expect(emulator.rest.emails.map((e) => e.from)).toEqual(['hello@acme.example']);
		expect(output[1].json.error).toContain(`The email in 'From' is not a valid address: "not an address" [item 1]`);
	});
});

describe('Email → Send: Reply To, Analytics Group, Contact Properties', () => {
	const raw = (additionalFields: IDataObject) => ({
		resource: 'email',
		operation: 'send',
		to: (json: IDataObject) => json.email,
		content: 'raw',
		from: 'Shop <hello@shop.example>',
		subject: 'Hi',
		html: '<p>Hi</p>',
		additionalFields,
	});

	it('sends one Reply To as text and several (up to 5) as a list; more fails the item alone, before sending', async () => {
		const output = await run({
			items: [
				{ email: 'a@example.com', reply: 'help@shop.example' },
				{ email: 'b@example.com', reply: 'help@shop.example, sales@shop.example' },
				{ email: 'c@example.com', reply: 'a@x.example, b@x.example, c@x.example, d@x.example, e@x.example, f@x.example' },
			],
			parameters: raw({ replyTo: (json: IDataObject) => json.reply }),
			continueOnFail: true,
		});
		expect(emulator.rest.emails.map((e) => e.replyTo)).toEqual(['help@shop.example', ['help@shop.example', 'sales@shop.example']]);
		expect(emulator.rest.emails[0].from).toBe('Shop <hello@shop.example>');
		expect(output[2].json.error).toContain("'Reply To' has 6 addresses; SMASHSEND takes at most 5 [item 2]");
	});

	it("sends the Analytics Group and the recipient's Contact Properties with an email written here; SMASHSEND saves them on the contact", async () => {
		await run({
			items: [{ email: 'ada@example.com' }],
			parameters: raw({ groupBy: 'welcome-series', contactProperties: '{"firstName": "Ada", "plan": "pro"}' }),
		});
		expect(emulator.rest.emails[0]).toMatchObject({ groupBy: 'welcome-series', contactProperties: { firstName: 'Ada', plan: 'pro' } });
		expect(emulator.rest.contacts[0].properties).toMatchObject({ email: 'ada@example.com', firstName: 'Ada', plan: 'pro' });
	});

	it('leaves them out of a template email (a template has its own), and fails Contact Properties that are not JSON', async () => {
		const output = await run({
			items: [{ email: 'ada@example.com' }, { email: 'bob@example.com' }],
			parameters: {
				resource: 'email',
				operation: 'send',
				to: (json: IDataObject) => json.email,
				content: (json: IDataObject) => (json.email === 'ada@example.com' ? 'template' : 'raw'),
				template: 'welcome',
				variables: '{}',
				from: 'hello@shop.example',
				subject: 'Hi',
				html: '<p>Hi</p>',
				additionalFields: {
					groupBy: 'g',
					contactProperties: (json: IDataObject) => (json.email === 'ada@example.com' ? '{"firstName": "Ada"}' : '{firstName: Bob'),
				},
			},
			continueOnFail: true,
		});
		expect(output[0].json.error).toBeUndefined();
		expect(emulator.rest.emails).toHaveLength(1);
		expect(emulator.rest.emails[0]).not.toHaveProperty('groupBy');
		expect(emulator.rest.emails[0]).not.toHaveProperty('contactProperties');
		expect(output[1].json.error).toContain("'Contact Properties (JSON)' is not valid JSON [item 1]");
	});
});
