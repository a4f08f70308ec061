import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { SmashsendApi } from '../../../credentials/SmashsendApi.credentials';
import { createEmulator } from '../../../emulator/server';
import { Smashsend } from '../../../nodes/Smashsend/Smashsend.node';
import { EMAIL_SEND } from '../../support/restParameters';
import { executeContext, type ContextOptions } from '../../support/executeContext';
import { authenticatedHttpRequest, type N8nLine } from '../../support/n8nHttp';
import { contactByIdRoute } from '../../support/restEmulator';

/**
 * Network failures on every REST operation, with n8n's request helper as each line has it:
 * both wrap the failure in a NodeApiError, and only 2.x keeps the original error as its
 * cause. Judged by what the emulator recorded.
 */

const emulator = createEmulator();
beforeAll(async () => await emulator.start());
afterAll(async () => await emulator.stop());

type Case = {
	name: string;
	parameters: IDataObject;
	/** The route its faults are for: a prefix, or with `pattern` a regular expression. */
	path: string;
	pattern?: boolean;
	items: IDataObject[];
	/** What SMASHSEND holds afterwards, and what the node output. */
	check: (output: INodeExecutionData[]) => void;
};

const idOf = (email: string) => emulator.rest.contacts.find((c) => c.properties.email === email)?.id;
const emailOf = (contact: IDataObject) => (contact.properties as IDataObject).email;

const cases: Case[] = [
	{
		name: 'Contact → Create or Update',
		parameters: { resource: 'contact', operation: 'upsert', contactFields: { firstName: 'Ada' } },
		path: 'POST /v1/contacts',
		items: [{ email: 'ada@example.com' }],
		check: (output) => {
			expect(emulator.rest.contacts.filter((c) => c.properties.email === 'ada@example.com')).toHaveLength(1);
			expect(output[0].json).toMatchObject({ id: idOf('ada@example.com'), properties: { firstName: 'Ada' } });
		},
	},
	{
		name: 'Contact → Get',
		parameters: { resource: 'contact', operation: 'get', contactId: (json: IDataObject) => idOf(String(json.email)) },
		path: contactByIdRoute('GET'),
		pattern: true,
		items: [{ email: 'bob@example.com' }],
		check: (output) => expect(emailOf(output[0].json)).toBe('bob@example.com'),
	},
	{
		name: 'Contact → Find by Email',
		parameters: { resource: 'contact', operation: 'find' },
		path: 'GET /v1/contacts/search',
		items: [{ email: 'bob@example.com' }],
		check: (output) => expect(output[0].json).toMatchObject({ found: true, id: idOf('bob@example.com') }),
	},
	{
		name: 'Contact → Update',
		parameters: {
			resource: 'contact',
			operation: 'update',
			contactId: (json: IDataObject) => idOf(String(json.email)),
			contactFields: { lastName: 'Builder' },
		},
		path: 'PUT /v1/contacts/',
		items: [{ email: 'bob@example.com' }],
		check: (output) => {
			expect(emulator.rest.contacts.find((c) => c.properties.email === 'bob@example.com')?.properties.lastName).toBe('Builder');
			expect(output[0].json).toMatchObject({ properties: { lastName: 'Builder' } });
		},
	},
	{
		name: 'Contact → Get Many',
		parameters: { resource: 'contact', operation: 'getMany', returnAll: true },
		path: 'GET /v1/contacts',
		items: [{}],
		check: (output) => expect(output.map((item) => emailOf(item.json)).sort()).toEqual(['bob@example.com', 'cy@example.com']),
	},
	{
		name: 'Contact → Delete by ID',
		parameters: { resource: 'contact', operation: 'delete', deleteBy: 'id', contactId: (json: IDataObject) => idOf(String(json.email)) },
		path: contactByIdRoute('DELETE'),
		pattern: true,
		items: [{ email: 'bob@example.com' }],
		check: (output) => {
			expect(emulator.rest.contacts.map((c) => c.properties.email)).toEqual(['cy@example.com']);
			expect(output[0].json.isDeleted).toBe(true);
		},
	},
	{
		name: 'Contact → Delete by email',
		parameters: { resource: 'contact', operation: 'delete', deleteBy: 'email' },
		path: 'DELETE /v1/contacts/by-email/',
		items: [{ email: 'bob@example.com' }],
		check: (output) => {
			expect(emulator.rest.contacts.map((c) => c.properties.email)).toEqual(['cy@example.com']);
			expect(output[0].json.isDeleted).toBe(true);
		},
	},
	{
		name: 'Event → Send',
		parameters: { resource: 'event', operation: 'send', event: 'order.completed', properties: '{"total": 42}' },
		path: 'POST /v1/events',
		items: [{ email: 'ada@example.com' }],
		check: (output) => {
			expect(emulator.rest.events).toHaveLength(1);
			expect(output[0].json).toMatchObject({ success: true, messageId: emulator.rest.events[0].messageId });
		},
	},
	{
		name: 'Email → Send',
		parameters: EMAIL_SEND,
		path: 'POST /v1/emails',
		items: [{ email: 'ada@example.com' }],
		check: (output) => {
			expect(emulator.rest.emails).toHaveLength(1);
			expect(output[0].json).toMatchObject({ messageId: (emulator.rest.emails[0].answer as IDataObject).messageId });
		},
	},
];

