import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { SmashsendApi } from '../../../credentials/SmashsendApi.credentials';
import { createEmulator } from '../../../emulator/server';
import { Smashsend } from '../../../nodes/Smashsend/Smashsend.node';
import { executeContext, type ContextOptions } from '../../support/executeContext';
import { authenticatedHttpRequest, type N8nLine } from '../../support/n8nHttp';

/**
 * Create or Update and Event → Send in batches, against the emulator's batch endpoints, with
 * n8n's request helper as each line has it. Judged by what SMASHSEND holds and was sent.
 */

const emulator = createEmulator();
beforeAll(async () => await emulator.start());
afterAll(async () => await emulator.stop());

const UPSERT = { resource: 'contact', operation: 'upsert' };
const EVENT = { resource: 'event', operation: 'send', event: 'order.completed', properties: '{"total": 42}' };

type RunOptions = Partial<Pick<ContextOptions, 'continueOnFail' | 'executionId' | 'runIndex'>> & { options?: IDataObject };

async function run(line: N8nLine, parameters: IDataObject, items: IDataObject[], more: RunOptions = {}): Promise<INodeExecutionData[]> {
	const credentials = { apiKey: 'sk_live_emulator_editor', baseUrl: emulator.url };
	const { options, ...context } = more;
	const [output] = await new Smashsend().execute.call(
		executeContext({
			items,
			parameters: { ...parameters, options: { rateLimit: 0, maxRetryWait: 0.02, timeout: 2000, ...options } },
			credentials,
			httpRequestWithAuthentication: authenticatedHttpRequest(new SmashsendApi().authenticate, credentials, line),
			...context,
		}),
	);
	return output;
}

async function failure(promise: Promise<unknown>): Promise<Error & { description?: string; context?: IDataObject }> {
	return await promise.then(
		() => {
			throw new Error('expected the node to fail');
		},
		(error: Error) => error,
	);
}

const people = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ email: `p${from + i}@example.com`, first: `P${from + i}` }));
const calls = (path: string) => emulator.received.filter((r) => r.path === `/v1${path}`);
const emailsIn = (path: string) =>
	calls(path).map((r) => ((r.body as { contacts: Array<{ properties: IDataObject }> }).contacts ?? []).map((c) => c.properties.email));
const contactOf = (email: string) => emulator.rest.contacts.filter((c) => String(c.properties.email).toLowerCase() === email.toLowerCase());

