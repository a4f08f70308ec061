import type { IDataObject } from 'n8n-workflow';

import { createEmulator } from '../../emulator/server';
import { QueueCluster } from '../../n8n-runtime/queue';
import { packPackage } from '../../n8n-runtime/session';
import { pause } from '../support/executeContext';
import { apiCredential } from '../support/e2eCredentials';
import { report } from '../support/report';
import triggerWorkflow from '../e2e/workflows/smashsend-trigger.workflow.json';

/**
 * n8n in queue mode, as self-hosters scale it out: PostgreSQL, Redis, n8n main, two workers
 * and a webhook processor on loopback, with the packed package installed as a user would.
 * Judged by what reaches the emulator.
 */

const FLOW = { flowId: 'flw_queue', workspaceId: 'wrk_queue' };
const emulator = createEmulator({ flows: [FLOW], latencyMs: 20 });
const WEBHOOK_PATH = 'smashsend-queue';
const EXECUTIONS = 20;
const CONTACTS = 50;

/** A webhook that takes a list of contacts, one item each, and triggers the flow for every one. */
const workflow = {
	id: 'queueWebhook0001',
	name: 'SMASHSEND queue mode: contacts from a webhook',
	active: false,
	settings: { executionOrder: 'v1' },
	pinData: {},
	connections: {
		Webhook: { main: [[{ node: 'Contacts', type: 'main', index: 0 }]] },
		Contacts: { main: [[{ node: 'SMASHSEND', type: 'main', index: 0 }]] },
	},
	nodes: [
		{
			id: 'q-1',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '6c1f4f0e-8d55-4b53-9d8e-3a0b5c7e1a01',
			parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
		},
		{
			id: 'q-2',
			name: 'Contacts',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [220, 0],
			parameters: { fieldToSplitOut: 'body.contacts', options: {} },
		},
		{
			id: 'q-3',
			name: 'SMASHSEND',
			type: 'n8n-nodes-smashsend.smashsend',
			typeVersion: 2,
			position: [440, 0],
			parameters: { resource: 'flow', operation: 'trigger', email: '={{ $json.email }}', options: {} },
			credentials: { smashsendFlowWebhookApi: { id: 'queueFlowCred001', name: 'SMASHSEND flow (queue)' } },
		},
	],
};

let cluster: QueueCluster;

beforeAll(async () => {
	await emulator.start();
	cluster = new QueueCluster({ workers: 2 });
	await cluster.startServices();
	cluster.session.installPackage(packPackage());
	await cluster.session.importCredentials([
		{
			id: 'queueFlowCred001',
			name: 'SMASHSEND flow (queue)',
			type: 'smashsendFlowWebhookApi',
			data: { webhookUrl: emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId) },
		},
	]);
	await cluster.session.importCredentials([apiCredential(emulator.url)]);
	await cluster.session.importWorkflow(workflow);
	await cluster.session.activateWorkflow(workflow.id);
	await cluster.session.importWorkflow(triggerWorkflow);
	await cluster.session.activateWorkflow(triggerWorkflow.id);
	await cluster.startN8n();
	// The Webhook node's and the SMASHSEND Trigger's.
	await cluster.webhooksRegistered(2);
});

afterAll(async () => {
	await cluster?.stop();
	await emulator.stop();
});

/** Polls until `check` holds, or fails after `ms`. */
async function eventually(check: () => boolean, ms: number, what: string): Promise<void> {
	const deadline = Date.now() + ms;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`${what}: not in ${ms / 1000} s`);
		await pause(250);
	}
}

/** The executions that ended, by status (n8n's execution table in PostgreSQL). */
function endedExecutions(): Record<string, number> {
	const rows = cluster.query(
		"SELECT status, count(*) FROM execution_entity WHERE status NOT IN ('new', 'running', 'waiting') GROUP BY status",
	);
	return Object.fromEntries(rows.map(([status, count]) => [status, Number(count)]));
}