const faults: Array<[string, IDataObject]> = [
	['a reset before SMASHSEND answered', { reset: true }],
	['a reset after SMASHSEND did the work', { reset: true, acceptThenFail: true }],
	['an answer that came after the timeout', { delayMs: 600 }],
];

async function run(line: N8nLine, parameters: IDataObject, items: IDataObject[]): Promise<INodeExecutionData[]> {
	const credentials = { apiKey: 'sk_live_emulator_editor', baseUrl: emulator.url };
	const authenticate = new SmashsendApi().authenticate;
	const options: ContextOptions = {
		items,
		parameters: { ...parameters, options: { rateLimit: 0, maxRetryWait: 0.02, timeout: 300, ...(parameters.options as IDataObject) } },
		credentials,
		httpRequestWithAuthentication: authenticatedHttpRequest(authenticate, credentials, line),
	};
	const [output] = await new Smashsend().execute.call(executeContext(options));
	return output;
}

describe.each<N8nLine>([1, 2])("REST calls after a network failure, with n8n %i.x's request helper", (line) => {
	beforeEach(() => {
		emulator.reset();
		emulator.rest.seedContacts([{ email: 'bob@example.com' }, { email: 'cy@example.com' }]);
	});

	describe.each(cases)('$name', ({ parameters, path, pattern, items, check }) => {
		it.each(faults)('is retried after %s, and SMASHSEND holds the result once', async (_, fault) => {
			emulator.addFaults([{ ...(pattern ? { pathPattern: path } : { path }), ...fault }]);
			const output = await run(line, parameters, items);
			expect(emulator.pendingFaults).toHaveLength(0);
			const route = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
			const calls = emulator.received.filter((r) => (pattern ? new RegExp(path).test(route(r)) : route(r).startsWith(path)));
			expect(calls.length).toBeGreaterThanOrEqual(2);
			check(output);
		});
	});

	it('a Delete whose answer was lost and whose retry finds the contact gone reports it deleted; a plain 404 still fails', async () => {
		const bob = idOf('bob@example.com');
		emulator.addFaults([{ path: 'DELETE /v1/contacts/', reset: true, acceptThenFail: true }]);
		const [deleted] = await run(line, { resource: 'contact', operation: 'delete', deleteBy: 'id', contactId: bob }, [{}]);
		expect(deleted.json).toEqual({ isDeleted: true, id: bob, deletedByEarlierAttempt: true });
		expect(emulator.received.map((r) => r.status)).toEqual([0, 404]);

		const error = await run(line, { resource: 'contact', operation: 'delete', deleteBy: 'id', contactId: bob }, [{}]).then(
			() => undefined,
			(e: Error & { httpCode?: string | null }) => e,
		);
		expect(error?.message).toBe('SMASHSEND rejected the item: Contact not found [item 0]');
		expect(error?.httpCode).toBe('404');
	});

	it('names the cause and the item when a network failure outlasts the retries', async () => {
		emulator.addFaults([{ path: 'POST /v1/contacts', reset: true, times: 3 }]);
		const error = await run(
			line,
			{ resource: 'contact', operation: 'upsert', options: { rateLimit: 0, maxRetries: 2, maxRetryWait: 0.02 } },
			[{ email: 'ada@example.com' }],
		).then(
			() => undefined,
			(e: Error & { description?: string }) => e,
		);
		expect(error?.message).toMatch(/^Could not reach SMASHSEND: the connection was reset \[item 0\]$/);
		expect(error?.description).toContain('Tried 3 times (connection reset, connection reset, connection reset).');
		expect(error?.description).toContain('ECONNRESET');
	});
});