describe.each<N8nLine>([1, 2])('batches, with n8n %i.x', (line) => {
	beforeEach(() => {
		emulator.reset();
		emulator.setRestRateLimit({ limit: 0, windowMs: 60_000 });
	});

	it('saves 250 contacts in three calls, one output item per input item, in order, paired, as one call per item would', async () => {
		const items = people(250);
		const output = await run(line, { ...UPSERT, contactFields: { firstName: (json: IDataObject) => json.first } }, items);
		expect(calls('/contacts/batch').map((r) => (r.body as { contacts: unknown[] }).contacts.length)).toEqual([100, 100, 50]);
		expect(calls('/contacts')).toHaveLength(0);
		expect(emulator.rest.contacts).toHaveLength(250);
		expect(output).toHaveLength(250);
		output.forEach((item, index) => {
			const [saved] = contactOf(`p${index}@example.com`);
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toEqual(saved);
			expect(saved.properties.firstName).toBe(`P${index}`);
		});

		// The same contacts one call per item (Batch Size 1): the same output, field for field.
		emulator.reset();
		const single = await run(line, { ...UPSERT, contactFields: { firstName: (json: IDataObject) => json.first } }, items.slice(0, 5), {
			options: { batchSize: 1 },
		});
		expect(calls('/contacts')).toHaveLength(5);
		expect(calls('/contacts/batch')).toHaveLength(0);
		expect(Object.keys(single[0].json).sort()).toEqual(Object.keys(output[0].json).sort());
		expect(single[0].json.properties).toEqual(output[0].json.properties);
	});

	it('asks for partial success and the failed contacts', async () => {
		await run(line, UPSERT, people(2));
		const [request] = calls('/contacts/batch');
		expect(request.method).toBe('POST');
		expect(Object.fromEntries(new URLSearchParams(request.query))).toEqual({ allowPartialSuccess: 'true', includeFailedContacts: 'true' });
	});

	it('sends one item alone with a call of its own, as before', async () => {
		const output = await run(line, UPSERT, people(1));
		expect(calls('/contacts')).toHaveLength(1);
		expect(calls('/contacts/batch')).toHaveLength(0);
		expect(output[0].json).toEqual(contactOf('p0@example.com')[0]);
	});

	describe('a batch with valid, invalid and retryable-failing items', () => {
		const items = [
			{ email: 'a@example.com', country: 'FR' },
			{ email: 'not an email', country: 'FR' },
			{ email: 'b@example.com', country: 'FRANCE' },
			{ email: 'c@example.com', country: 'DE' },
			{ email: 'd@example.com', country: 'US' },
		];
		const parameters = { ...UPSERT, contactFields: { countryCode: (json: IDataObject) => json.country } };
		const script = () =>
			emulator.addFaults([
				{
					email: 'c@example.com',
					itemError: { code: 'CONTACT_LOCKED', message: 'The contact is being merged', retryable: true },
					times: 2,
				},
				{ email: 'd@example.com', itemError: { code: 'BLOCKED_DOMAIN', message: 'This domain is blocked', retryable: false } },
			]);

		it('continues: each failed item alone with its index and SMASHSEND message; the retryable one is sent again; the rest once', async () => {
			script();
			const output = await run(line, parameters, items, { continueOnFail: true });
			expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
			// Caught before anything was sent: no call carried it.
			expect(output[1].json.error).toMatch(/ \[item 1\]$/);
			expect(JSON.stringify(calls('/contacts/batch').map((r) => r.body))).not.toContain('not an email');
			// Refused by SMASHSEND inside the batch, final.
			expect(output[2].json.error).toBe(
				'SMASHSEND rejected the item: countryCode must be an ISO 3166-1 alpha-2 code such as US or FR (VALIDATION_ERROR) [item 2]',
			);
			expect(output[4].json.error).toBe('SMASHSEND rejected the item: This domain is blocked (BLOCKED_DOMAIN) [item 4]');
			// Retryable: sent again alone until SMASHSEND took it.
			expect(output[3].json).toEqual(contactOf('c@example.com')[0]);
			expect(output[0].json).toEqual(contactOf('a@example.com')[0]);
			const bodies = calls('/contacts/batch').map((r) =>
				(r.body as { contacts: Array<{ properties: IDataObject }> }).contacts.map((c) => c.properties.email),
			);
			expect(bodies).toEqual([['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'], ['c@example.com'], ['c@example.com']]);
			expect(emulator.rest.contacts.map((c) => c.properties.email).sort()).toEqual(['a@example.com', 'c@example.com']);
		});

		it('stops: the first failed item is the error, naming what happened to the others', async () => {
			script();
			const error = await failure(
				run(
					line,
					parameters,
					items.filter((_, index) => index !== 1),
				),
			);
			expect(error.message).toBe(
				'SMASHSEND rejected the item: countryCode must be an ISO 3166-1 alpha-2 code such as US or FR (VALIDATION_ERROR) [item 1]',
			);
			expect(error.description).toContain('Contacts saved for item 0.');
			// The batch was already sent: the valid contact is saved once; after the failure no new batch started.
			expect(contactOf('a@example.com')).toHaveLength(1);
			expect(calls('/contacts/batch')).toHaveLength(1);
		});

		it('gives up on a retryable item after Max Retries, saying so', async () => {
			emulator.addFaults([{ email: 'c@example.com', itemError: { code: 'CONTACT_LOCKED', message: 'Busy', retryable: true }, times: 10 }]);
			const output = await run(line, parameters, [items[0], items[3]], { continueOnFail: true, options: { maxRetries: 2 } });
			expect(output[1].json.error).toBe('SMASHSEND rejected the item: Busy (CONTACT_LOCKED) [item 1]');
			expect(output[1].json.errorDescription).toContain(
				'Tried 3 times (refused, retryable (CONTACT_LOCKED), refused, retryable (CONTACT_LOCKED), refused, retryable (CONTACT_LOCKED)).',
			);
			expect(calls('/contacts/batch')).toHaveLength(3);
		});

		it('waits as long as a retryable error asks (retryAfter, in seconds)', async () => {
			emulator.addFaults([{ email: 'c@example.com', itemError: { code: 'SLOW_DOWN', message: 'Later', retryable: true, retryAfter: 3 } }]);
			await run(line, parameters, [items[0], items[3]], { options: { maxRetryWait: 5 } });
			const [first, second] = calls('/contacts/batch');
			// The backoff alone would wait 0.5–1 s.
			expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(2950);
			expect(contactOf('c@example.com')).toHaveLength(1);
		});
	});

	it('splits a batch above the server’s maximum, keeps the smaller size, and saves every contact once', async () => {
		emulator.rest.setMaxBatchSize(30);
		const executionId = `split-${line}`;
		const output = await run(line, UPSERT, people(100), { executionId });
		const sizes = calls('/contacts/batch').map((r) => [(r.body as { contacts: unknown[] }).contacts.length, r.status]);
		// 100 → 413; 50 → 413; 25s from then on.
		expect(sizes).toEqual([
			[100, 413],
			[50, 413],
			[25, 200],
			[25, 200],
			[25, 200],
			[25, 200],
		]);
		expect(output).toHaveLength(100);
		expect(emulator.rest.contacts).toHaveLength(100);
		// A later run of the node in the same execution (a loop) starts at the size that worked.
		emulator.reset();
		emulator.rest.setMaxBatchSize(30);
		await run(line, UPSERT, people(50, 100), { executionId, runIndex: 1 });
		expect(calls('/contacts/batch').map((r) => r.status)).toEqual([200, 200]);
	});

	it('treats a 400 that says the batch is too large like a 413', async () => {
		emulator.addFaults([
			{
				path: 'POST /v1/contacts/batch',
				status: 400,
				body: { error: { code: 'VALIDATION_ERROR', message: 'Too many contacts in one request (max 2)' } },
			},
		]);
		const output = await run(line, UPSERT, people(3));
		expect(calls('/contacts/batch').map((r) => (r.body as { contacts: unknown[] }).contacts.length)).toEqual([3, 2, 1]);
		expect(output).toHaveLength(3);
	});

	describe('a lost answer on a whole batch', () => {
		it('events: sent again with the same messageIds, recorded once each', async () => {
			emulator.addFaults([{ path: 'POST /v1/events/batch', acceptThenFail: true, reset: true }]);
			const output = await run(line, EVENT, people(5));
			expect(calls('/events/batch').map((r) => r.status)).toEqual([0, 200]);
			expect(emulator.rest.events).toHaveLength(5);
			const [first, second] = calls('/events/batch').map((r) => JSON.stringify(r.body));
			expect(second).toBe(first);
			expect(output.map((item) => item.json.messageId)).toEqual(emulator.rest.events.map((e) => e.messageId));
			// The retry found every event already there.
			expect(output.every((item) => item.json.success === true && item.json.duplicated === true)).toBe(true);
		});

		it('contacts: sent again, every contact saved once', async () => {
			emulator.addFaults([{ path: 'POST /v1/contacts/batch', acceptThenFail: true, status: 502 }]);
			const output = await run(line, UPSERT, people(5));
			expect(calls('/contacts/batch').map((r) => r.status)).toEqual([502, 200]);
			expect(emulator.rest.contacts).toHaveLength(5);
			expect(output.map((item) => item.json.id)).toEqual(people(5).map((p) => contactOf(p.email)[0].id));
		});

		it('a batch that keeps failing fails each of its items, saying it went as a batch', async () => {
			emulator.addFaults([{ path: 'POST /v1/events/batch', reset: true, times: 3 }]);
			const output = await run(line, EVENT, people(3), { continueOnFail: true, options: { maxRetries: 2 } });
			expect(output.map((item) => item.json.error)).toEqual(
				[0, 1, 2].map((i) => expect.stringMatching(new RegExp(`^Could not reach SMASHSEND: .* \\[item ${i}\\]$`))),
			);
			expect(emulator.rest.events).toHaveLength(0);
		});
	});

	it('events in a batch: one output per event with its messageId, and a bad event fails alone', async () => {
		const items = [...people(3), { email: 'x@example.com', bad: true }];
		const output = await run(line, { ...EVENT, event: (json: IDataObject) => (json.bad ? 'order completed!' : 'order.completed') }, items, {
			continueOnFail: true,
		});
		expect(calls('/events/batch')).toHaveLength(1);
		expect(output[3].json.error).toBe(`'Event Name' is not a valid event name: "order completed!" [item 3]`);
		expect(output.slice(0, 3).map((item) => item.json)).toEqual(
			emulator.rest.events.map((e) => ({
				success: true,
				messageId: e.messageId,
				duplicated: false,
				event: 'order.completed',
				email: (e.identify as IDataObject).email,
			})),
		);
	});

	it('sends two items for one contact in separate calls: each outputs what its own call would', async () => {
		const items = [
			{ email: 'a@example.com', first: 'First' },
			{ email: 'b@example.com', first: 'Bee' },
			{ email: 'A@example.com', first: 'Second' },
		];
		const parameters = { ...UPSERT, contactFields: { firstName: (json: IDataObject) => json.first } };
		const batched = await run(line, parameters, items);
		expect(emailsIn('/contacts/batch')).toEqual([['a@example.com', 'b@example.com'], ['A@example.com']]);
		emulator.reset();
		const single = await run(line, parameters, items, { options: { batchSize: 1 } });
		const names = (output: INodeExecutionData[]) => output.map((item) => (item.json.properties as IDataObject).firstName);
		expect(names(batched)).toEqual(['First', 'Bee', 'Second']);
		expect(names(batched)).toEqual(names(single));
	});

	it('events: tells new from duplicate per event when SMASHSEND lists them', async () => {
		const parameters = { ...EVENT, additionalFields: { messageId: (json: IDataObject) => `order-${json.email}` } };
		await run(line, parameters, people(2));
		const output = await run(line, parameters, people(4));
		expect(output.map((item) => item.json.duplicated)).toEqual([true, true, false, false]);
		expect(emulator.rest.events).toHaveLength(4);
	});

	describe('answers that say less than the emulator does', () => {
		const answerWith = (path: string, body: IDataObject) => emulator.addFaults([{ path: `POST /v1${path}`, status: 200, body }]);

		it('events: counts only — every event not in errors[] went through; duplicated unknown (null) unless all or none', async () => {
			answerWith('/events/batch', {
				accepted: 2,
				failed: 1,
				duplicated: 0,
				errors: [{ index: 1, errors: [{ code: 'X', message: 'No' }] }],
			});
			const output = await run(line, EVENT, people(3), { continueOnFail: true });
			expect(calls('/events/batch')).toHaveLength(1);
			expect(output.map((item) => item.json.duplicated ?? item.json.error)).toEqual([
				false,
				'SMASHSEND rejected the item: No (X) [item 1]',
				false,
			]);
			answerWith('/events/batch', { accepted: 1, failed: 0, duplicated: 1 });
			const mixed = await run(line, EVENT, people(2));
			expect(mixed.map((item) => item.json.duplicated)).toEqual([null, null]);
		});

		it('a failure the answer counts but does not name: the events are sent again, which cannot count them twice', async () => {
			answerWith('/events/batch', { accepted: 2, failed: 1, duplicated: 0, errors: [{ errors: [{ message: 'no index' }] }] });
			const output = await run(line, EVENT, people(3));
			expect(calls('/events/batch')).toHaveLength(2);
			expect(output.every((item) => item.json.success === true)).toBe(true);
			expect(emulator.rest.events).toHaveLength(3);
		});

		it('contacts: a saved contact missing from the answer’s list outputs the properties sent', async () => {
			answerWith('/contacts/batch', { requestId: 'req_1', summary: { created: 2, updated: 0, failed: 0, total: 2 } });
			const output = await run(line, { ...UPSERT, contactFields: { firstName: (json: IDataObject) => json.first } }, people(2));
			expect(calls('/contacts/batch')).toHaveLength(1);
			expect(output.map((item) => item.json)).toEqual([
				{ properties: { firstName: 'P0', email: 'p0@example.com' } },
				{ properties: { firstName: 'P1', email: 'p1@example.com' } },
			]);
		});
	});

	it('counts a batch once against the rate limit', async () => {
		emulator.setRestRateLimit({ limit: 3, windowMs: 60_000 });
		const output = await run(line, UPSERT, people(300));
		expect(output).toHaveLength(300);
		expect(emulator.received.map((r) => r.status)).toEqual([200, 200, 200]);
	});
});
