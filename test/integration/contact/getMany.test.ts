import { type IDataObject } from 'n8n-workflow';

import { useRestEmulator } from '../../support/restEmulator';
import { restNode, type RestRunOptions } from '../../support/restNode';

/**
 * Contact → Get Many: pages, limits, filters, and servers that page oddly.
 */

const emulator = useRestEmulator();
const { run, failure: runExpectingError } = restNode(emulator);
const listing = restNode(emulator, { parameters: { resource: 'contact' } });
const runListing = async (options: RestRunOptions) =>
	await listing.run({
		...options,
		parameters: { ...options.parameters, options: { rateLimit: 0, maxRetryWait: 0.02, ...(options.parameters?.options as IDataObject) } },
	});
const rest = () => emulator.received.filter((r) => r.path.startsWith('/v1/'));
const contact = (parameters: Record<string, unknown>) => ({ resource: 'contact', ...parameters });
const listings = () => emulator.received.filter((r) => r.method === 'GET' && r.path === '/v1/contacts');
const getMany = { operation: 'getMany', returnAll: true };

describe('Contact: Get Many', () => {
	beforeEach(() =>
		emulator.rest.seedContacts(
			Array.from({ length: 230 }, (_, i) => ({ email: `c${i}@example.com`, status: i % 10 === 0 ? 'UNSUBSCRIBED' : 'SUBSCRIBED' })),
		),
	);

	it('node version 4 takes Sort as a parameter of its own (Newest First by default); version 3 from the Filters', async () => {
		const sorted = async (typeVersion: number, parameters: IDataObject) => {
			emulator.received.length = 0;
			await restNode(emulator, { typeVersion }).run({
				items: [{}],
				parameters: contact({ operation: 'getMany', limit: 1, ...parameters }),
			});
			return new URLSearchParams(listings()[0].query).get('sort');
		};
		expect(await sorted(4, { sort: 'createdAt.asc', filters: { sort: 'createdAt.desc' } })).toBe('createdAt.asc');
		expect(await sorted(4, {})).toBe('createdAt.desc');
		expect(await sorted(3, { sort: 'createdAt.desc', filters: { sort: 'createdAt.asc' } })).toBe('createdAt.asc');
		expect(await sorted(3, {})).toBeNull();
	});

	it('returns all contacts across pages of 100, each paired with the input item', async () => {
		const output = await run({
			items: [{}],
			parameters: contact({ operation: 'getMany', returnAll: true, filters: { sort: 'createdAt.asc' } }),
		});
		expect(output).toHaveLength(230);
		expect(output[0].json.properties).toMatchObject({ email: 'c0@example.com' });
		expect(output[229].json.properties).toMatchObject({ email: 'c229@example.com' });
		expect(output.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(rest().map((r) => new URL(r.path, 'http://x').pathname)).toEqual(['/v1/contacts', '/v1/contacts', '/v1/contacts']);
	});

	it('stops at the limit, asking only for what is still missing', async () => {
		const output = await run({ items: [{}], parameters: contact({ operation: 'getMany', returnAll: false, limit: 120 }) });
		expect(output).toHaveLength(120);
		expect(output[0].json.properties).toMatchObject({ email: 'c229@example.com' });
		expect(rest()).toHaveLength(2);
	});

	it('filters by status and search', async () => {
		const output = await run({
			items: [{}],
			parameters: contact({ operation: 'getMany', returnAll: true, filters: { status: 'UNSUBSCRIBED', search: 'c1' } }),
		});
		// c1x… and c1xx… with an index divisible by ten: c10, c100, c110, …, c190
		expect(output.map((i) => (i.json.properties as IDataObject).email).sort()).toEqual(
			['c10', 'c100', 'c110', 'c120', 'c130', 'c140', 'c150', 'c160', 'c170', 'c180', 'c190'].map((e) => `${e}@example.com`).sort(),
		);
	});

	it('retries a page that failed without fetching the earlier pages again', async () => {
		// The second page (the first one asked for with a cursor) fails once.
		emulator.addFaults([{ path: 'GET /v1/contacts?limit=100&cursor=', status: 503, times: 1 }]);
		const output = await run({
			items: [{}],
			parameters: contact({ operation: 'getMany', returnAll: true, options: { rateLimit: 0, maxRetryWait: 0.05 } }),
		});
		expect(output).toHaveLength(230);
		expect(rest().map((r) => r.status)).toEqual([200, 503, 200, 200]);
		expect(new Set(output.map((item) => item.json.id)).size).toBe(230);
	});

	it('reports a page that fails for good with its own attempts and advice', async () => {
		emulator.addFaults([{ path: 'GET /v1/contacts?limit=100&cursor=', status: 503, times: 3 }]);
		const error = await runExpectingError({
			items: [{}],
			parameters: contact({ operation: 'getMany', returnAll: true, options: { rateLimit: 0, maxRetries: 2, maxRetryWait: 0.02 } }),
		});
		expect(error.message).toBe('SMASHSEND could not handle the call: Injected failure [item 0]');
		expect(error.httpCode).toBe('503');
		expect(error.description).toContain(
			'To keep trying longer, raise Max Retries or Max Wait per Retry in the Options (under Retries and Timeout in new nodes).',
		);
		expect(error.description).toContain('Tried 3 times (HTTP 503, HTTP 503, HTTP 503).');
		expect(rest().map((r) => r.status)).toEqual([200, 503, 503, 503]);
	});
});

describe('Get Many against a server that pages oddly', () => {
	it('stops, with an error for its item, when the server repeats its cursor: no endless loop', async () => {
		const page = { contacts: { items: [{ id: 'ctc_loop', properties: { email: 'loop@example.com' } }], hasMore: true, cursor: 'same' } };
		emulator.addFaults([{ path: 'GET /v1/contacts?', status: 200, body: page, times: 1000 }]);
		const output = await runListing({ items: [{}], parameters: getMany, continueOnFail: true });
		expect(output).toHaveLength(1);
		expect(output[0].json.error).toBe(
			"SMASHSEND's listing could not be read: it sent the same page twice (its cursor did not move on) [item 0]",
		);
		expect(listings()).toHaveLength(2);
	});

	it('fails only the item whose page holds no list, and lists for the others', async () => {
		emulator.rest.seedContacts([{ email: 'ada@example.com' }, { email: 'bob@example.com' }]);
		emulator.addFaults([{ path: 'GET /v1/contacts?', status: 200, body: { contacts: { items: 'not a list', hasMore: false } } }]);
		const output = await runListing({ items: [{}, {}], parameters: { ...getMany, options: { concurrency: 1 } }, continueOnFail: true });
		expect(output[0].json.error).toBe("SMASHSEND's listing could not be read: page 1 holds no list of records [item 0]");
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
		await expect(runListing({ items: [{}], parameters: getMany })).rejects.toThrow('page 1 holds no list of records');
	});
});
