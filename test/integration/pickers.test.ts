import type { IDataObject, ILoadOptionsFunctions, INodeExecutionData } from 'n8n-workflow';

import { SmashsendApi } from '../../credentials/SmashsendApi.credentials';
import { Smashsend } from '../../nodes/Smashsend/Smashsend.node';
import { searchSenders, searchTemplates } from '../../nodes/Smashsend/methods/listSearch';
import { getCustomPropertyFields, getTemplateVariables } from '../../nodes/Smashsend/methods/resourceMapping';
import { DEFAULT_EMAIL, executeContext, TEST_NODE, type ContextOptions } from '../support/executeContext';
import { authenticatedHttpRequest } from '../support/n8nHttp';
import { leakedSecrets } from '../support/secrets';
import { useRestEmulator } from '../support/restEmulator';

/**
 * Version 2's pickers against the emulator over HTTP: the template list and its variables as
 * fields, the verified senders, the custom properties as typed fields, and what an execution
 * sends from each.
 */

const EDITOR = 'sk_live_emulator_editor';
const emulator = useRestEmulator();

/** What n8n gives a picker's method: the node, its credential and its current parameters. */
function editor(parameters: IDataObject = {}, apiKey = EDITOR, baseUrl = `${emulator.url}/v1/`): ILoadOptionsFunctions {
	const creds = { apiKey, baseUrl };
	return {
		getNode: () => ({ ...TEST_NODE, typeVersion: 2 }),
		getCredentials: async () => creds,
		// As n8n's: expressions are resolved (and fail in the editor, where there is no item) unless raw ones are asked for.
		getNodeParameter: (name: string, fallback: unknown, options?: { extractValue?: boolean; rawExpressions?: boolean }) => {
			const value = parameters[name];
			if (value === undefined) return fallback;
			const inner = typeof value === 'object' && value !== null ? (value as IDataObject).value : value;
			if (!options?.rawExpressions && typeof inner === 'string' && inner.startsWith('=')) throw new Error('No execution data available');
			return options?.extractValue && typeof value === 'object' && value !== null ? inner : value;
		},
		helpers: { httpRequestWithAuthentication: authenticatedHttpRequest(new SmashsendApi().authenticate, creds) },
	} as unknown as ILoadOptionsFunctions;
}

async function run(options: Omit<ContextOptions, 'credentials'>): Promise<INodeExecutionData[]> {
	const creds = { apiKey: EDITOR, baseUrl: `${emulator.url}/v1/` };
	const context = executeContext({
		typeVersion: 2,
		...options,
		parameters: { options: { rateLimit: 0 }, to: DEFAULT_EMAIL, ...options.parameters },
		credentials: creds,
		httpRequestWithAuthentication: authenticatedHttpRequest(new SmashsendApi().authenticate, creds),
	});
	const [output] = await new Smashsend().execute.call(context);
	return output;
}

const locator = (mode: string, value: unknown) => ({ __rl: true, mode, value });
const mapper = (value: IDataObject | null, extra: IDataObject = {}) => ({ mappingMode: 'defineBelow', value, ...extra });

async function listError(promise: Promise<unknown>): Promise<Error & { description?: string }> {
	return await promise.then(
		() => {
			throw new Error('expected the list to fail');
		},
		(error: Error & { description?: string }) => error,
	);
}

