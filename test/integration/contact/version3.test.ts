import { useRestEmulator } from '../../support/restEmulator';
import { json, locator, restNode, seedContacts } from '../../support/restNode';

/**
 * Node version 3: every contact operation outputs the same contact shape (Simplify on Create or
 * Update and Update too, on by default), and Delete outputs { deleted: true }. Saved version 2
 * nodes keep their output.
 */

const emulator = useRestEmulator();
const { run: runV3 } = restNode(emulator, { typeVersion: 3, parameters: { resource: 'contact' } });
const { run: runV2 } = restNode(emulator, { typeVersion: 2, parameters: { resource: 'contact' } });
const seed = async (people: Array<{ email: string; firstName?: string }>) => seedContacts(emulator, people);

describe('Contact operations (version 3)', () => {
	it('Create or Update outputs the flat contact Get outputs, one call per item and in a batch; Simplify off gives SMASHSEND’s answer', async () => {
		const items = [{ email: 'ada@example.com' }, { email: 'grace@example.com' }];
		for (const batchSize of [1, 100]) {
			emulator.reset();
			const saved = json(
				await runV3({
					items,
					parameters: { operation: 'upsert', contactFields: { firstName: 'Ada' }, options: { rateLimit: 0, batchSize } },
				}),
			);
			expect(saved.map((c) => c.email)).toEqual(['ada@example.com', 'grace@example.com']);
			expect(saved[0]).toMatchObject({ email: 'ada@example.com', firstName: 'Ada' });
			expect(saved[0].properties).toBeUndefined();
			const [got] = json(await runV3({ items: [{}], parameters: { operation: 'get', contact: locator('id', saved[0].id) } }));
			expect(Object.keys(saved[0]).sort()).toEqual(Object.keys(got).sort());
		}
		const [raw] = json(await runV3({ items: [items[0]], parameters: { operation: 'upsert', simplify: false } }));
		expect(raw).toMatchObject({ properties: { email: 'ada@example.com' } });
	});

	it('Update outputs the flat contact; Simplify off gives SMASHSEND’s answer', async () => {
		const ids = await seed([{ email: 'ada@example.com' }]);
		const id = ids.get('ada@example.com');
		const parameters = { operation: 'update', contact: locator('id', id), contactFields: { firstName: 'Augusta' } };
		const [flat] = json(await runV3({ items: [{}], parameters }));
		expect(flat).toMatchObject({ id, email: 'ada@example.com', firstName: 'Augusta' });
		expect(flat.properties).toBeUndefined();
		const [raw] = json(await runV3({ items: [{}], parameters: { ...parameters, simplify: false } }));
		expect(raw).toMatchObject({ id, properties: { firstName: 'Augusta' } });
	});

	it('Delete outputs { deleted: true }, also when the first answer was lost and the retry finds the contact gone', async () => {
		const ids = await seed([{ email: 'ada@example.com' }, { email: 'bob@example.com' }]);
		const [deleted] = json(await runV3({ items: [{}], parameters: { operation: 'delete', contact: locator('email', 'ada@example.com') } }));
		expect(deleted).toEqual({ deleted: true });

		emulator.addFaults([{ path: 'DELETE /v1/contacts/', reset: true, acceptThenFail: true }]);
		const [afterLoss] = json(
			await runV3({
				items: [{}],
				parameters: {
					operation: 'delete',
					contact: locator('id', ids.get('bob@example.com')),
					options: { rateLimit: 0, maxRetryWait: 0.02 },
				},
			}),
		);
		expect(afterLoss).toEqual({ deleted: true });
		expect(emulator.received.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([200, 0, 404]);
		expect(emulator.rest.contacts).toHaveLength(0);
	});

	it('version 2 keeps its output: Create or Update and Update as SMASHSEND answers, Delete the deleted contact', async () => {
		const [saved] = json(await runV2({ items: [{ email: 'ada@example.com' }], parameters: { operation: 'upsert' } }));
		expect(saved).toMatchObject({ properties: { email: 'ada@example.com' } });
		const [updated] = json(
			await runV2({
				items: [{}],
				parameters: { operation: 'update', contact: locator('id', saved.id), contactFields: { firstName: 'Ada' } },
			}),
		);
		expect(updated).toMatchObject({ properties: { firstName: 'Ada' } });
		const [deleted] = json(await runV2({ items: [{}], parameters: { operation: 'delete', contact: locator('id', saved.id) } }));
		expect(deleted).toMatchObject({ isDeleted: true, id: saved.id, properties: { email: 'ada@example.com' } });
	});
});
