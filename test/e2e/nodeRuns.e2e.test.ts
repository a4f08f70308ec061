import type { IDataObject } from 'n8n-workflow';

import { createEmulator } from '../../emulator/server';
import { selectedVersion } from '../../n8n-runtime/install';
import { N8nSession, packPackage } from '../../n8n-runtime/session';
import { apiCredential, flowCredential } from '../support/e2eCredentials';
import { createFakeChatModel } from '../support/fakeChatModel';
import aiAgentTool from './workflows/ai-agent-tool.workflow.json';
import ifWaitLoop from './workflows/if-wait-loop.workflow.json';
import loopOverItems from './workflows/loop-over-items.workflow.json';
import retryOnFail from './workflows/retry-on-fail.workflow.json';
import twoBranches from './workflows/two-branches.workflow.json';

/**
 * The ways n8n runs one node more than once in an execution — Loop Over Items, two input
 * branches, Retry On Fail, an AI Agent's tool calls — in a real n8n with the packed package.
 * Judged by what the emulator recorded: one email, one event, one flow run per input item.
 * The emulator answers a repeated key with the earlier result (as SMASHSEND does for emails
 * and events; for flow webhooks it is switched on here, so that a key reused by mistake
 * shows as a missing flow run).
 */

const FLOW = { flowId: 'flw_E2eRuns', workspaceId: 'wrk_E2eRuns' };
const emulator = createEmulator({ flows: [FLOW] });
const chatModel = createFakeChatModel({
	toolName: /welcome/i,
	toolCalls: [
		{ arguments: { recipient: 'ada@example.com', subject: 'Welcome, Ada' } },
		{ arguments: { recipient: 'grace@example.com', subject: 'Welcome, Grace' } },
	],
	finalAnswer: 'Both customers have been welcomed.',
});
let session: InstanceType<typeof N8nSession>;

type Workflow = {
	id: string;
	name: string;
	nodes: Array<IDataObject & { name: string; parameters: IDataObject }>;
	connections: IDataObject;
};

/** How many times each email address appears in what the server recorded. */
function perEmail(bodies: unknown[], emailOf: (body: IDataObject) => unknown): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const body of bodies) {
		const email = String(emailOf(body as IDataObject));
		counts[email] = (counts[email] ?? 0) + 1;
	}
	return counts;
}
const emails = () => perEmail(emulator.rest.emails, (b) => b.to);
const events = () => perEmail(emulator.rest.events, (b) => (b.identify as IDataObject).email);
const flowRuns = () =>
	perEmail(
		emulator.accepted.map((r) => r.body),
		(b) => b.email,
	);
/** Every item the node sent to a path (a batch's items one by one), by email. */
const calls = (path: string) =>
	perEmail(
		emulator.received
			.filter((r) => r.path.startsWith(path))
			.flatMap((r) => ((r.body as IDataObject).events as IDataObject[] | undefined) ?? [r.body]),
		(b) => b.email ?? (b.identify as IDataObject)?.email ?? b.to,
	);
/**
 * bad@example.com refused by SMASHSEND on every call: with 400 where each item has its call,
 * inside the batch for events (Event → Send sends its items in batches).
 */
const refuseBad = (path: string) =>
	emulator.addFaults([
		path === 'POST /v1/events'
			? { path, email: 'bad@example.com', itemError: { code: 'VALIDATION_ERROR', message: 'Rejected' }, times: 100 }
			: { path, email: 'bad@example.com', status: 400, times: 100 },
	]);
const refusal = (path: string) =>
	path.includes('events')
		? 'SMASHSEND rejected the item: Rejected (VALIDATION_ERROR) [item 0]'
		: 'SMASHSEND rejected the item: Injected failure [item 0]';

/** The four recipients of the loop and branch workflows: Ada twice, with identical data. */
const ONE_EACH = { 'ada@example.com': 2, 'bob@example.com': 1, 'cy@example.com': 1 };

beforeAll(async () => {
	await emulator.start();
	await chatModel.start();
	session = new N8nSession();
	session.installPackage(packPackage());
	await session.importCredentials([
		flowCredential(emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId)),
		apiCredential(emulator.url),
		{ id: 'fakeOpenAiE2eCred', name: 'Fake chat model (e2e)', type: 'openAiApi', data: { apiKey: 'sk-fake', url: chatModel.url } },
	]);
	const loopInPairs = structuredClone(loopOverItems) as Workflow;
	loopInPairs.id = 'e2eNodeRunsLoop2';
	loopInPairs.name = 'e2e: Loop Over Items in pairs';
	loopInPairs.nodes.find((node) => node.name === 'Loop Over Items')!.parameters.batchSize = 2;
	for (const workflow of [loopOverItems, loopInPairs, twoBranches, ifWaitLoop, retryOnFail, ...stopOnErrorVariants(), aiAgentTool]) {
		await session.importWorkflow(workflow);
	}
});

afterAll(async () => {
	await session?.stop();
	await chatModel.stop();
	await emulator.stop();
});

beforeEach(() => {
	emulator.reset();
	emulator.setHonourIdempotencyKey(true);
});