/** Posts `executions` webhook calls at once, each with `contacts` contacts; resolves when n8n has ended them all. */
async function startAtOnce(
	prefix: string,
	executions: number,
	contacts: number,
): Promise<{ emails: string[]; ended: Record<string, number> }> {
	const endedBefore = endedExecutions();
	const before = Object.values(endedBefore).reduce((a, b) => a + b, 0);
	const batches = Array.from({ length: executions }, (_, b) =>
		Array.from({ length: contacts }, (_, c) => ({ email: `${prefix}${b}c${c}@example.com` })),
	);
	const answers = await Promise.all(
		batches.map((batch) =>
			fetch(cluster.webhookUrl(WEBHOOK_PATH), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ contacts: batch }),
			}),
		),
	);
	expect(answers.map((a) => a.status)).toEqual(batches.map(() => 200));
	await eventually(() => Object.values(endedExecutions()).reduce((a, b) => a + b, 0) >= before + executions, 300_000, 'executions ended');
	// The executions these calls started, by how they ended.
	const ended = Object.fromEntries(
		Object.entries(endedExecutions())
			.map(([status, count]) => [status, count - (endedBefore[status] ?? 0)])
			.filter(([, count]) => count !== 0),
	);
	return { emails: batches.flat().map((c) => c.email), ended };
}

/** How many flow runs each email started. */
function runsByEmail(): Map<string, number> {
	const started = new Map<string, number>();
	for (const record of emulator.accepted) {
		const email = String((record.body as IDataObject).email);
		started.set(email, (started.get(email) ?? 0) + 1);
	}
	return started;
}

const startedOnWorkers = () => cluster.workers.map((name) => (cluster.log(name).match(/Worker started execution \d+/g) ?? []).length);

// First: the other tests reset the emulator, and with it the trigger's registration.
describe('the SMASHSEND Trigger in queue mode: activated on main, deliveries received by the webhook processor, run on a worker', () => {
	const recorded = () => emulator.rest.events.filter((e) => String(e.event).startsWith('n8n.'));

	it('main registers the webhook processor’s URL with SMASHSEND when it activates the workflow', async () => {
		await eventually(() => emulator.rest.webhooks.length > 0, 60_000, 'registered');
		expect(emulator.rest.webhooks[0]).toMatchObject({
			url: cluster.webhookUrl('e2e-smashsend-trigger/webhook'),
			events: ['CONTACT_CREATED', 'CONTACT_UNSUBSCRIBED', 'WORKSPACE_SENDING_EMAILS_PAUSED'],
		});
	});

	it('a signed delivery starts one execution on a worker; a forged one is refused and starts nothing', async () => {
		const startedBefore = startedOnWorkers().reduce((a, b) => a + b, 0);
		emulator.rest.seedContacts([{ email: 'queued@example.com' }]);
		await emulator.rest.settle();
		expect(emulator.rest.deliveries.at(-1)).toMatchObject({ event: 'CONTACT_CREATED', status: 200 });
		await eventually(() => recorded().length > 0, 60_000, 'the workflow ran');
		expect(recorded()[0]).toMatchObject({ event: 'n8n.contact_created', identify: { email: 'queued@example.com' } });
		expect(startedOnWorkers().reduce((a, b) => a + b, 0)).toBe(startedBefore + 1);
		const [forged] = await emulator.rest.deliverEvent('CONTACT_CREATED', emulator.rest.contacts[0], { signature: 'invalid' });
		expect(forged.status).toBe(401);
		await pause(3000);
		expect(recorded()).toHaveLength(1);
		expect(startedOnWorkers().reduce((a, b) => a + b, 0)).toBe(startedBefore + 1);
	});

	it('deactivating the workflow on main removes the registration', async () => {
		const cookie = await cluster.session.setupOwner({
			email: 'queue@example.com',
			firstName: 'Q',
			lastName: 'Ueue',
			password: 'Queue-pass-123',
		});
		const response = await fetch(`http://127.0.0.1:${cluster.session.port}/rest/workflows/${triggerWorkflow.id}/deactivate`, {
			method: 'POST',
			headers: { cookie, 'content-type': 'application/json' },
			body: '{}',
		});
		expect(response.status).toBe(200);
		await eventually(() => emulator.rest.webhooks.length === 0, 60_000, 'unregistered');
	});
});

