import { type IDataObject, type ILoadOptionsFunctions } from 'n8n-workflow';

import { SmashsendApi } from '../../../credentials/SmashsendApi.credentials';
import { getCustomProperties } from '../../../nodes/Smashsend/methods/loadOptions';

import { getCustomPropertyFields } from '../../../nodes/Smashsend/methods/resourceMapping';
import { DEFAULT_EMAIL, TEST_NODE } from '../../support/executeContext';
import { authenticatedHttpRequest } from '../../support/n8nHttp';
import { useRestEmulator } from '../../support/restEmulator';
import { EDITOR, VIEWER, locator, restNode, type RestRunOptions } from '../../support/restNode';
import { editorContext, listError, mapper } from '../../support/editorContext';
import { leakedSecrets } from '../../support/secrets';

/**
 * A contact's custom properties: the workspace's list (pages, types, options), the version 1 picker and the version 2 typed fields.
 */

const emulator = useRestEmulator();

const { run: runPicker } = restNode(emulator, { typeVersion: 2, parameters: { to: DEFAULT_EMAIL } });
const listing = restNode(emulator, { parameters: { resource: 'contact' } });
const runListing = async (options: RestRunOptions) =>
	await listing.run({
		...options,
		parameters: { ...options.parameters, options: { rateLimit: 0, maxRetryWait: 0.02, ...(options.parameters?.options as IDataObject) } },
	});

/** What n8n gives an editor method: the node, its credential and its current parameters. */
const editor = (parameters: IDataObject = {}, apiKey = EDITOR, baseUrl = `${emulator.url}/v1/`) =>
	editorContext(baseUrl, parameters, apiKey);

describe('the custom-properties lookup', () => {
	const many = Array.from({ length: 150 }, (_, i) => ({ apiSlug: `prop${i}`, displayName: `Property ${i}`, type: 'NUMBER' }));
	const properties = () => emulator.received.filter((r) => r.path === '/v1/contacts/properties');

	it("asks for 50 a page (as SMASHSEND's SDK does), follows a cursor while there is one, retries a failed page", async () => {
		emulator.rest.setShapes('legacy');
		emulator.rest.setProperties(many);
		emulator.addFaults([{ path: 'GET /v1/contacts/properties', status: 503, retryAfter: 0 }]);
		const output = await runListing({
			items: [{ email: 'ada@example.com' }],
			parameters: { operation: 'upsert', customProperties: { property: [{ name: 'prop140', value: '7' }] } },
		});
		expect(output[0].json.properties).toMatchObject({ email: 'ada@example.com', prop140: 7 });
		expect(properties().map((r) => r.status)).toEqual([503, 200, 200, 200]);
		expect(properties().every((r) => new URLSearchParams(r.query).get('limit') === '50')).toBe(true);
	});

	it('counts against the rate limit like every other call', async () => {
		emulator.rest.setShapes('legacy');
		emulator.rest.setProperties(many);
		// 120 calls a minute: one every 0.5 s; three property pages and one upsert take at least 1.5 s.
		await runListing({
			items: [{ email: 'ada@example.com' }],
			parameters: { operation: 'upsert', customProperties: { property: [{ name: 'prop1', value: '1' }] }, options: { rateLimit: 120 } },
		});
		const times = emulator.received.map((r) => r.receivedAt);
		expect(times).toHaveLength(4);
		// Paced over 1.5 s (one slot skipped: 1 s). The first call's trip may be late on a loaded
		// machine while the others keep their slots.
		expect(times[3] - times[0]).toBeGreaterThan(1100);
	});

	it("with more properties than one page and no cursor (the SDK's answer), sends a property it could not list as given", async () => {
		emulator.rest.setProperties([...many, { apiSlug: 'team', displayName: 'Team', type: 'STRING' }]);
		const output = await runListing({
			items: [{ email: 'ada@example.com' }, { email: 'bob@example.com' }],
			parameters: {
				operation: 'upsert',
				customProperties: {
					property: [
						{ name: 'prop1', value: '1' },
						{ name: 'team', value: ' Blue ' },
						{ name: (json: IDataObject) => (json.email === 'bob@example.com' ? 'nosuch' : 'prop2'), value: '2' },
					],
				},
				options: { batchSize: 1 },
			},
			continueOnFail: true,
		});
		// One page of 50, hasMore without a cursor: nothing more to ask for.
		expect(properties()).toHaveLength(1);
		// Listed: typed by the node. Not listed: as given (trimmed), and SMASHSEND judges it.
		expect(output[0].json.properties).toMatchObject({ prop1: 1, prop2: 2, team: 'Blue' });
		expect(output[1].json.error).toBe('SMASHSEND rejected the item: Unknown property "nosuch": create it in SMASHSEND first [item 1]');
		expect(output[1].json.httpCode).toBe('400');
	});

	it('when the properties cannot be loaded, each item that needs them fails with its own item named once', async () => {
		emulator.addFaults([{ path: 'GET /v1/contacts/properties', status: 401, times: 10 }]);
		const output = await runListing({
			items: [{ email: 'ada@example.com' }, { email: 'bob@example.com' }, { email: 'cy@example.com' }],
			parameters: { operation: 'upsert', customProperties: { property: [{ name: 'seats', value: '3' }] } },
			continueOnFail: true,
		});
		// One message, worded once by the lookup; each item's error names that item alone.
		expect(output.map((item) => item.json.error)).toEqual(
			[0, 1, 2].map((i) => `Could not load the workspace's custom properties from SMASHSEND: Injected failure [item ${i}]`),
		);
		expect(output[1].json.errorDescription).toContain('SMASHSEND answered with status 401.');
		expect(emulator.rest.contacts).toHaveLength(0);
	});

	it('a parameter that cannot be read (an expression that throws) fails its item, named once', async () => {
		const output = await runListing({
			items: [{ email: 'ada@example.com' }, { email: 'bob@example.com' }],
			parameters: {
				operation: 'upsert',
				contactFields: {
					firstName: (json: IDataObject) => {
						if (json.email === 'bob@example.com') throw new Error('Cannot read properties of undefined (reading "name")');
						return 'Ada';
					},
				},
			},
			continueOnFail: true,
		});
		expect(output[0].json.error).toBeUndefined();
		expect(output[1].json.error).toBe('Cannot read properties of undefined (reading "name") [item 1]');
	});

	it("reads the options of a select from typeConfig (SMASHSEND's SDK) and from a plain list (older answers)", async () => {
		const { loadCustomProperties } = await import('../../../nodes/Smashsend/actions/contact/customProperties');
		for (const shapes of ['sdk', 'legacy'] as const) {
			emulator.rest.setShapes(shapes);
			const loaded = await loadCustomProperties(async (request) => {
				const url = new URL(`${emulator.url}/v1${request.path}`);
				for (const [key, value] of Object.entries(request.qs ?? {})) url.searchParams.set(key, String(value));
				const response = await fetch(url, { headers: { authorization: 'Bearer sk_live_emulator_editor' } });
				return { status: 'delivered', value: (await response.json()) as IDataObject, attempts: 1 };
			});
			if (!loaded.ok) throw new Error('not loaded');
			expect(loaded.complete).toBe(true);
			expect(loaded.properties.get('plan')).toMatchObject({ type: 'SELECT', options: ['free', 'pro', 'team'], multiple: false });
			expect(loaded.properties.get('interests')).toMatchObject({
				type: 'MULTI_SELECT',
				options: ['product', 'events', 'blog'],
				multiple: true,
			});
		}
	});
});

