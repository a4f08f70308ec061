import { unconfirmedRoutes } from '../../../live-check/contract';
import { checkLive, formatReports } from '../../../live-check/run';
import { runScript } from '../../support/processes';
import { useRestEmulator } from '../../support/restEmulator';

/**
 * The live check (npm run check:live) against the emulator: its SDK shapes and its older
 * shapes are both what the contract says; answers that are not are reported field by field,
 * without the values they hold or the key.
 */

const emulator = useRestEmulator();
const KEY = 'sk_live_emulator_editor';

describe('npm run check:live', () => {
	it.each(['sdk', 'legacy'] as const)("finds the emulator's %s shapes as the contract says, one call per endpoint", async (shapes) => {
		emulator.rest.setShapes(shapes);
		emulator.rest.seedContacts([{ email: 'ada@example.com' }]);
		const reports = await checkLive({ apiKey: KEY, baseUrl: `${emulator.url}/v1` });
		expect(reports.map((r) => [r.name, r.status, r.differences])).toEqual([
			['key check', 200, []],
			['contacts page', 200, []],
			['contact search (an address no workspace has)', 200, []],
			['custom properties', 200, []],
			['templates', 200, []],
			['verified senders', 200, []],
			['webhooks', 200, []],
			['one contact by its id', 200, []],
			['DELETE /contact-properties/{id} (an id no workspace has: nothing is changed)', 404, []],
			['one template by its id', 200, []],
		]);
		// Reads, and one DELETE of a property no workspace has (docs/api-contract.md's one unconfirmed route): nothing changed.
		expect(emulator.received.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual([
			'DELETE /v1/contact-properties/n8n-live-check-no-such-id',
		]);
	});

	it("reports which reading the workspace gives where SMASHSEND's sources disagree, each as good as the other", async () => {
		const sdk = formatReports(await checkLive({ apiKey: KEY, baseUrl: emulator.url }));
		expect(sdk).toContain("reading: 200 {contact: null} for no contact (the SDK's reading)");
		expect(sdk).toContain("reading: listed at GET /contacts/properties (the SDK's reading)");
		emulator.reset();
		emulator.rest.setReadings({ searchMissing: '404', propertiesList: 'catalogue' });
		const reports = await checkLive({ apiKey: KEY, baseUrl: emulator.url });
		expect(reports.every((r) => r.differences.length === 0 && r.error === undefined)).toBe(true);
		const other = formatReports(reports);
		expect(other).toContain("reading: 404 for no contact (Activepieces' reading), which the package reads as none");
		expect(other).toContain('✓ custom properties: GET /v1/contact-properties?type=CUSTOM&limit=50 → HTTP 200');
		expect(other).toContain("reading: listed at GET /contact-properties (the catalogue's reading)");
	});

	it('probes every route the contract says no source confirms, and only those, with an id no workspace has', () => {
		const contract = [
			'| `DELETE /contact-properties/{id}` | — | `isDeleted` | unconfirmed (the SDK has no such call) |',
			'| `POST /broadcasts/{broadcastId}/cancel` | — | `broadcast` | unconfirmed |',
			'| `PUT /contact-properties/{id}` | `{displayName?}` | `property` | SDK api/contacts.ts `updateProperty` |',
			'| `POST /contacts` | `{properties}` | `contact` | unconfirmed (no id: nothing to probe safely) |',
			'| a name already taken | — | the item fails | unconfirmed |',
		].join('\n');
		expect(unconfirmedRoutes(contract)).toEqual([
			{ method: 'DELETE', path: '/contact-properties/n8n-live-check-no-such-id', endpoint: 'DELETE /contact-properties/{id}' },
			{ method: 'POST', path: '/broadcasts/n8n-live-check-no-such-broadcastId/cancel', endpoint: 'POST /broadcasts/{broadcastId}/cancel' },
		]);
	});

	it('says when a route no source confirms is not there', async () => {
		emulator.addFaults([
			{ path: 'DELETE /v1/contact-properties/', status: 404, body: { message: 'Cannot DELETE /v1/contact-properties/x', statusCode: 404 } },
		]);
		const text = formatReports(await checkLive({ apiKey: KEY, baseUrl: emulator.url }));
		expect(text).toContain('reading: the route is not there: the operation that calls it would fail');
	});

	it('a key check that does not answer SUCCEED differs from the contract, without showing the status', async () => {
		emulator.rest.setReadings({ keyCheck: 'FAILED' });
		const text = formatReports(await checkLive({ apiKey: KEY, baseUrl: emulator.url }));
		expect(text).toContain('status: the contract expects "SUCCEED", the answer has another string');
		expect(text).not.toContain('FAILED');
	});

	it('reports each field that differs, and fields the contract does not name, without their values or the key', async () => {
		emulator.addFaults([
			{
				path: 'GET /v1/contacts?',
				status: 200,
				body: { contacts: { items: [{ id: 42, createdAt: 'x', properties: { email: 'secret@example.com' }, tags: [] }], cursor: null } },
			},
			{ path: 'GET /v1/webhooks', status: 200, body: { webhooks: { list: [] } } },
			{ path: 'GET /v1/identities', status: 500, body: { message: `proxy saw Bearer ${KEY}` } },
		]);
		const reports = await checkLive({ apiKey: KEY, baseUrl: emulator.url });
		const text = formatReports(reports);
		expect(text).toContain('contacts.items[].id: the contract expects string, the answer has number');
		expect(text).toContain('contacts.hasMore: the contract expects boolean, the answer has nothing');
		expect(text).toContain('not in the contract (nothing relies on them): contacts.items[].tags');
		expect(text).toContain('webhooks: the contract expects array or object, the answer has object');
		expect(text).toContain('✗ verified senders: GET /v1/identities → HTTP 500');
		expect(text).not.toContain('secret@example.com');
		expect(text).not.toContain(KEY);
		// A contact whose id is not text is not looked up by it.
		expect(reports.map((r) => r.name)).not.toContain('one contact by its id');
	});

	it('says it was skipped, and succeeds, without SMASHSEND_API_KEY', async () => {
		const run = await runScript('live-check/run.js', { SMASHSEND_API_KEY: '' });
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('check:live skipped: set SMASHSEND_API_KEY');
	});

	it('exits 1 and asks for the report when an answer differs', async () => {
		emulator.addFaults([{ path: 'GET /v1/api-keys/check', status: 200, body: { status: 'SUCCEED' } }]);
		const run = await runScript('live-check/run.js', { SMASHSEND_API_KEY: KEY, SMASHSEND_BASE_URL: emulator.url });
		expect(run.code).toBe(1);
		expect(run.stdout).toContain('role: the contract expects string, the answer has nothing');
		expect(run.stdout).toContain('Please report this output');
	});
});
