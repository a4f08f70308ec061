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

	it('reads every page of properties, retries a failed page, and keeps to the pace', async () => {
		emulator.rest.setProperties(many);
		emulator.addFaults([{ path: 'GET /v1/contacts/properties', status: 503, retryAfter: 0 }]);
		const output = await run({
			items: [{ email: 'ada@example.com' }],
			parameters: { operation: 'upsert', customProperties: { property: [{ name: 'prop140', value: '7' }] } },
		});
		expect(output[0].json.properties).toMatchObject({ email: 'ada@example.com', prop140: 7 });
		const lookups = emulator.received.filter((r) => r.path === '/v1/contacts/properties');
		expect(lookups.map((r) => r.status)).toEqual([503, 200, 200]);
	});

	it('counts against the rate limit like every other call', async () => {
		emulator.rest.setProperties(many);
		// 120 calls a minute: one every 0.5 s; two property pages and one upsert take at least 1 s.
		await run({
			items: [{ email: 'ada@example.com' }],
			parameters: { operation: 'upsert', customProperties: { property: [{ name: 'prop1', value: '1' }] }, options: { rateLimit: 120 } },
		});
		const times = emulator.received.map((r) => r.receivedAt);
		expect(times).toHaveLength(3);
		expect(times[2] - times[0]).toBeGreaterThanOrEqual(900);
	});
});