/** Each SMASHSEND node of the Retry On Fail workflow alone, with On Error left at Stop Workflow. */
function stopOnErrorVariants(): Workflow[] {
	const base = retryOnFail as Workflow;
	return ['Trigger Flow', 'Send Event', 'Send Email'].map((name, index) => ({
		...base,
		id: `e2eNodeRunsStop${index}`,
		name: `e2e: Retry On Fail, On Error stops (${name})`,
		nodes: base.nodes
			.filter((node) => !String(node.type).startsWith('n8n-nodes-smashsend') || node.name === name)
			.map((node) => (node.name === name ? { ...node, onError: undefined } : node)),
		connections: { ...base.connections, Recipients: { main: [[{ node: name, type: 'main', index: 0 }]] } },
	}));
}

describe(`a SMASHSEND node run more than once per execution in real n8n ${selectedVersion()}`, () => {
	it.each([
		['one item', loopOverItems.id, 4],
		['two items', 'e2eNodeRunsLoop2', 2],
	])('Loop Over Items, %s per pass: one email, one event and one flow run per input item', async (_, workflowId, passes) => {
		const result = await session.execute(workflowId);
		expect(result.error).toBeUndefined();
		expect(result.runs('Send Email')).toHaveLength(passes);
		expect(result.runs('Trigger Flow')).toHaveLength(passes);
		expect(emails()).toEqual(ONE_EACH);
		expect(events()).toEqual(ONE_EACH);
		expect(flowRuns()).toEqual(ONE_EACH);
		const flowRunIds = result
			.runs('Trigger Flow')
			.flat()
			.map((item) => item.json.flowRunId);
		expect(new Set(flowRunIds).size).toBe(4);
	});

	it('two branches into one node: it runs once per branch and sends every item of both', async () => {
		const result = await session.execute(twoBranches.id);
		expect(result.error).toBeUndefined();
		expect(result.runs('Send Email')).toHaveLength(2);
		expect(emails()).toEqual(ONE_EACH);
		expect(events()).toEqual(ONE_EACH);
		expect(flowRuns()).toEqual(ONE_EACH);
	});

	it('a loop built with IF, through a Wait node: the same email to the same contact on each of three passes is sent three times', async () => {
		const result = await session.execute(ifWaitLoop.id);
		expect(result.error).toBeUndefined();
		expect(result.runs('Send Email')).toHaveLength(3);
		expect(emails()).toEqual({ 'ada@example.com': 3 });
	});

	it('Retry On Fail with a first item that fails for good (error output): only that item is sent again', async () => {
		for (const path of ['POST /v1/flows/', 'POST /v1/events', 'POST /v1/emails']) refuseBad(path);
		// The flow webhook does not deduplicate here: the node itself must not send again.
		emulator.setHonourIdempotencyKey(false);
		const result = await session.execute(retryOnFail.id);
		expect(result.error).toBeUndefined();
		const once = { 'a@example.com': 1, 'c@example.com': 1 };
		for (const path of ['/v1/flows/', '/v1/events', '/v1/emails']) expect(calls(path)).toEqual({ ...once, 'bad@example.com': 3 });
		expect(flowRuns()).toEqual(once);
		expect(events()).toEqual(once);
		expect(emails()).toEqual(once);
		for (const node of ['Trigger Flow', 'Send Event', 'Send Email']) {
			expect(result.output(node, 0)).toHaveLength(2);
			expect(result.output(node, 1).map((item: { json: IDataObject }) => item.json.error)).toEqual([
				expect.stringContaining(refusal(node === 'Send Event' ? 'events' : '')),
			]);
		}
	});

	it.each([
		['Trigger a Flow', 'e2eNodeRunsStop0', '/v1/flows/'],
		['Event → Send', 'e2eNodeRunsStop1', '/v1/events'],
		['Email → Send', 'e2eNodeRunsStop2', '/v1/emails'],
	])('Retry On Fail when one item stops the workflow (%s): every other item is sent once', async (_, workflowId, path) => {
		refuseBad(`POST ${path}`);
		emulator.setHonourIdempotencyKey(false);
		const result = await session.execute(workflowId);
		expect(result.error?.message).toContain(refusal(path));
		expect(calls(path)).toEqual({ 'a@example.com': 1, 'c@example.com': 1, 'bad@example.com': 3 });
	});

	it('an AI Agent calling the SMASHSEND tool twice in one run sends two emails', async () => {
		chatModel.requests.length = 0;
		const result = await session.execute(aiAgentTool.id);
		expect(result.error).toBeUndefined();
		// n8n 1.x runs the two tool calls in the opposite order.
		expect(emulator.rest.emails.map((email) => [email.to, email.subject]).sort()).toEqual([
			['ada@example.com', 'Welcome, Ada'],
			['grace@example.com', 'Welcome, Grace'],
		]);
		expect(new Set(emulator.rest.emails.map((email) => email.idempotencyKey)).size).toBe(2);
		expect(result.output('AI Agent')[0].json.output).toBe('Both customers have been welcomed.');
		// The model offered the tool and got both results back.
		expect(chatModel.requests[0].tools?.map((tool) => tool.function.name)).toEqual([expect.stringMatching(/welcome/i)]);
		expect(chatModel.requests.at(-1)?.messages?.filter((message) => message.role === 'tool')).toHaveLength(2);
	});
});
