import type { IDataObject, IHookFunctions, INodeExecutionData } from 'n8n-workflow';

import { SmashsendApi } from '../../../credentials/SmashsendApi.credentials';
import { Smashsend } from '../../../nodes/Smashsend/Smashsend.node';
import { retryOnFailMemory } from '../../../nodes/Smashsend/delivery/retryOnFailMemory';
import { SmashsendTrigger } from '../../../nodes/SmashsendTrigger/SmashsendTrigger.node';
import { EMAIL_SEND } from '../../support/restParameters';
import { executeContext, TEST_NODE, type ContextOptions } from '../../support/executeContext';
import { authenticatedHttpRequest, type N8nLine } from '../../support/n8nHttp';
import { useRestEmulator } from '../../support/restEmulator';
import { leakedSecrets } from '../../support/secrets';

/**
 * Exactly once, second review (issue 27): what a user reads after a call SMASHSEND may have
 * carried out, answers broken off or dripped, a Retry On Fail whose record was dropped, and
 * secrets in the trigger's activation errors — judged by what the emulator recorded, with
 * n8n's request helper as each line has it.
 */

const emulator = useRestEmulator();
const KEY = 'sk_live_emulator_editor';

async function run(line: N8nLine, options: Omit<ContextOptions, 'credentials'>): Promise<INodeExecutionData[]> {
	const credentials = { apiKey: KEY, baseUrl: emulator.url };
	const context = executeContext({
		continueOnFail: true,
		...options,
		parameters: { ...options.parameters, options: { rateLimit: 0, maxRetryWait: 0.02, ...(options.parameters?.options as IDataObject) } },
		credentials,
		httpRequestWithAuthentication: authenticatedHttpRequest(new SmashsendApi().authenticate, credentials, line),
	});
	const [output] = await new Smashsend().execute.call(context);
	return output;
}

