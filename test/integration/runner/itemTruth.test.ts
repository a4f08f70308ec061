import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Smashsend } from '../../../nodes/Smashsend/Smashsend.node';
import { executeContext } from '../../support/executeContext';
import { useRestEmulator } from '../../support/restEmulator';
import { locator, restNode } from '../../support/restNode';

/**
 * What an item says is what happened (issue 37): an attempt that may have been carried out
 * decides the wording, whatever answers come after it; one item's bad data, or an exception
 * while it is sent, fails that item alone; values of the wrong type fail their item clearly.
 */

const emulator = useRestEmulator();
const v3 = restNode(emulator, { typeVersion: 3 });
const quick = (more: IDataObject = {}) => ({ rateLimit: 0, retryAndTimeout: { settings: { maxRetryWait: 0, ...more } } });

/** A raw email from hello@acme.example to ada@example.com, with `more` over it. */
const rawEmail = (more: IDataObject = {}) => ({
	resource: 'email',
	operation: 'send',
	content: 'raw',
	to: 'ada@example.com',
	sender: locator('list', 'hello@acme.example'),
	subject: 'Hi',
	html: '<p>Hi</p>',
	options: quick(),
	...more,
});

async function flow(items: IDataObject[], options: IDataObject, more: { continueOnFail?: boolean } = {}): Promise<INodeExecutionData[]> {
	const context = executeContext({ items, credentials: { webhookUrl: emulator.webhookUrl() }, parameters: { options }, ...more });
	const [output] = await new Smashsend().execute.call(context);
	return output;
}

describe('an attempt that may have arrived decides the wording', () => {
	it('a flow call accepted but its answer lost, then 429s until Max Retries: "the flow may or may not have started", not "slow down"', async () => {
		emulator.addFaults([
			{ path: 'POST /v1/flows/', acceptThenFail: true, reset: true },
			{ path: 'POST /v1/flows/', status: 429, times: 3 },
		]);
		const [item] = await flow([{ email: 'ada@example.com' }], { maxRetries: 3, maxRetryWait: 0 }, { continueOnFail: true });
		expect(emulator.accepted).toHaveLength(1);
		expect(item.json.error).toBe('The flow may or may not have started [item 0]');
		expect(item.json.errorDescription).toContain('An earlier attempt may have been carried out by SMASHSEND (connection reset)');
		expect(item.json.errorDescription).toContain("Check the flow's runs in SMASHSEND before sending the item again");
		expect(item.json.errorDescription).not.toContain('run the workflow again later');
	});

	it('an email whose first attempt was carried out, then a 400: "may or may not", not "rejected"', async () => {
		emulator.addFaults([
			{ path: 'POST /v1/emails', acceptThenFail: true, status: 502 },
			{ path: 'POST /v1/emails', status: 400, body: { message: 'Invalid sender', code: 'VALIDATION_ERROR' } },
		]);
		const [item] = await v3.run({
			items: [{ email: 'ada@example.com' }],
			continueOnFail: true,
			parameters: rawEmail(),
		});
		expect(emulator.rest.emails).toHaveLength(1);
		expect(item.json.error).toBe('SMASHSEND may or may not have carried the call out [item 0]');
		expect(item.json.errorDescription).toContain('(HTTP 502)');
		expect(item.json.errorDescription).toContain('SMASHSEND rejected the item: Invalid sender');
	});

	it('a batch whose first call was carried out but its answer lost, then 429s: each of its items says it may have been saved', async () => {
		emulator.addFaults([
			{ path: 'POST /v1/contacts/batch', acceptThenFail: true, reset: true },
			{ path: 'POST /v1/contacts/batch', status: 429, times: 2 },
		]);
		const output = await v3.run({
			items: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
			continueOnFail: true,
			parameters: { resource: 'contact', operation: 'upsert', options: { ...quick({ maxRetries: 1 }), concurrency: 1 } },
		});
		expect(emulator.rest.contacts.map((c) => c.properties.email).sort()).toEqual(['a@example.com', 'b@example.com']);
		expect(output.map((item) => item.json.error)).toEqual([
			'SMASHSEND may or may not have carried the call out [item 0]',
			'SMASHSEND may or may not have carried the call out [item 1]',
		]);
	});

	it("under Retry On Fail, a try that may have sent the email makes the next try's failure say so too", async () => {
		const options = {
			items: [{ email: 'ada@example.com' }],
			continueOnFail: true,
			retryOnFail: true,
			executionId: `lost-then-429-${Date.now()}`,
			parameters: rawEmail({ options: quick({ maxRetries: 0 }) }),
		};
		emulator.addFaults([{ path: 'POST /v1/emails', acceptThenFail: true, reset: true }]);
		const [first] = await v3.run(options);
		expect(first.json.errorDescription).toContain('may or may not');
		emulator.addFaults([{ path: 'POST /v1/emails', status: 429 }]);
		const [second] = await v3.run(options);
		expect(second.json.error).toBe('SMASHSEND may or may not have carried the call out [item 0]');
		expect(second.json.errorDescription).toContain('on an earlier try of the node');
	});
});