describe('Template picker and its variables', () => {
	it('lists the templates newest first by title and name, marks those not active, and searches them', async () => {
		const all = await searchTemplates.call(editor());
		expect(all.results).toEqual([
			{ name: 'Winter promo (winter-promo) · draft', value: 'winter-promo' },
			{ name: 'Invoice paid (invoice-paid)', value: 'invoice-paid' },
			{ name: 'Password reset (password-reset)', value: 'password-reset' },
			{ name: 'Welcome (welcome)', value: 'welcome' },
		]);
		expect(all.paginationToken).toBeUndefined();
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
		expect(second.results).toHaveLength(14);
		expect(second.paginationToken).toBeUndefined();
		expect(new Set([...first.results, ...second.results].map((r) => r.value)).size).toBe(114);
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
		expect(refused.message).toBe('SMASHSEND did not list the templates (HTTP 401): Invalid API key');
		expect(leakedSecrets(refused, ['sk_live_wrong', 'Bearer'])).toEqual([]);
		const dead = await listError(
			getTemplateVariables.call(editor({ emailTemplate: locator('list', 'welcome') }, EDITOR, 'http://127.0.0.1:1')),
		);
		expect(dead.message).toBe('SMASHSEND did not list the templates: the connection was refused');
		expect(leakedSecrets(dead, [EDITOR, 'Bearer'])).toEqual([]);
	});

	it('sends the picked template with the variables set, the empty ones left to the template, other variables under them', async () => {
		const output = await run({
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

	it("Map Automatically takes the item's fields named like the variables", async () => {
		await run({
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
		const output = await run({
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
		expect(output[1].json.error).toContain('Item 1 has no template');
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
		expect(refused.message).toBe('SMASHSEND did not list the verified senders (HTTP 401): Invalid API key');
	});

	it('sends from the picked sender; a typed address that is not one fails that item alone', async () => {
		const output = await run({
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
		expect(output[1].json.error).toContain('Item 1 has an email in From that is not a valid address ("not an address")');
	});
});

describe('Custom properties as typed fields', () => {
	it('offers each custom property as a field of its type, a select with its options', async () => {
		const { fields } = await getCustomPropertyFields.call(editor());
		expect(fields.map((f) => [f.id, f.type])).toEqual([
			['interests', 'string'],
			['newsletter', 'boolean'],
			['plan', 'options'],
			['renewalDate', 'dateTime'],
			['seats', 'number'],
			['signupSource', 'string'],
		]);
		expect(fields.find((f) => f.id === 'plan')?.options).toEqual([
			{ name: 'free', value: 'free' },
			{ name: 'pro', value: 'pro' },
			{ name: 'team', value: 'team' },
		]);
		expect(fields.find((f) => f.id === 'interests')?.displayName).toBe('Interests (comma-separated: product, events, blog)');
		expect(fields.every((f) => !f.required && f.display)).toBe(true);
		const refused = await listError(getCustomPropertyFields.call(editor({}, 'sk_live_wrong')));
		expect(refused.message).toBe('SMASHSEND did not list the custom properties (HTTP 401): Invalid API key');
	});

	it("Map Automatically sends the item's fields named like the workspace's properties, also those added since the node was set up", async () => {
		const [saved] = await run({
			items: [{ email: 'ada@example.com', plan: 'team', seats: '7', unrelated: 'x' }],
			parameters: {
				resource: 'contact',
				operation: 'upsert',
				email: DEFAULT_EMAIL,
				// Saved before Seats existed: only Plan in the node's schema.
				customPropertyFields: mapper(null, {
					mappingMode: 'autoMapInputData',
					schema: [{ id: 'plan', displayName: 'Plan', display: true, required: false, defaultMatch: false }],
				}),
			},
		});
		expect(saved.json.properties).toEqual(expect.objectContaining({ plan: 'team', seats: 7 }));
		expect(saved.json.properties).not.toHaveProperty('unrelated');
	});

	it('Create or Update and Update send the fields set, typed; empty ones are not sent; an unknown one fails its item', async () => {
		const upsert = (items: IDataObject[], value: IDataObject) =>
			run({
				items,
				continueOnFail: true,
				parameters: { resource: 'contact', operation: 'upsert', email: DEFAULT_EMAIL, customPropertyFields: mapper(value) },
			});
		const output = await upsert([{ email: 'ada@example.com' }], {
			plan: 'pro',
			seats: '3',
			newsletter: 'yes',
			interests: 'product, blog',
			renewalDate: '2026-12-01',
			signupSource: '',
		});
		expect(output[0].json).toMatchObject({
			properties: {
				email: 'ada@example.com',
				plan: 'pro',
				seats: 3,
				newsletter: true,
				interests: ['product', 'blog'],
				renewalDate: '2026-12-01',
			},
		});
		expect((output[0].json.properties as IDataObject).signupSource).toBeUndefined();
		const unknown = await upsert([{ email: 'grace@example.com' }], { shoeSize: 44 });
		expect(unknown[0].json.error).toContain('Item 0 sets the custom property "shoeSize", which this SMASHSEND workspace does not have');
		const id = (output[0].json as IDataObject).id as string;
		const [updated] = await run({
			items: [{}],
			parameters: { resource: 'contact', operation: 'update', contact: locator('id', id), customPropertyFields: mapper({ seats: 5 }) },
		});
		expect(updated.json).toMatchObject({ properties: { seats: 5, plan: 'pro' } });
	});
});
