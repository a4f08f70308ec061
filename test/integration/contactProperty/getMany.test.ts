import { useRestEmulator } from '../../support/restEmulator';
import { restNode } from '../../support/restNode';

/** Contact Property → Get Many: the workspace's custom properties, 50 a page as SMASHSEND's SDK asks. */

const emulator = useRestEmulator();
const { run } = restNode(emulator, { parameters: { resource: 'contactProperty', operation: 'getMany' } });
const many = Array.from({ length: 120 }, (_, i) => ({ apiSlug: `p${String(i).padStart(3, '0')}`, displayName: `P ${i}`, type: 'STRING' }));
const listed = () => emulator.received.filter((r) => r.path === '/v1/contacts/properties').map((r) => r.query);

describe('Contact Property: Get Many', () => {
	it('outputs one item per property with its type and options, up to the Limit', async () => {
		const output = await run({ items: [{}], parameters: { returnAll: false, limit: 2 } });
		expect(output.map((i) => i.json.apiSlug)).toEqual(['plan', 'signupSource']);
		expect(output[0].json).toMatchObject({ type: 'SELECT', typeConfig: { multiple: false } });
		expect(output.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(listed()).toEqual(['?type=CUSTOM&limit=2']);
	});

	it('Return All follows the cursor while SMASHSEND gives one (the older shape), 50 a page', async () => {
		emulator.rest.setShapes('legacy');
		emulator.rest.setProperties(many);
		const output = await run({ items: [{}], parameters: { returnAll: true } });
		expect(output).toHaveLength(120);
		expect(new Set(output.map((i) => i.json.apiSlug)).size).toBe(120);
		expect(listed().map((q) => new URLSearchParams(q).get('limit'))).toEqual(['50', '50', '50']);
	});

	it("with SMASHSEND's SDK shape (no cursor), outputs the first page it can ask for", async () => {
		emulator.rest.setProperties(many);
		const output = await run({ items: [{}], parameters: { returnAll: true } });
		expect(output).toHaveLength(50);
		expect(listed()).toHaveLength(1);
	});
});
