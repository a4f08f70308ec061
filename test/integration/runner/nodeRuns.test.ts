import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { SmashsendApi } from '../../../credentials/SmashsendApi.credentials';
import { createEmulator } from '../../../emulator/server';
import { Smashsend } from '../../../nodes/Smashsend/Smashsend.node';
import { retryOnFailMemory } from '../../../nodes/Smashsend/delivery/retryOnFailMemory';
import { EMAIL_SEND } from '../../support/restParameters';
import { executeContext, type ContextOptions } from '../../support/executeContext';
import { authenticatedHttpRequest } from '../../support/n8nHttp';

/**
 * n8n runs a node more than once per execution: Loop Over Items, two input branches and an
 * AI Agent's tool calls give each run a new run index; Retry On Fail runs it again with the
 * same run index and the same items. Judged by what the emulator recorded.
 */

const FLOW = { flowId: 'flw_Runs', workspaceId: 'wrk_Runs' };
const emulator = createEmulator({ flows: [FLOW] });
const EDITOR = 'sk_live_emulator_editor';

beforeAll(async () => await emulator.start());
afterAll(async () => await emulator.stop());
beforeEach(() => {
	emulator.reset();
	// As SMASHSEND does for events and emails: a repeated key gets the earlier answer.
	emulator.setHonourIdempotencyKey(true);
});

type Run = Omit<ContextOptions, 'credentials'> & { executionId: string; runIndex: number };

async function execute(options: Run): Promise<INodeExecutionData[]> {
	const flow = options.parameters?.resource === undefined || options.parameters.resource === 'flow';
	const credentials: Record<string, string> = flow
		? { webhookUrl: emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId) }
		: { apiKey: EDITOR, baseUrl: emulator.url };
	const authenticate = new SmashsendApi().authenticate;
	const context = executeContext({
		...options,
		parameters: { options: { rateLimit: 0, maxRetryWait: 0.02 }, ...options.parameters },
		credentials,
		httpRequestWithAuthentication: authenticatedHttpRequest(authenticate, credentials),
	});
	const [output] = await new Smashsend().execute.call(context);
	return output;
}

/** n8n's Retry On Fail: the same run again after a throw. Returns how each try ended. */
async function tries(count: number, options: Run): Promise<Array<INodeExecutionData[] | Error>> {
	const outcomes: Array<INodeExecutionData[] | Error> = [];
	for (let i = 0; i < count; i++) outcomes.push(await execute({ ...options, retryOnFail: true }).catch((error: Error) => error));
	return outcomes;
}

const emailOf = (body: unknown) => {
	const b = body as IDataObject;
	return String(b.email ?? (b.identify as IDataObject | undefined)?.email ?? b.to ?? (b.properties as IDataObject | undefined)?.email);
};
const countByEmail = (bodies: unknown[]) => {
	const counts: Record<string, number> = {};
	for (const body of bodies) counts[emailOf(body)] = (counts[emailOf(body)] ?? 0) + 1;
	return counts;
};

const resources: Array<{ name: string; parameters: IDataObject; path: string; done: () => unknown[] }> = [
	{ name: 'Trigger a Flow', parameters: {}, path: '/v1/flows/', done: () => emulator.accepted.map((r) => r.body) },
	{
		name: 'Event → Send',
		// One call per event here; test/integration/runner/batches.test.ts and the batch tests below send batches.
		parameters: {
			resource: 'event',
			operation: 'send',
			event: 'order.completed',
			properties: '{}',
			options: { rateLimit: 0, maxRetryWait: 0.02, batchSize: 1 },
		},
		path: '/v1/events',
		done: () => emulator.rest.events,
	},
	{
		name: 'Email → Send',
		parameters: EMAIL_SEND,
		path: '/v1/emails',
		done: () => emulator.rest.emails,
	},
];