describe.each<N8nLine>([1, 2])("with n8n %i.x's request helper", (line) => {
	it('an email SMASHSEND sent but answered 504 every time is "not confirmed", with advice to check before sending again', async () => {
		emulator.addFaults([{ path: 'POST /v1/emails', acceptThenFail: true, status: 504, times: 3 }]);
		const [item] = await run(line, { items: [{ email: 'ada@example.com' }], parameters: { ...EMAIL_SEND, options: { maxRetries: 2 } } });
		expect(emulator.rest.emails).toHaveLength(1);
		expect(item.json.error).toBe('SMASHSEND did not confirm the call: Injected failure [item 0]');
		expect(item.json.httpCode).toBe('504');
		expect(item.json.errorDescription).toContain('Tried 3 times (HTTP 504, HTTP 504, HTTP 504).');
		expect(item.json.errorDescription).toContain('SMASHSEND may or may not have carried the call out');
		expect(item.json.errorDescription).toContain('Check the record in SMASHSEND before sending the item again');
		expect(item.json.errorDescription).not.toContain('run the workflow again');
	});

	it('takes a 2xx without JSON (a 202 or 204) as success, and outputs what it can read', async () => {
		emulator.addFaults([{ path: 'POST /v1/events', status: 202, body: '', contentType: 'text/plain' }]);
		const [item] = await run(line, {
			items: [{ email: 'ada@example.com' }],
			parameters: { resource: 'event', operation: 'send', event: 'order.completed', options: { batchSize: 1 } },
		});
		expect(item.json.error).toBeUndefined();
		expect(item.json).toMatchObject({
			event: 'order.completed',
			email: 'ada@example.com',
			messageId: expect.stringMatching(/^n8n-event-/),
		});
	});

	it('a batch answered 502 after SMASHSEND saved it: each item "not confirmed", its note says the call was theirs together', async () => {
		emulator.addFaults([{ path: 'POST /v1/contacts/batch', acceptThenFail: true, status: 502, times: 2 }]);
		const output = await run(line, {
			items: [{ email: 'ada@example.com' }, { email: 'bob@example.com' }],
			parameters: { resource: 'contact', operation: 'upsert', options: { maxRetries: 1 } },
		});
		expect(emulator.rest.contacts).toHaveLength(2);
		expect(output.map((i) => i.json.error)).toEqual([
			expect.stringMatching(/^SMASHSEND did not confirm the call: .* \[item 0\]$/),
			expect.stringMatching(/^SMASHSEND did not confirm the call: .* \[item 1\]$/),
		]);
		expect(output.map((i) => i.json.httpCode)).toEqual(['502', '502']);
		expect(output[1].json.errorDescription).toContain(
			"It was sent in one call with items 0–1 (a batch of 2): that call's answer is each item's.",
		);
		expect(output[1].json.errorDescription).not.toContain('failed as a whole');
	});

	it('retries an answer broken off after SMASHSEND did the work (it may have arrived), and SMASHSEND holds it once', async () => {
		emulator.addFaults([{ path: 'POST /v1/contacts', acceptThenFail: true, truncate: true }]);
		const [item] = await run(line, {
			items: [{ email: 'ada@example.com' }],
			parameters: { resource: 'contact', operation: 'upsert', contactFields: { firstName: 'Ada' }, options: { batchSize: 1 } },
		});
		expect(item.json.error).toBeUndefined();
		expect(emulator.received.filter((r) => r.path === '/v1/contacts').map((r) => r.fault ?? 'none')).toEqual([
			'accept-then-truncate',
			'none',
		]);
		expect(emulator.rest.contacts).toHaveLength(1);
	});

	it('gives a call its Timeout as a deadline: a server that answers a byte at a time is cut off, and it may have arrived', async () => {
		emulator.addFaults([{ path: 'POST /v1/events', acceptThenFail: true, dripMs: 40 }]);
		const [item] = await run(line, {
			items: [{ email: 'ada@example.com' }],
			parameters: {
				resource: 'event',
				operation: 'send',
				event: 'order.completed',
				options: { batchSize: 1, timeout: 300, maxRetries: 0 },
			},
		});
		// The whole answer takes seconds to drip; the call is over at 300 ms.
		expect(item.json.error).toBe('Could not reach SMASHSEND: no answer came before the timeout [item 0]');
		expect(item.json.errorDescription).toContain('The request may have reached SMASHSEND before the connection ended (code ECONNABORTED)');
		expect(emulator.rest.events).toHaveLength(1);
	});
});

describe('Trigger a Flow', () => {
	const flow = async (options: IDataObject) => {
		const context = executeContext({
			items: [{ email: 'ada@example.com' }],
			continueOnFail: true,
			credentials: { webhookUrl: emulator.webhookUrl() },
			parameters: { options },
		});
		const [output] = await new Smashsend().execute.call(context);
		return output;
	};

	it('cuts off a flow webhook that answers a byte at a time at its Timeout: the flow may have started', async () => {
		emulator.addFaults([{ path: 'POST /v1/flows/', acceptThenFail: true, dripMs: 40 }]);
		const [item] = await flow({ timeout: 300, maxRetries: 0 });
		expect(item.json.error).toBe('Could not reach SMASHSEND: no answer came before the timeout [item 0]');
		expect(item.json.errorDescription).toContain('the flow may or may not have started');
		expect(emulator.accepted).toHaveLength(1);
	});

	it('retries a flow answer broken off after the flow started (under At Least Once), and says "may have" when it gives up', async () => {
		emulator.addFaults([{ path: 'POST /v1/flows/', acceptThenFail: true, truncate: true, times: 2 }]);
		const [item] = await flow({ maxRetries: 1, maxRetryWait: 0.02 });
		expect(emulator.accepted).toHaveLength(2);
		expect(item.json.error).toMatch(/^Could not reach SMASHSEND: the connection broke off while SMASHSEND answered.* \[item 0\]$/);
		expect(item.json.errorDescription).toContain('The request may have reached SMASHSEND before the connection ended');
	});
});