describe('SMASHSEND in n8n queue mode (main, two workers, a webhook processor, Redis, PostgreSQL)', () => {
	it(`${EXECUTIONS} webhook executions of ${CONTACTS} contacts at once: every flow started exactly once, on both workers`, async () => {
		const before = startedOnWorkers();
		const { emails, ended } = await startAtOnce('b', EXECUTIONS, CONTACTS);
		expect(ended).toEqual({ success: EXECUTIONS });
		const started = runsByEmail();
		expect(started.size).toBe(EXECUTIONS * CONTACTS);
		expect(emails.every((email) => started.get(email) === 1)).toBe(true);
		const perWorker = startedOnWorkers().map((n, i) => n - before[i]);
		expect(perWorker.reduce((a, b) => a + b, 0)).toBe(EXECUTIONS);
		expect(perWorker.every((n) => n > 0)).toBe(true);
		report(`queue mode: ${EXECUTIONS} executions x ${CONTACTS} contacts, executions per worker ${perWorker.join(' / ')}`);
	});

	it('the same load against a flow server limited to 100 calls a second: no execution fails, every flow starts once; the 429s are counted', async () => {
		emulator.reset();
		emulator.setRateLimit(100);
		const { emails, ended } = await startAtOnce('r', EXECUTIONS, CONTACTS);
		expect(ended).toEqual({ success: EXECUTIONS });
		const started = runsByEmail();
		expect(emails.every((email) => started.get(email) === 1)).toBe(true);
		const flowCalls = emulator.received.filter((r) => r.flowId !== undefined);
		const refused = flowCalls.filter((r) => r.status === 429).length;
		const accepted = emulator.accepted;
		const seconds = (accepted[accepted.length - 1].receivedAt - accepted[0].receivedAt) / 1000;
		// A report, not a bound: how much several executions pacing themselves alone cost.
		report(
			`queue mode, flow server at 100 calls/s: ${flowCalls.length} calls for ${emails.length} contacts, ${refused} answered 429 ` +
				`(${Math.round((100 * refused) / flowCalls.length)}%), ${Math.round(emails.length / seconds)} flow runs/s`,
		);
	});
});

describe('a worker killed during an execution', () => {
	// Last: it leaves one worker.
	it('n8n ends the execution as failed and runs it nowhere else: what was sent stays sent once, the rest is not sent', async () => {
		emulator.reset();
		emulator.setRateLimit(20);
		const contacts = Array.from({ length: 300 }, (_, c) => ({ email: `k${c}@example.com` }));
		const started = () => cluster.workers.map((name) => cluster.log(name).match(/Worker started execution \d+/g) ?? []);
		const before = started().map((lines) => lines.length);
		const answer = await fetch(cluster.webhookUrl(WEBHOOK_PATH), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ contacts }),
		});
		expect(answer.status).toBe(200);
		await eventually(() => emulator.accepted.length >= 60, 60_000, 'calls started');
		const index = started().findIndex((lines, i) => lines.length > before[i]);
		const victim = cluster.workers[index];
		const executionId = /\d+$/.exec(started()[index][before[index]])?.[0];
		await cluster.kill(victim);
		const killedAt = Date.now();
		const sentBeforeKill = emulator.accepted.length;
		const status = () => cluster.query(`SELECT status FROM execution_entity WHERE id = '${executionId}'`)[0]?.[0];
		await eventually(() => !['new', 'running'].includes(String(status())), 180_000, 'the execution ended');
		const endedAfter = Math.round((Date.now() - killedAt) / 1000);
		const sentAtEnd = emulator.accepted.length;
		await pause(3000);
		expect(emulator.accepted.length).toBe(sentAtEnd);
		expect(status()).toBe('error');
		// Not taken over by the other worker: nothing more was sent, and no contact twice.
		const survivor = cluster.workers.find((name) => name !== victim) ?? '';
		expect(cluster.log(survivor)).not.toContain(`Worker started execution ${executionId} `);
		const runs = runsByEmail();
		expect([...runs.values()].every((n) => n === 1)).toBe(true);
		expect(runs.size).toBeLessThan(contacts.length);
		// The calls on their way when the worker died, at most.
		expect(runs.size - sentBeforeKill).toBeLessThanOrEqual(10);
		report(
			`queue mode, worker killed: execution ${executionId} "${status()}" ${endedAfter} s after the kill; ${runs.size} of ${contacts.length} flows started (each once), the rest never`,
		);
	});
});