describe('Custom Properties picker (load options, version 1)', () => {
	const loadOptionsContext = (apiKey: string, baseUrl = emulator.url) => {
		const credentials = { apiKey, baseUrl };
		const authenticate = new SmashsendApi().authenticate;
		return {
			getNode: () => TEST_NODE,
			getCredentials: async () => credentials,
			helpers: { httpRequestWithAuthentication: authenticatedHttpRequest(authenticate, credentials) },
		} as unknown as ILoadOptionsFunctions;
	};

	it("lists the workspace's custom properties by name, with their slug and type", async () => {
		const options = await getCustomProperties.call(loadOptionsContext(VIEWER));
		expect(options.map((o) => o.name)).toEqual(['Interests', 'Newsletter', 'Plan', 'Renewal date', 'Seats', 'Signup source']);
		expect(options.find((o) => o.value === 'plan')?.description).toBe('plan · select: free, pro, team');
	});

	it("says why when SMASHSEND cannot be reached, without n8n's raw error (which carries the key)", async () => {
		const error = await getCustomProperties.call(loadOptionsContext(EDITOR, 'http://127.0.0.1:1')).then(
			() => undefined,
			(e: Error) => e,
		);
		expect(error?.message).toBe('SMASHSEND did not list the custom properties: the connection was refused');
		expect((error as Error & { description?: string }).description).toContain('ECONNREFUSED');
		expect(leakedSecrets(error, [EDITOR, 'Bearer'])).toEqual([]);
	});

	it('says why when SMASHSEND refuses', async () => {
		await expect(getCustomProperties.call(loadOptionsContext('sk_live_wrong'))).rejects.toThrow(
			'SMASHSEND did not list the custom properties: Invalid API key',
		);
	});
});

describe('Custom properties as typed fields (version 2)', () => {
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
		expect(refused.message).toBe('SMASHSEND did not list the custom properties: Invalid API key');
	});

	it("Map Automatically sends the item's fields named like the workspace's properties, also those added since the node was set up", async () => {
		const [saved] = await runPicker({
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
			runPicker({
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
		expect(unknown[0].json.error).toContain('The custom property "shoeSize" is not in this SMASHSEND workspace [item 0]');
		const id = (output[0].json as IDataObject).id as string;
		const [updated] = await runPicker({
			items: [{}],
			parameters: { resource: 'contact', operation: 'update', contact: locator('id', id), customPropertyFields: mapper({ seats: 5 }) },
		});
		expect(updated.json).toMatchObject({ properties: { seats: 5, plan: 'pro' } });
	});
});