describe.each(resources)('$name run more than once in one execution', ({ parameters, path, done }) => {
	const sent = () => emulator.received.filter((r) => r.path.startsWith(path)).map((r) => r.body);

	it('sends identical data again in a later run (a Loop Over Items pass, a second branch, a tool call)', async () => {
		const item = [{ email: 'ada@example.com' }];
		await execute({ items: item, parameters, executionId: 'loop', runIndex: 0 });
		await execute({ items: item, parameters, executionId: 'loop', runIndex: 1 });
		await execute({ items: item, parameters, executionId: 'loop', runIndex: 2 });
		expect(countByEmail(done())).toEqual({ 'ada@example.com': 3 });
	});

	it('sends each pass of a batch-size-1 loop, each starting again at item 0', async () => {
		const recipients = ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'];
		for (const [runIndex, email] of recipients.entries())
			await execute({ items: [{ email }], parameters, executionId: 'batches', runIndex });
		expect(countByEmail(done())).toEqual(Object.fromEntries(recipients.map((email) => [email, 1])));
	});

	it('Retry On Fail after one item fails for good sends every other item once', async () => {
		// The Retry On Fail memory, not the server, must stop the repeats: SMASHSEND documents no idempotency for flows.
		emulator.setHonourIdempotencyKey(false);
		emulator.addFaults([{ path: `POST ${path}`, email: 'bad@example.com', status: 400, times: 10 }]);
		const items = [{ email: 'a@example.com' }, { email: 'bad@example.com' }, { email: 'c@example.com' }];
		const outcomes = await tries(3, { items, parameters, executionId: 'retry', runIndex: 0 });
		expect(outcomes.every((outcome) => outcome instanceof Error)).toBe(true);
		expect(countByEmail(sent())).toEqual({ 'a@example.com': 1, 'bad@example.com': 3, 'c@example.com': 1 });
		expect(countByEmail(done())).toEqual({ 'a@example.com': 1, 'c@example.com': 1 });
	});

	it('Retry On Fail of a run whose first item failed (On Error: continue) resends only that item, and outputs the others as before', async () => {
		emulator.addFaults([{ path: `POST ${path}`, email: 'bad@example.com', status: 503, times: 1 }]);
		const items = [{ email: 'bad@example.com' }, { email: 'b@example.com' }];
		const options = {
			items,
			parameters: { ...parameters, options: { rateLimit: 0, maxRetries: 0, batchSize: 1 } },
			executionId: 'retry-continue',
			runIndex: 0,
			continueOnFail: true,
		};
		const [first, second] = (await tries(2, options)) as INodeExecutionData[][];
		expect(first[0].json.error).toBeDefined();
		expect(second[0].json.error).toBeUndefined();
		expect(second[1].json).toEqual(first[1].json);
		expect(countByEmail(sent())).toEqual({ 'bad@example.com': 2, 'b@example.com': 1 });
	});

	it('a run that succeeded is not remembered: the same run index in a new execution sends again', async () => {
		const items = [{ email: 'ada@example.com' }];
		await execute({ items, parameters, executionId: 'first', runIndex: 0 });
		await execute({ items, parameters, executionId: 'second', runIndex: 0 });
		expect(countByEmail(done())).toEqual({ 'ada@example.com': 2 });
	});
});

describe('memory', () => {
	it('nothing is remembered for a node without Retry On Fail, even when its run fails', async () => {
		const before = retryOnFailMemory.size;
		emulator.addFaults([{ email: 'bad@example.com', status: 400 }]);
		await execute({ items: [{ email: 'a@example.com' }, { email: 'bad@example.com' }], executionId: 'no-retry', runIndex: 0 }).catch(
			() => undefined,
		);
		expect(emulator.accepted).toHaveLength(1);
		expect(retryOnFailMemory.size).toBe(before);
	});
});

describe('At Most Once under Retry On Fail', () => {
	it('a flow call that may have arrived is not sent again by the next try either', async () => {
		emulator.setHonourIdempotencyKey(false);
		emulator.addFaults([{ email: 'slow@example.com', acceptThenFail: true, status: 504 }]);
		const items = [{ email: 'slow@example.com' }, { email: 'ok@example.com' }];
		const parameters = { options: { ambiguousFailure: 'fail' } };
		// On Error: continue; the first item's error makes n8n retry the node.
		const outcomes = (await tries(3, {
			items,
			parameters,
			executionId: 'at-most-once',
			runIndex: 0,
			continueOnFail: true,
		})) as INodeExecutionData[][];
		for (const output of outcomes) {
			expect(output[0].json.httpCode).toBe('504');
			expect(output[1].json.flowRunId).toBe(outcomes[0][1].json.flowRunId);
		}
		expect(countByEmail(emulator.received.map((r) => r.body))).toEqual({ 'slow@example.com': 1, 'ok@example.com': 1 });
	});

	it('in Stop Workflow mode, the next try stops at that item again without sending it', async () => {
		emulator.setHonourIdempotencyKey(false);
		emulator.addFaults([{ email: 'slow@example.com', acceptThenFail: true, status: 504 }]);
		const outcomes = await tries(3, {
			items: [{ email: 'slow@example.com' }],
			parameters: { options: { ambiguousFailure: 'fail' } },
			executionId: 'at-most-once-stop',
			runIndex: 0,
		});
		expect(outcomes.every((outcome) => outcome instanceof Error && (outcome as Error & { httpCode?: string }).httpCode === '504')).toBe(
			true,
		);
		expect(emulator.received).toHaveLength(1);
	});
});