describe('a failed item, as n8n will show it', () => {
	it('keeps its advice in json, flat for Continue, as the message for the error output (n8n keeps nothing else of an item carrying `error`)', async () => {
		emulator.addFaults([{ path: 'POST /v1/emails', acceptThenFail: true, status: 504, times: 2 }]);
		const items = [{ email: 'ada@example.com' }];
		const parameters = { ...EMAIL_SEND, options: { maxRetries: 0 } };
		const [regular] = await run(2, { items, parameters });
		expect(regular.error).toBeUndefined();
		expect(regular.json).toEqual({
			error: 'SMASHSEND did not confirm the call: Injected failure [item 0]',
			errorDescription: expect.stringContaining('Check the record in SMASHSEND before sending the item again'),
			httpCode: '504',
			attempts: 1,
		});
		const [routed] = await run(2, { items, parameters, onError: 'continueErrorOutput' });
		expect(routed.error).toBeUndefined();
		// Exactly error and message: what n8n 1.x sends to the error output (2.x takes it too).
		expect(routed.json).toEqual({
			error: 'SMASHSEND did not confirm the call: Injected failure [item 0]',
			message: expect.stringContaining('Check the record in SMASHSEND before sending the item again'),
		});
	});
});

describe('Retry On Fail after the record of an earlier try was dropped', () => {
	afterEach(() => jest.restoreAllMocks());

	it('sends nothing again and says why in each item', async () => {
		const forRun = retryOnFailMemory.forRun.bind(retryOnFailMemory);
		jest.spyOn(retryOnFailMemory, 'forRun').mockImplementation((scope) => ({ ...forRun(scope), dropped: true }));
		const output = await run(2, {
			items: [{ email: 'ada@example.com' }, { email: 'bob@example.com' }],
			retryOnFail: true,
			parameters: { ...EMAIL_SEND },
		});
		expect(output.map((i) => i.json.error)).toEqual([
			'Not sent again when n8n retried the node (Retry On Fail) [item 0]',
			'Not sent again when n8n retried the node (Retry On Fail) [item 1]',
		]);
		expect(output[0].json.errorDescription).toContain("the node's record of what that try sent was dropped");
		expect(emulator.received).toHaveLength(0);
	});
});

describe("the SMASHSEND Trigger's activation errors", () => {
	it('never carry the API key or the signing token, whatever SMASHSEND (or a proxy) echoes', async () => {
		emulator.addFaults([{ path: 'POST /v1/webhooks', echo: true }]);
		const data: IDataObject = {};
		const credentials = { apiKey: KEY, baseUrl: emulator.url };
		const context = {
			getNode: () => ({ ...TEST_NODE, type: 'n8n-nodes-smashsend.smashsendTrigger' }),
			getNodeWebhookUrl: () => 'https://n8n.example.com/webhook/abc/webhook',
			getNodeParameter: (name: string) => (name === 'events' ? ['CONTACT_CREATED'] : undefined),
			getWorkflowStaticData: () => data,
			getCredentials: async () => credentials,
			helpers: { httpRequestWithAuthentication: authenticatedHttpRequest(new SmashsendApi().authenticate, credentials) },
		} as unknown as IHookFunctions;
		const error = await new SmashsendTrigger().webhookMethods.default.create.call(context).then(
			() => undefined,
			(e: Error & { httpCode?: string | null }) => e,
		);
		const sent = emulator.received[0].body as IDataObject;
		expect(typeof sent.token).toBe('string');
		expect(error?.message).toContain('SMASHSEND did not register the webhook: ');
		expect(error?.httpCode).toBe('400');
		expect(error?.message).toContain('Authorization: Bearer [redacted]');
		expect(leakedSecrets(error, [KEY, String(sent.token)])).toEqual([]);
	});
});
