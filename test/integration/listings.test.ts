import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { SmashsendApi } from '../../credentials/SmashsendApi.credentials';
import { Smashsend } from '../../nodes/Smashsend/Smashsend.node';
import { executeContext, type ContextOptions } from '../support/executeContext';
import { authenticatedHttpRequest } from '../support/n8nHttp';
import { useRestEmulator } from '../support/restEmulator';

/** Listings (Get Many, the custom-properties lookup) against servers that page oddly. */

const emulator = useRestEmulator();

async function run(options: Omit<ContextOptions, 'credentials'>): Promise<INodeExecutionData[]> {
	const credentials = { apiKey: 'sk_live_emulator_editor', baseUrl: emulator.url };
	const authenticate = new SmashsendApi().authenticate;
	const context = executeContext({
		...options,
		parameters: {
			resource: 'contact',
			...options.parameters,
			options: { rateLimit: 0, maxRetryWait: 0.02, ...(options.parameters?.options as IDataObject) },
		},
		credentials,
		httpRequestWithAuthentication: authenticatedHttpRequest(authenticate, credentials),
	});
	const [output] = await new Smashsend().execute.call(context);
	return output;
}

const listings = () => emulator.received.filter((r) => r.method === 'GET' && r.path === '/v1/contacts');
const getMany = { operation: 'getMany', returnAll: true };

describe('Get Many against a server that pages oddly', () => {
	it('stops, with an error for its item, when the server repeats its cursor: no endless loop', async () => {
		const page = { contacts: { items: [{ id: 'ctc_loop', properties: { email: 'loop@example.com' } }], hasMore: true, cursor: 'same' } };
		emulator.addFaults([{ path: 'GET /v1/contacts?', status: 200, body: page, times: 1000 }]);
		const output = await run({ items: [{}], parameters: getMany, continueOnFail: true });
		expect(output).toHaveLength(1);
		expect(output[0].json.error).toBe(
			"SMASHSEND's listing for item 0 could not be read: it sent the same page twice (its cursor did not move on)",
		);
		expect(listings()).toHaveLength(2);
	});

	it('fails only the item whose page holds no list, and lists for the others', async () => {
		emulator.rest.seedContacts([{ email: 'ada@example.com' }, { email: 'bob@example.com' }]);
		emulator.addFaults([{ path: 'GET /v1/contacts?', status: 200, body: { contacts: { items: 'not a list', hasMore: false } } }]);
		const output = await run({ items: [{}, {}], parameters: { ...getMany, options: { concurrency: 1 } }, continueOnFail: true });
		expect(output[0].json.error).toBe("SMASHSEND's listing for item 0 could not be read: page 1 holds no list of records");
		expect(
			output
				.slice(1)
				.map((item) => (item.json.properties as IDataObject).email)
				.sort(),
		).toEqual(['ada@example.com', 'bob@example.com']);
		expect(output.slice(1).every((item) => (item.pairedItem as { item: number }).item === 1)).toBe(true);
	});

	it('stops the workflow with that error when On Error is Stop Workflow', async () => {
		emulator.addFaults([{ path: 'GET /v1/contacts?', status: 200, body: { contacts: { items: { a: 1 }, hasMore: true, cursor: 'x' } } }]);
		await expect(run({ items: [{}], parameters: getMany })).rejects.toThrow('page 1 holds no list of records');
	});
});

describe('the custom-properties lookup', () => {
	const many = Array.from({ length: 150 }, (_, i) => ({ apiSlug: `prop${i}`, displayName: `Property ${i}`, type: 'NUMBER' }));
	const properties = () => emulator.received.filter((r) => r.path === '/v1/contacts/properties');

	it("asks for 50 a page (as SMASHSEND's SDK does), follows a cursor while there is one, retries a failed page", async () => {
		emulator.rest.setShapes('legacy');
		emulator.rest.setProperties(many);
		emulator.addFaults([{ path: 'GET /v1/contacts/properties', status: 503, retryAfter: 0 }]);
		const output = await run({
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
		await run({
			items: [{ email: 'ada@example.com' }],
			parameters: { operation: 'upsert', customProperties: { property: [{ name: 'prop1', value: '1' }] }, options: { rateLimit: 120 } },
		});
		const times = emulator.received.map((r) => r.receivedAt);
		expect(times).toHaveLength(4);
		expect(times[3] - times[0]).toBeGreaterThanOrEqual(1400);
	});

	it("with more properties than one page and no cursor (the SDK's answer), sends a property it could not list as given", async () => {
		emulator.rest.setProperties([...many, { apiSlug: 'team', displayName: 'Team', type: 'STRING' }]);
		const output = await run({
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
		expect(output[1].json.error).toBe('SMASHSEND rejected item 1 (HTTP 400): Unknown property "nosuch": create it in SMASHSEND first');
	});

	it("reads the options of a select from typeConfig (SMASHSEND's SDK) and from a plain list (older answers)", async () => {
		const { loadCustomProperties } = await import('../../nodes/Smashsend/actions/contact/customProperties');
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
