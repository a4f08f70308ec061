import type { IDataObject } from 'n8n-workflow';

import { useRestEmulator } from '../../support/restEmulator';
import { locator, restNode } from '../../support/restNode';

/**
 * The last item for a contact wins on every path (issue 37): whatever is retried, and however the
 * items go (one call each, in batches, with and without Created At, across n8n's Retry On Fail),
 * a later item of a contact is carried out only once the earlier one is settled.
 */

const emulator = useRestEmulator();
const v3 = restNode(emulator, { typeVersion: 3, parameters: { resource: 'contact' } });
// No waiting between tries: the order is what is tested, not the backoff.
const quick = (more: IDataObject = {}) => ({ rateLimit: 0, retryAndTimeout: { settings: { maxRetryWait: 0 } }, ...more });
const firstName = (item: IDataObject) => item.firstName;
/** A run of the node under Retry On Fail and On Error: Continue, its own retries off; run it again for n8n's next try. */
const underRetryOnFail = (name: string, items: IDataObject[], parameters: IDataObject, options: IDataObject = {}) => ({
	items,
	continueOnFail: true,
	retryOnFail: true,
	executionId: `${name}-${Date.now()}`,
	parameters: { ...parameters, options: quick({ ...options, retryAndTimeout: { settings: { maxRetries: 0, maxRetryWait: 0 } } }) },
});

/** The firstName of each contact write SMASHSEND carried out, in the order it did them. */
function carriedOut(method: string, path: RegExp): unknown[] {
	return emulator.received
		.filter((r) => r.method === method && path.test(r.path) && r.handledStatus !== undefined && r.handledStatus < 300)
		.flatMap((r) => {
			const body = r.body as { properties?: IDataObject; contacts?: Array<{ properties: IDataObject }>; displayName?: string };
			if (body.contacts) return body.contacts.map((c) => c.properties.firstName);
			return [body.properties?.firstName ?? body.displayName];
		});
}

const ada = () => emulator.rest.contacts.find((c) => c.properties.email === 'ada@example.com');

