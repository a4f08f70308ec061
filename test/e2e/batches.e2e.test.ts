import type { IDataObject } from 'n8n-workflow';

import { createEmulator } from '../../emulator/server';
import { selectedVersion } from '../../n8n-runtime/install';
import { N8nSession, packPackage } from '../../n8n-runtime/session';
import { apiCredential } from '../support/e2eCredentials';
import batchesStop from './workflows/batches-stop.workflow.json';
import batches from './workflows/batches.workflow.json';

/**
 * Create or Update and Event → Send in batches, in a real n8n with the packed package: a
 * batch holding valid items, an item caught before sending, items SMASHSEND refuses (one
 * for good, one retryable), a lost answer on a whole batch, a batch above the server's
 * maximum, and On Error in its three modes. Judged by what the emulator holds and was sent.
 */

const emulator = createEmulator();
type Item = { json: IDataObject; pairedItem?: unknown };
const emailsOf = (path: string) =>
	emulator.received
		.filter((r) => r.path === path)
		.map((r) => {
			const body = r.body as { contacts?: Array<{ properties: IDataObject }>; events?: Array<{ identify: IDataObject }> };
			return (body.contacts?.map((c) => c.properties.email) ?? body.events?.map((e) => e.identify.email) ?? []) as string[];
		});
const saved = (email: string) => emulator.rest.contacts.filter((c) => c.properties.email === email);

beforeAll(async () => await emulator.start());
afterAll(async () => await emulator.stop());

describe(`contacts and events in batches, in real n8n ${selectedVersion()}`, () => {
	let session: InstanceType<typeof N8nSession>;

	beforeAll(async () => {
		session = new N8nSession();
		session.installPackage(packPackage());
		await session.importCredentials([apiCredential(emulator.url)]);
		await session.importWorkflow(batches);
		await session.importWorkflow(batchesStop);
	});
	afterAll(async () => await session?.stop());
	beforeEach(() => emulator.reset());

	it('each item gets its own truth from the batch answer: saved, caught before sending, refused, or retried; continue and error output', async () => {
		const refusals = (suffix: string) => [
			{ email: `c${suffix}@example.com`, itemError: { code: 'CONTACT_LOCKED', message: 'The contact is being merged', retryable: true } },
			{ email: `d${suffix}@example.com`, itemError: { code: 'BLOCKED_DOMAIN', message: 'This domain is blocked' }, times: 5 },
		];
		emulator.addFaults([
			...refusals(''),
			...refusals('+eo'),
			...refusals('+ev'),
			// The first batch of events is recorded, then its answer is lost.
			{ path: 'POST /v1/events/batch', acceptThenFail: true, reset: true },
		]);
		const result = await session.execute(batches.id);
		expect(result.error).toBeUndefined();

		// On Error → Continue: one output item per input item, in order, paired.
		const output = result.output('Upsert (continue)') as Item[];
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4, 5].map((item) => ({ item })));
		expect(output[0].json.id).toBe(saved('a@example.com')[0].id);
		expect(output[1].json.error).toMatch(/ \[item 1\]$/);
		expect(output[2].json.error).toBe(
			'SMASHSEND rejected the item: countryCode must be an ISO 3166-1 alpha-2 code such as US or FR (VALIDATION_ERROR) [item 2]',
		);
		expect(output[3].json.id).toBe(saved('c@example.com')[0].id);
		expect(output[4].json.error).toBe('SMASHSEND rejected the item: This domain is blocked (BLOCKED_DOMAIN) [item 4]');
		expect(output[5].json.id).toBe(saved('e@example.com')[0].id);
		// One batch, then the retryable contact alone; the bad email never left n8n.
		expect(emailsOf('/v1/contacts/batch').filter((emails) => !emails[0].includes('+'))).toEqual([
			['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com', 'e@example.com'],
			['c@example.com'],
		]);

		// On Error → Error Output: the saved contacts on the main output, the failed items on the error output.
		const ok = result.output('Saved') as Item[];
		expect(ok.map((item) => (item.json.properties as IDataObject).email)).toEqual([
			'a+eo@example.com',
			'c+eo@example.com',
			'e+eo@example.com',
		]);
		const failed = result.output('Failed') as Item[];
		expect(failed.map((item) => item.json.error)).toEqual([
			expect.stringMatching(/^The email in 'Email' is not a valid address: .* \[item 1\]$/),
			expect.stringMatching(/^SMASHSEND rejected the item: countryCode must be .* \[item 2\]$/),
			'SMASHSEND rejected the item: This domain is blocked (BLOCKED_DOMAIN) [item 4]',
		]);

		// Every valid contact of both nodes saved exactly once.
		expect(emulator.rest.contacts.map((c) => c.properties.email).sort()).toEqual(
			['a', 'c', 'e', 'a+eo', 'c+eo', 'e+eo'].map((name) => `${name}@example.com`).sort(),
		);

		// Events: the lost answer's batch was sent again as it was; SMASHSEND counted each event once.
		expect(emulator.received.filter((r) => r.path === '/v1/events/batch').map((r) => r.status)).toEqual([0, 200]);
		expect(emulator.rest.events.map((e) => (e.identify as IDataObject).email).sort()).toEqual(
			['a+ev', 'b+ev', 'c+ev', 'e+ev'].map((name) => `${name}@example.com`),
		);
		const events = result.output('Events') as Item[];
		const messageIdOf = (name: string) =>
			emulator.rest.events.find((e) => (e.identify as IDataObject).email === `${name}+ev@example.com`)?.messageId;
		expect(events.map((item) => item.json.messageId ?? item.json.error)).toEqual([
			messageIdOf('a'),
			expect.stringMatching(/ \[item 1\]$/),
			messageIdOf('b'),
			messageIdOf('c'),
			// Its first attempt was in the batch whose answer was lost: whatever the next answer, it may have been counted.
			'SMASHSEND may or may not have carried the call out [item 4]',
			messageIdOf('e'),
		]);
		expect(events[4].json.errorDescription).toContain(
			'An earlier attempt may have been carried out by SMASHSEND (connection reset); the last answer was: SMASHSEND rejected the item: This domain is blocked (BLOCKED_DOMAIN).',
		);
		expect(events[4].json.errorDescription).toContain('Tried 2 times (connection reset, refused (BLOCKED_DOMAIN)).');
		expect(events.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4, 5].map((item) => ({ item })));
	});

	it('On Error → Stop: a batch above the server’s maximum is split; the first refused item stops the workflow, naming the others', async () => {
		emulator.rest.setMaxBatchSize(2);
		const result = await session.execute(batchesStop.id);
		expect(result.error?.message).toBe(
			'SMASHSEND rejected the item: countryCode must be an ISO 3166-1 alpha-2 code such as US or FR (VALIDATION_ERROR) [item 1]',
		);
		expect(result.error?.description).toContain('Contacts saved for item 0. Not sent: item 2.');
		expect(emulator.received.map((r) => r.status)).toEqual([413, 200]);
		expect(emailsOf('/v1/contacts/batch')).toEqual([
			['a@example.com', 'b@example.com', 'c@example.com'],
			['a@example.com', 'b@example.com'],
		]);
		expect(emulator.rest.contacts.map((c) => c.properties.email)).toEqual(['a@example.com']);
	});
});
