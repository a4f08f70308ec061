import type { IDataObject } from 'n8n-workflow';

import { useRestEmulator } from '../../support/restEmulator';
import { locator, restNode, seedContacts } from '../../support/restNode';

/**
 * Tags and Multi-Selects on Update and Create or Update: add and remove values of a multi-select
 * (tags) without reading the contact first, replace or clear them; in batches too; safe to retry.
 */

const emulator = useRestEmulator();
const v1 = restNode(emulator, { parameters: { resource: 'contact' } });
const v2 = restNode(emulator, { typeVersion: 2, parameters: { resource: 'contact' } });
const interestsOf = (email: string) => emulator.rest.contacts.find((c) => c.properties.email === email)?.properties.interests;
const change = (property: string, changeAction: string, values?: unknown) => ({
	property,
	changeAction,
	...(values !== undefined ? { values } : {}),
});
const sent = () =>
	emulator.received.filter((r) => /^\/v1\/contacts(\/|$)/.test(r.path) && r.method !== 'GET').map((r) => r.body as IDataObject);

beforeEach(() => {
	seedContacts(emulator, [{ email: 'ada@example.com' }, { email: 'bob@example.com' }]);
	for (const c of emulator.rest.contacts) c.properties.interests = ['product', 'blog'];
});

describe('Tags and Multi-Selects', () => {
	it("Update adds and removes values as {add, remove}, keeping the contact's others", async () => {
		const id = emulator.rest.contacts[0].id;
		const [item] = await v2.run({
			items: [{}],
			parameters: {
				operation: 'update',
				contact: locator('id', id),
				multiSelectChanges: { change: [change('interests', 'add', 'events'), change('interests', 'remove', ['blog'])] },
			},
		});
		expect(sent()).toEqual([{ properties: { interests: { add: ['events'], remove: ['blog'] } } }]);
		expect(interestsOf('ada@example.com')).toEqual(['product', 'events']);
		expect((item.json.properties as IDataObject).interests).toEqual(['product', 'events']);
	});

	it('Replace sets exactly the values, Clear sends [] and empties the property', async () => {
		await v1.run({
			items: [
				{ email: 'ada@example.com', set: 'replace' },
				{ email: 'bob@example.com', set: 'clear' },
			],
			parameters: {
				operation: 'upsert',
				multiSelectChanges: {
					change: (json: IDataObject) => [change('interests', String(json.set), json.set === 'replace' ? 'events' : undefined)],
				},
				options: { rateLimit: 0, batchSize: 1 },
			},
		});
		expect(interestsOf('ada@example.com')).toEqual(['events']);
		expect(interestsOf('bob@example.com')).toEqual([]);
		expect(sent().map((b) => (b.properties as IDataObject).interests)).toEqual([['events'], []]);
	});

	it('in a batch each contact gets its own change, and a retry after a lost answer changes nothing twice', async () => {
		emulator.addFaults([{ path: 'POST /v1/contacts/batch', acceptThenFail: true, status: 502 }]);
		const output = await v1.run({
			items: [{ email: 'ada@example.com' }, { email: 'bob@example.com' }, { email: 'cy@example.com' }],
			parameters: {
				operation: 'upsert',
				multiSelectChanges: { change: [change('interests', 'add', 'events'), change('interests', 'remove', 'product')] },
				options: { rateLimit: 0, maxRetryWait: 0.02, batchSize: 10 },
			},
		});
		expect(output.map((i) => i.json.error)).toEqual([undefined, undefined, undefined]);
		// The retry sends the same changes, not lists read or computed from the first answer.
		const [lost, retry] = emulator.received.filter((r) => r.path === '/v1/contacts/batch');
		expect(retry.body).toEqual(lost.body);
		expect((lost.body as { contacts: IDataObject[] }).contacts[0]).toEqual({
			properties: { email: 'ada@example.com', interests: { add: ['events'], remove: ['product'] } },
		});
		expect(interestsOf('ada@example.com')).toEqual(['blog', 'events']);
		expect(interestsOf('bob@example.com')).toEqual(['blog', 'events']);
		expect(interestsOf('cy@example.com')).toEqual(['events']);
	});

	it('fails an item alone for a value not among the options, a property that is not a multi-select, or one set twice', async () => {
		const output = await v1.run({
			items: [
				{ email: 'a@example.com', n: 0 },
				{ email: 'b@example.com', n: 1 },
				{ email: 'c@example.com', n: 2 },
				{ email: 'd@example.com', n: 3 },
			],
			parameters: {
				operation: 'upsert',
				multiSelectChanges: {
					change: (json: IDataObject) =>
						[
							[change('interests', 'add', 'gardening')],
							[change('plan', 'add', 'pro')],
							[change('interests', 'clear'), change('interests', 'add', 'blog')],
							[change('interests', 'add', 'blog')],
						][Number(json.n)],
				},
				customProperties: { property: (json: IDataObject) => (json.n === 3 ? [{ name: 'interests', value: 'events' }] : []) },
			},
			continueOnFail: true,
		});
		expect(output.map((i) => i.json.error)).toEqual([
			expect.stringContaining('"gardening" is not an option of "interests" [item 0]'),
			expect.stringContaining('"plan" is changed as a multi-select, but it is a select [item 1]'),
			expect.stringContaining('"interests" is changed more than once with Replace or Clear [item 2]'),
			expect.stringContaining('"interests" is set under Custom Properties and under Tags and Multi-Selects [item 3]'),
		]);
		expect(sent()).toEqual([]);
	});

	it('refuses an Action it does not know (from an expression) and a value both added and removed; Clear ignores leftover Values; Replace needs values', async () => {
		const output = await v1.run({
			items: [0, 1, 2, 3].map((n) => ({ email: `n${n}@example.com`, n })),
			parameters: {
				operation: 'upsert',
				multiSelectChanges: {
					change: (json: IDataObject) =>
						[
							[change('interests', 'Remove', 'blog')],
							[change('interests', 'add', 'blog'), change('interests', 'remove', 'blog')],
							[change('interests', 'clear', 'gardening')],
							[change('interests', 'replace', '')],
						][Number(json.n)],
				},
				options: { rateLimit: 0, batchSize: 1 },
			},
			continueOnFail: true,
		});
		expect(output.map((i) => i.json.error)).toEqual([
			expect.stringContaining('"Remove" is not a multi-select action (for "interests") [item 0]'),
			expect.stringContaining('"blog" is both added to and removed from "interests" [item 1]'),
			undefined,
			expect.stringContaining('Replace has no values for "interests" [item 3]'),
		]);
		expect(sent()).toEqual([{ properties: { email: 'n2@example.com', interests: [] } }]);
	});
});