describe('one bad item never takes the node down', () => {
	// "👍" cut after its first half: a lone surrogate.
	const half = '👍'.slice(0, 1);

	it.each<[string, IDataObject, string, unknown, (bob: string) => unknown]>([
		[
			'a contact ID',
			{ operation: 'update', contactFields: { firstName: 'X' } },
			'contact',
			locator('id', `ctc_${half}`),
			(bob) => locator('id', bob),
		],
		['a contact ID to delete', { operation: 'delete' }, 'contact', locator('id', `ctc_${half}`), (bob) => locator('id', bob)],
		[
			'an email to delete by',
			{ operation: 'delete' },
			'contact',
			locator('email', `ada${half}@example.com`),
			() => locator('email', 'bob@example.com'),
		],
		['a search', { operation: 'getMany', returnAll: false, limit: 5 }, 'filters', { search: `ada${half}` }, () => ({ search: 'bob' })],
		[
			'a property ID',
			{ resource: 'contactProperty', operation: 'update', updateFields: { displayName: 'X' } },
			'property',
			locator('id', `prop_${half}`),
			() => locator('id', 'prop_plan'),
		],
	])(
		'%s with half of an emoji fails its item at preparation; the other item goes through once',
		async (_what, parameters, name, bad, good) => {
			emulator.rest.seedContacts([{ email: 'bob@example.com', firstName: 'Bob' }]);
			const bob = emulator.rest.contacts[0].id;
			const output = await v3.run({
				items: [{}, {}],
				continueOnFail: true,
				parameters: {
					resource: 'contact',
					...parameters,
					[name]: (_json: IDataObject, i: number) => (i === 0 ? bad : good(bob)),
					options: quick(),
				},
			});
			expect(String(output[0].json.error)).toMatch(/\[item 0\]$/);
			expect(String(output[0].json.error)).not.toContain('URI malformed');
			expect(output.slice(1).every((item) => item.json.error === undefined)).toBe(true);
			expect(output.length).toBeGreaterThan(1);
			// Nothing was sent for the bad item: every request was the good one's.
			expect(emulator.received.filter((r) => /%ED%A0|%EF%BF%BD|\uFFFD/i.test(r.path + r.query))).toHaveLength(0);
		},
	);

	it('under On Error: Stop Workflow, the node stops with the item named, before anything is sent', async () => {
		const half2 = '👍'.slice(0, 1);
		const error = await v3.failure({
			items: [{}, {}],
			parameters: {
				resource: 'contact',
				operation: 'update',
				contact: (_json: IDataObject, i: number) => locator('id', i === 1 ? `ctc_${half2}` : 'ctc_ok'),
				contactFields: { firstName: 'X' },
				options: quick(),
			},
		});
		expect(error.message).toMatch(/\[item 1\]$/);
		expect(emulator.received).toHaveLength(0);
	});
});

describe('values of the wrong type fail their item clearly', () => {
	it.each([
		['Subject', { subject: { text: 'Hi' } }, "'Subject' must be text, but it is an object [item 0]"],
		['HTML', { html: ['<p>a</p>', '<p>b</p>'] }, "'HTML' must be text, but it is a list [item 0]"],
		['Text', { html: '', text: { body: 'x' } }, "'Text' must be text, but it is an object [item 0]"],
		['Send At', { additionalFields: { sendAt: 1e17 } }, "'Send At' is not a date: 100000000000000000 [item 0]"],
	])('%s', async (_name, more, message) => {
		const [item] = await v3.run({ items: [{}], continueOnFail: true, parameters: rawEmail(more) });
		expect(item.json.error).toBe(message);
		expect(emulator.rest.emails).toHaveLength(0);
	});

	it('a number or true/false in a text parameter is sent as its text', async () => {
		const [item] = await v3.run({ items: [{}], parameters: rawEmail({ subject: 42, text: true, html: '' }) });
		expect(item.json.error).toBeUndefined();
		expect(emulator.rest.emails[0]).toMatchObject({ subject: '42', text: 'true' });
	});

	it('a Created At of 1e17 is not a date', async () => {
		const [item] = await v3.run({
			items: [{ email: 'ada@example.com' }],
			continueOnFail: true,
			parameters: { resource: 'contact', operation: 'upsert', contactFields: { createdAt: 1e17 }, options: quick() },
		});
		expect(item.json.error).toBe("'Created At' is not a date: 100000000000000000 [item 0]");
	});
});

describe('Rate Limit 0', () => {
	it('the advice after a 429 does not say "at most 0 requests per minute"', async () => {
		emulator.addFaults([{ path: 'POST /v1/contacts', status: 429, times: 2 }]);
		const [item] = await v3.run({
			items: [{ email: 'ada@example.com' }],
			continueOnFail: true,
			parameters: { resource: 'contact', operation: 'upsert', options: { ...quick({ maxRetries: 1 }), batchSize: 1 } },
		});
		expect(item.json.errorDescription).not.toContain('at most 0');
		expect(item.json.errorDescription).toContain('This node has no Rate Limit');
	});
});
