import type { IDataObject } from 'n8n-workflow';

import { getCustomProperties, getMultiSelectProperties } from '../../../nodes/Smashsend/methods/loadOptions';
import { editorContext } from '../../support/editorContext';
import { useRestEmulator } from '../../support/restEmulator';
import { restNode } from '../../support/restNode';

/**
 * Contact Property → Create: a custom property made from a workflow, safe after a lost answer
 * (found before it is made again), and seen by the contact operations and pickers that follow.
 */

const emulator = useRestEmulator();
const { run } = restNode(emulator, { parameters: { resource: 'contactProperty', operation: 'create' } });
const calls = (path: string) => emulator.received.filter((r) => r.path === path);

const editor = () => editorContext(`${emulator.url}/v1/`);

describe('Contact Property: Create', () => {
	it("creates a multi-select with its choices as SMASHSEND's SDK does, and outputs the property", async () => {
		const [item] = await run({
			items: [{}],
			parameters: {
				displayName: 'Favourite colours',
				propertyType: 'MULTI_SELECT',
				choices: 'red, green, red, blue',
				additionalFields: { description: 'What they like' },
			},
		});
		expect(calls('/v1/contact-properties')[0].body).toEqual({
			displayName: 'Favourite colours',
			type: 'MULTI_SELECT',
			description: 'What they like',
			typeConfig: { options: ['red', 'green', 'blue'], multiple: true },
		});
		expect(item.json).toMatchObject({
			id: expect.stringMatching(/^prop_/),
			apiSlug: 'favouriteColours',
			displayName: 'Favourite colours',
			type: 'MULTI_SELECT',
			typeConfig: { multiple: true, options: [expect.objectContaining({ value: 'red' }), expect.anything(), expect.anything()] },
		});
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('fails a select without choices, and a property without a name, alone and before sending', async () => {
		const output = await run({
			items: [
				{ name: 'Tier', type: 'SELECT' },
				{ name: '', type: 'STRING' },
				{ name: 'Score', type: 'NUMBER' },
			],
			parameters: { displayName: (json: IDataObject) => json.name, propertyType: (json: IDataObject) => json.type, choices: '' },
			continueOnFail: true,
		});
		expect(output.map((i) => i.json.error)).toEqual([
			expect.stringContaining("'Choices' is empty, and a select needs them [item 0]"),
			expect.stringContaining("'Name' is empty [item 1]"),
			undefined,
		]);
		expect(calls('/v1/contact-properties').map((r) => (r.body as IDataObject).displayName)).toEqual(['Score']);
	});

	it("says SMASHSEND's refusal of a name already taken, for its item", async () => {
		const [item] = await run({ items: [{}], parameters: { displayName: 'Plan', propertyType: 'STRING' }, continueOnFail: true });
		expect(item.json.error).toMatch(/item 0/i);
		expect(`${String(item.json.error)} ${String(item.json.errorDescription ?? '')}`).toContain('already exists');
		expect(emulator.rest.properties.filter((p) => p.apiSlug === 'plan')).toHaveLength(1);
	});

	it('after an answer lost on the way back, finds the property it made instead of making it twice', async () => {
		emulator.addFaults([{ path: 'POST /v1/contact-properties', acceptThenFail: true, status: 502 }]);
		const [item] = await run({
			items: [{}],
			parameters: { displayName: 'Shoe size', propertyType: 'NUMBER', options: { rateLimit: 0, maxRetryWait: 0.02 } },
		});
		expect(item.json.error).toBeUndefined();
		expect(item.json).toMatchObject({ apiSlug: 'shoeSize', displayName: 'Shoe size', type: 'NUMBER' });
		expect(emulator.rest.properties.filter((p) => p.apiSlug === 'shoeSize')).toHaveLength(1);
		// One create, then the lookup that found it: no second create, no "already exists".
		expect(emulator.received.filter((r) => r.path.startsWith('/v1/contact')).map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /v1/contact-properties',
			'GET /v1/contacts/properties',
		]);
	});

	it('the pages of that look keep to Rate Limit, as every call does', async () => {
		// 120 more properties: the look reads three pages of 50 (with a cursor, as the older answers page them).
		emulator.rest.setShapes('legacy');
		emulator.rest.setProperties(
			Array.from({ length: 120 }, (_, i) => ({ apiSlug: `p${i}`, displayName: `P${i}`, type: 'STRING', id: `prop_p${i}` })),
		);
		emulator.addFaults([{ path: 'POST /v1/contact-properties', acceptThenFail: true, status: 502 }]);
		const [item] = await run({
			items: [{}],
			parameters: { displayName: 'Shoe size', propertyType: 'NUMBER', options: { rateLimit: 600, maxRetryWait: 0.02 } },
		});
		expect(item.json).toMatchObject({ apiSlug: 'shoeSize' });
		const calls = emulator.received.filter((r) => r.path.startsWith('/v1/contact'));
		expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /v1/contact-properties',
			'GET /v1/contacts/properties',
			'GET /v1/contacts/properties',
			'GET /v1/contacts/properties',
		]);
		// 600 a minute: a call every 100 ms at the soonest (a late timer may make it later, never sooner).
		const gaps = calls.slice(1).map((r, i) => r.receivedAt - calls[i].receivedAt);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(90);
	});

	it('after a lost answer to a create that did not happen, creates it on the retry', async () => {
		emulator.addFaults([{ path: 'POST /v1/contact-properties', status: 502 }]);
		const [item] = await run({
			items: [{}],
			parameters: { displayName: 'Shoe size', propertyType: 'NUMBER', options: { rateLimit: 0, maxRetryWait: 0.02 } },
		});
		expect(item.json).toMatchObject({ apiSlug: 'shoeSize' });
		expect(emulator.received.map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /v1/contact-properties',
			'GET /v1/contacts/properties',
			'POST /v1/contact-properties',
		]);
	});

	it('a property created earlier in the execution is in the custom properties the next node sets, and in the dropdowns', async () => {
		await run({ items: [{}], parameters: { displayName: 'Badges', propertyType: 'MULTI_SELECT', choices: 'gold, silver' } });
		const contact = restNode(emulator, { parameters: { resource: 'contact', operation: 'upsert' } });
		const [saved] = await contact.run({
			items: [{ email: 'ada@example.com' }],
			parameters: { customProperties: { property: [{ name: 'badges', value: 'gold' }] } },
		});
		expect(saved.json.properties).toMatchObject({ badges: ['gold'] });
		expect((await getCustomProperties.call(editor())).map((o) => o.value)).toContain('badges');
		expect((await getMultiSelectProperties.call(editor())).map((o) => o.value)).toEqual(['badges', 'interests']);
	});

	it("n8n's Retry On Fail after a lost answer: the next try, told the name is taken, finds the same property and outputs it", async () => {
		emulator.addFaults([{ path: 'POST /v1/contact-properties', acceptThenFail: true, status: 502 }]);
		const executionId = 'retry-on-fail-create';
		const parameters = { displayName: 'Shoe size', propertyType: 'NUMBER', options: { rateLimit: 0, maxRetries: 0 } };
		const first = await run({ items: [{}], parameters, executionId, retryOnFail: true }).catch((error: Error) => error);
		expect(String((first as Error).message)).toMatch(/did not confirm/);
		const [item] = await run({ items: [{}], parameters, executionId, retryOnFail: true });
		expect(item.json).toMatchObject({ apiSlug: 'shoeSize', type: 'NUMBER' });
		expect(emulator.rest.properties.filter((p) => p.apiSlug === 'shoeSize')).toHaveLength(1);
	});

	it('run again, outputs the property it made; a property of that name with other choices fails the item with "already exists"', async () => {
		const parameters = { displayName: 'Tier', propertyType: 'SELECT', choices: 'bronze, silver' };
		const [made] = await run({ items: [{}], parameters });
		const [again] = await run({ items: [{}], parameters: { ...parameters, choices: 'silver,bronze' } });
		expect(again.json.id).toBe(made.json.id);
		const [other] = await run({ items: [{}], parameters: { ...parameters, choices: 'bronze, silver, gold' }, continueOnFail: true });
		expect(other.json.httpCode).toBe('409');
		expect(emulator.rest.properties.filter((p) => p.apiSlug === 'tier')).toHaveLength(1);
	});

	it('a lookup SMASHSEND refuses after a lost answer leaves the item "not confirmed", not refused', async () => {
		emulator.addFaults([
			{ path: 'POST /v1/contact-properties', acceptThenFail: true, status: 502 },
			{ path: 'GET /v1/contacts/properties', status: 404 },
		]);
		const [item] = await run({
			items: [{}],
			parameters: { displayName: 'Shoe size', propertyType: 'NUMBER', options: { rateLimit: 0, maxRetries: 1, maxRetryWait: 0.02 } },
			continueOnFail: true,
		});
		expect(String(item.json.error)).toMatch(/did not confirm the call: .* \[item 0\]$/);
		expect(item.json.httpCode).toBe('502');
		expect(emulator.rest.properties.filter((p) => p.apiSlug === 'shoeSize')).toHaveLength(1);
	});

	it('with version 2, the Custom Properties fields of a later node set a property made earlier', async () => {
		await run({ items: [{}], parameters: { displayName: 'Badges', propertyType: 'MULTI_SELECT', choices: 'gold, silver' } });
		const contact = restNode(emulator, { typeVersion: 2, parameters: { resource: 'contact', operation: 'upsert' } });
		const [saved] = await contact.run({
			items: [{ email: 'ada@example.com' }],
			parameters: { email: 'ada@example.com', customPropertyFields: { mappingMode: 'defineBelow', value: { badges: 'gold, silver' } } },
		});
		expect(saved.json.properties).toMatchObject({ badges: ['gold', 'silver'] });
	});
});