describe('the last item for a contact wins', () => {
	it('an item with Created At does not overtake an earlier one of its contact: [Ada "Old"], [Ada "New", dated] ends "New"', async () => {
		const items = [
			{ email: 'ada@example.com', firstName: 'Old' },
			{ email: 'ada@example.com', firstName: 'New', createdAt: '2020-01-02T00:00:00Z' },
		];
		await v3.run({
			items,
			parameters: {
				operation: 'upsert',
				contactFields: { firstName, createdAt: (item: IDataObject) => item.createdAt ?? '' },
				options: quick(),
			},
		});
		expect(carriedOut('POST', /^\/v1\/contacts/)).toEqual(['Old', 'New']);
		expect(ada()?.properties.firstName).toBe('New');
	});

	it('[First, Second (dated), Third] of one contact arrive First, Second, Third, in calls that never mix dated and undated items', async () => {
		const items = [
			{ email: 'ada@example.com', firstName: 'First' },
			{ email: 'ada@example.com', firstName: 'Second', createdAt: '2020-01-02T00:00:00Z' },
			{ email: 'ada@example.com', firstName: 'Third' },
			{ email: 'bob@example.com', firstName: 'Bob' },
			{ email: 'cy@example.com', firstName: 'Cy', createdAt: '2021-05-06T00:00:00Z' },
		];
		const output = await v3.run({
			items,
			parameters: {
				operation: 'upsert',
				contactFields: { firstName, createdAt: (item: IDataObject) => item.createdAt ?? '' },
				options: quick(),
			},
		});
		expect(output).toHaveLength(5);
		expect(carriedOut('POST', /^\/v1\/contacts/).filter((name) => ['First', 'Second', 'Third'].includes(String(name)))).toEqual([
			'First',
			'Second',
			'Third',
		]);
		for (const request of emulator.received.filter((r) => r.path === '/v1/contacts/batch')) {
			const dated = (request.body as { contacts: Array<{ properties: IDataObject }> }).contacts.map(
				(c) => c.properties.createdAt !== undefined,
			);
			expect(new Set(dated).size).toBe(1);
		}
		expect(ada()?.properties.firstName).toBe('Third');
		expect(emulator.rest.contacts.find((c) => c.properties.email === 'cy@example.com')?.createdAt).toBe('2021-05-06T00:00:00.000Z');
	});

	it.each([
		[
			'Create or Update, Batch Size 1',
			{ operation: 'upsert', email: (item: IDataObject) => item.email, contactFields: { firstName } },
			{ batchSize: 1 },
		],
		['Update by ID', { operation: 'update', contact: locator('id', (item: IDataObject) => item.id), contactFields: { firstName } }, {}],
		[
			'Update by email',
			{ operation: 'update', contact: locator('email', (item: IDataObject) => item.email), contactFields: { firstName } },
			{},
		],
	])('%s: item 0 meets a 503, item 1 goes through, and item 0 does not land last', async (_name, parameters, more) => {
		emulator.rest.seedContacts([{ email: 'ada@example.com', firstName: 'Ada' }]);
		const id = ada()?.id;
		emulator.addFaults([{ bodyIncludes: '"firstName":"Old"', status: 503 }]);
		const items = [
			{ id, email: 'ada@example.com', firstName: 'Old' },
			{ id, email: 'ada@example.com', firstName: 'New' },
		];
		const output = await v3.run({ items, parameters: { ...parameters, options: quick({ concurrency: 2, ...more }) } });
		expect(output.map((item) => item.json.error)).toEqual([undefined, undefined]);
		expect(carriedOut(parameters.operation === 'upsert' ? 'POST' : 'PUT', /^\/v1\/contacts/)).toEqual(['Old', 'New']);
		expect(ada()?.properties.firstName).toBe('New');
	});

	it('Delete: the second call for a contact goes only once the first is settled', async () => {
		emulator.rest.seedContacts([{ email: 'ada@example.com' }]);
		emulator.addFaults([{ path: 'DELETE /v1/contacts/by-email/', status: 503 }]);
		const output = await v3.run({
			items: [{ email: 'ada@example.com' }, { email: 'ada@example.com' }],
			continueOnFail: true,
			parameters: { operation: 'delete', contact: locator('email', (item: IDataObject) => item.email), options: quick({ concurrency: 2 }) },
		});
		// Item 0: a 503, then deleted on its retry; item 1 only after it: nothing left to delete.
		const deletes = emulator.received.filter((r) => r.method === 'DELETE').map((r) => r.status);
		expect(deletes).toEqual([503, 200, 404]);
		expect(output[0].json).toEqual({ deleted: true });
		expect(output[1].json.error).toContain('SMASHSEND rejected the item');
		expect(output[1].json.httpCode).toBe('404');
	});

	it('Contact Property → Update: the last item names the property', async () => {
		emulator.addFaults([{ bodyIncludes: '"displayName":"Old"', status: 503 }]);
		await restNode(emulator, { typeVersion: 3 }).run({
			items: [{ name: 'Old' }, { name: 'New' }],
			parameters: {
				resource: 'contactProperty',
				operation: 'update',
				property: locator('id', 'prop_plan'),
				updateFields: { displayName: (item: IDataObject) => item.name },
				options: quick({ concurrency: 2 }),
			},
		});
		expect(carriedOut('PUT', /^\/v1\/contact-properties\//)).toEqual(['Old', 'New']);
		expect(emulator.rest.properties.find((p) => p.apiSlug === 'plan')?.displayName).toBe('New');
	});

	it('under Retry On Fail, an item whose lookup failed (its contact unknown) does not land after a later item of its contact on the next try', async () => {
		emulator.rest.seedContacts([{ email: 'ada@example.com', firstName: 'Ada' }]);
		const id = ada()?.id;
		// Item 0 names Ada by email, and its lookup fails on the first try; item 1 names her by ID.
		emulator.addFaults([{ path: 'GET /v1/contacts/search', status: 503 }]);
		const options = underRetryOnFail(
			'lookup',
			[
				{ by: 'email', firstName: 'Old' },
				{ by: 'id', firstName: 'New' },
			],
			{
				operation: 'update',
				contact: (item: IDataObject) => locator(String(item.by), item.by === 'id' ? id : 'ada@example.com'),
				contactFields: { firstName },
			},
		);
		const first = await v3.run(options);
		expect(first[0].json.error).toBeDefined();
		const second = await v3.run(options);
		expect(second.map((item) => item.json.error)).toEqual([undefined, undefined]);
		expect(carriedOut('PUT', /^\/v1\/contacts\//)).toEqual(['New', 'Old', 'New']);
		expect(ada()?.properties.firstName).toBe('New');
	});

	it('an item sent again on the next try because an earlier one of its contact failed says it may have been saved when that try fails', async () => {
		emulator.rest.seedContacts([{ email: 'ada@example.com', firstName: 'Ada' }]);
		// Item 0 is refused on every try; item 1 goes through on the first, then meets a 429 on the second.
		emulator.addFaults([{ bodyIncludes: '"firstName":"Bad"', status: 400, times: 2 }]);
		const options = underRetryOnFail(
			'went-through',
			[
				{ email: 'ada@example.com', firstName: 'Bad' },
				{ email: 'ada@example.com', firstName: 'New' },
			],
			{
				operation: 'upsert',
				contactFields: { firstName },
			},
			{ batchSize: 1 },
		);
		await v3.run(options);
		emulator.addFaults([{ bodyIncludes: '"firstName":"New"', status: 429 }]);
		const second = await v3.run(options);
		expect(second[1].json.error).toBe('SMASHSEND may or may not have carried the call out [item 1]');
		expect(second[1].json.errorDescription).toContain('it went through on an earlier try of the node');
	});

	it('under Retry On Fail with On Error: Continue, the next try sends both items of the contact again, in order', async () => {
		emulator.rest.seedContacts([{ email: 'ada@example.com', firstName: 'Ada' }]);
		// Item 0 fails for good on the first try (503, no retries left); item 1 goes through.
		emulator.addFaults([{ bodyIncludes: '"firstName":"Old"', status: 503 }]);
		const options = underRetryOnFail(
			'retry',
			[
				{ email: 'ada@example.com', firstName: 'Old' },
				{ email: 'ada@example.com', firstName: 'New' },
			],
			{
				operation: 'upsert',
				contactFields: { firstName },
			},
			{ batchSize: 1 },
		);
		const first = await v3.run(options);
		expect(first[0].json.error).toBeDefined();
		// n8n runs the node again: its first output item carries an error.
		const second = await v3.run(options);
		expect(second.map((item) => item.json.error)).toEqual([undefined, undefined]);
		expect(carriedOut('POST', /^\/v1\/contacts/)).toEqual(['New', 'Old', 'New']);
		expect(ada()?.properties.firstName).toBe('New');
	});
});
