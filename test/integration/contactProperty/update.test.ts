import { searchProperties } from '../../../nodes/Smashsend/methods/listSearch';
import { editorContext } from '../../support/editorContext';
import { useRestEmulator } from '../../support/restEmulator';
import { locator, restNode } from '../../support/restNode';

/** Contact Property → Update: rename a property or describe it, picked from the list or by its id. */

const emulator = useRestEmulator();
const { run } = restNode(emulator, { typeVersion: 2, parameters: { resource: 'contactProperty', operation: 'update' } });

const editor = () => editorContext(`${emulator.url}/v1/`);

describe('Contact Property: Update', () => {
	it('the picker lists the properties by name and slug, and searches them', async () => {
		const all = await searchProperties.call(editor());
		expect(all.results).toContainEqual({ name: 'Plan (plan)', value: 'prop_plan' });
		const found = await searchProperties.call(editor(), 'renewal');
		expect(found.results).toEqual([{ name: 'Renewal date (renewalDate)', value: 'prop_renewalDate' }]);
	});

	it('renames the picked property and outputs it, sending only the fields set', async () => {
		const [item] = await run({
			items: [{}],
			parameters: { property: locator('list', 'prop_plan'), updateFields: { displayName: 'Subscription plan', description: '' } },
		});
		expect(emulator.received.at(-1)).toMatchObject({
			method: 'PUT',
			path: '/v1/contact-properties/prop_plan',
			body: { displayName: 'Subscription plan' },
		});
		expect(item.json).toMatchObject({ id: 'prop_plan', apiSlug: 'plan', displayName: 'Subscription plan' });
	});

	it('fails an item that changes nothing, or names a property SMASHSEND does not have, alone', async () => {
		const output = await run({
			items: [
				{ id: 'prop_plan', name: '' },
				{ id: 'prop_nope', name: 'X' },
				{ id: '../contacts', name: 'Y' },
				{ id: 'prop_seats', name: 'Seat count' },
			],
			parameters: {
				property: (json: { id: string }) => locator('id', json.id),
				updateFields: (json: { name: string }) => ({ displayName: json.name }),
			},
			continueOnFail: true,
		});
		expect(output.map((i) => i.json.error)).toEqual([
			expect.stringContaining('Nothing to update: no field is set under Update Fields [item 0]'),
			expect.stringMatching(/404|not found/i),
			expect.stringContaining('\'Property\' is not a valid property ID: "../contacts" [item 2]'),
			undefined,
		]);
		expect(emulator.rest.properties.find((p) => p.apiSlug === 'seats')?.displayName).toBe('Seat count');
		expect(emulator.received.filter((r) => r.method === 'PUT').map((r) => r.path)).toEqual([
			'/v1/contact-properties/prop_nope',
			'/v1/contact-properties/prop_seats',
		]);
	});
});
