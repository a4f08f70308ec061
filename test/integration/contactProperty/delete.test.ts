import { useRestEmulator } from '../../support/restEmulator';
import { locator, restNode } from '../../support/restNode';

/** Contact Property → Delete: a custom property picked from the list or by its id, and the values contacts had for it. */

const emulator = useRestEmulator();
const { run } = restNode(emulator, { typeVersion: 3, parameters: { resource: 'contactProperty', operation: 'delete' } });
const quick = { rateLimit: 0, retryAndTimeout: { settings: { maxRetryWait: 0 } } };

describe('Contact Property: Delete', () => {
	it('deletes the property picked, and the values contacts had for it; one SMASHSEND does not have fails alone', async () => {
		emulator.rest.seedContacts([{ email: 'ada@example.com', plan: 'pro' }]);
		const output = await run({
			items: [{ id: 'prop_plan' }, { id: 'prop_nope' }],
			continueOnFail: true,
			parameters: { property: (item: { id: string }) => locator('list', item.id), options: quick },
		});
		expect(output[0].json).toEqual({ deleted: true });
		expect(output[1].json.error).toBe('SMASHSEND rejected the item: Property not found [item 1]');
		expect(emulator.rest.properties.map((p) => p.apiSlug)).not.toContain('plan');
		expect(emulator.rest.contacts[0].properties).not.toHaveProperty('plan');
		expect(emulator.received.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
			'/v1/contact-properties/prop_plan',
			'/v1/contact-properties/prop_nope',
		]);
	});

	it('after an answer lost on the way back, the retry finding nothing is a delete done, not a failure', async () => {
		emulator.addFaults([{ path: 'DELETE /v1/contact-properties/', acceptThenFail: true, reset: true }]);
		const [item] = await run({ items: [{}], parameters: { property: locator('id', 'prop_seats'), options: quick } });
		expect(item.json).toEqual({ deleted: true });
		expect(emulator.received.map((r) => r.status)).toEqual([0, 404]);
	});

	it('an id that could change the request path fails its item before anything is sent', async () => {
		const [item] = await run({ items: [{}], continueOnFail: true, parameters: { property: locator('id', '../contacts'), options: quick } });
		expect(item.json.error).toBe(`'Property' is not a valid property ID: "../contacts" [item 0]`);
		expect(emulator.received).toHaveLength(0);
	});
});