describe('keys the user sets', () => {
	it('a Message ID or Idempotency Key that an expression makes a number is sent as its text, not replaced', async () => {
		const items = [{ email: 'ada@example.com', order: 12345 }];
		await execute({
			items,
			parameters: {
				resource: 'event',
				operation: 'send',
				event: 'paid',
				properties: '{}',
				additionalFields: { messageId: (json: IDataObject) => json.order },
			},
			executionId: 'n',
			runIndex: 0,
		});
		await execute({
			items,
			parameters: { ...resources[2].parameters, additionalFields: { idempotencyKey: (json: IDataObject) => json.order } },
			executionId: 'n',
			runIndex: 0,
		});
		expect(
			emulator.received.map((r) => {
				const b = r.body as IDataObject;
				return b.messageId ?? b.idempotencyKey;
			}),
		).toEqual(['12345', '12345']);
	});

	it('an explicit Message ID and Idempotency Key are sent as given, in every run', async () => {
		const items = [{ email: 'ada@example.com' }];
		const event = {
			resource: 'event',
			operation: 'send',
			event: 'signup',
			properties: '{}',
			additionalFields: { messageId: 'signup-ada' },
		};
		await execute({ items, parameters: event, executionId: 'x', runIndex: 0 });
		await execute({ items, parameters: event, executionId: 'x', runIndex: 1 });
		const email = { ...resources[2].parameters, additionalFields: { idempotencyKey: 'welcome-ada' } };
		await execute({ items, parameters: email, executionId: 'x', runIndex: 0 });
		await execute({ items, parameters: email, executionId: 'x', runIndex: 1 });
		const bodies = emulator.received.map((r) => r.body as IDataObject);
		expect(bodies.map((b) => b.messageId ?? b.idempotencyKey)).toEqual(['signup-ada', 'signup-ada', 'welcome-ada', 'welcome-ada']);
		expect(emulator.rest.events).toHaveLength(1);
		expect(emulator.rest.emails).toHaveLength(1);
	});
});

describe('Contact → Create or Update under Retry On Fail', () => {
	it('does not spend rate-limited calls again on contacts an earlier try saved (one call per item)', async () => {
		emulator.addFaults([{ path: 'POST /v1/contacts', email: 'bad@example.com', status: 422, times: 10 }]);
		const items = [{ email: 'a@example.com' }, { email: 'bad@example.com' }, { email: 'c@example.com' }];
		const parameters = { resource: 'contact', operation: 'upsert', options: { rateLimit: 0, batchSize: 1 } };
		await tries(2, { items, parameters, executionId: 'upsert', runIndex: 0 });
		const posts = emulator.received.filter((r) => r.path === '/v1/contacts').map((r) => r.body);
		expect(countByEmail(posts)).toEqual({ 'a@example.com': 1, 'bad@example.com': 2, 'c@example.com': 1 });
	});
});

describe.each([
	{
		name: 'Contact → Create or Update',
		parameters: { resource: 'contact', operation: 'upsert' },
		path: '/v1/contacts/batch',
		field: 'contacts',
	},
	{
		name: 'Event → Send',
		parameters: { resource: 'event', operation: 'send', event: 'order.completed', properties: '{}' },
		path: '/v1/events/batch',
		field: 'events',
	},
])('$name in batches under Retry On Fail', ({ parameters, path, field }) => {
	const emailsSent = () => emulator.received.filter((r) => r.path === path).flatMap((r) => (r.body as IDataObject)[field] as IDataObject[]);

	it('the next try sends only the item SMASHSEND refused, not the ones it took', async () => {
		emulator.addFaults([{ path: `POST ${path}`, email: 'bad@example.com', itemError: { code: 'BLOCKED', message: 'No' }, times: 10 }]);
		const items = [{ email: 'a@example.com' }, { email: 'bad@example.com' }, { email: 'c@example.com' }];
		const outcomes = await tries(2, { items, parameters, executionId: `batch-${field}`, runIndex: 0 });
		expect(outcomes.map((outcome) => (outcome as Error).message)).toEqual([
			'SMASHSEND rejected the item: No (BLOCKED) [item 1]',
			'SMASHSEND rejected the item: No (BLOCKED) [item 1]',
		]);
		expect(countByEmail(emailsSent())).toEqual({ 'a@example.com': 1, 'bad@example.com': 2, 'c@example.com': 1 });
	});
});
