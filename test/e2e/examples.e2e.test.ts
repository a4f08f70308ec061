import type { IDataObject } from 'n8n-workflow';

import { createEmulator } from '../../emulator/server';
import { selectedVersion } from '../../n8n-runtime/install';
import { freePort, N8nSession, packPackage } from '../../n8n-runtime/session';
import { pause } from '../support/executeContext';
import { createFakeChatModel } from '../support/fakeChatModel';
import { EXAMPLE_CREDENTIALS, examples, type ExampleWorkflow } from '../support/examples';
import { startSink } from '../support/sink';

/**
 * Every workflow under examples/ — the ones the README and docs/ show — imported into a real
 * n8n with the packed package, as a user imports it, and run against the SMASHSEND emulator:
 * the manual ones executed, the SMASHSEND Trigger ones activated and sent SMASHSEND's events.
 * An example added there runs here with no more code: every node must run without an error,
 * and every value a Set node makes or an HTTP Request node sends must be filled (an
 * expression that reads a field the previous node does not output leaves it empty). The
 * placeholders (example.com addresses, your CRM's and Slack's URLs) are replaced by the
 * emulator and a local recorder; nothing else of a workflow is changed.
 */

const FLOW = { flowId: 'flw_ExampleFlow01', workspaceId: 'wrk_ExampleWs01' };
const emulator = createEmulator({ flows: [FLOW] });
const port = freePort();
let session: InstanceType<typeof N8nSession>;
let sink: Awaited<ReturnType<typeof startSink>>;
const chatModel = createFakeChatModel({
	steps: [
		{
			toolName: /find/i,
			toolCalls: [{ arguments: { email: 'you@example.com' } }, { toolName: /details/i, arguments: { email: 'you@example.com' } }],
		},
		{
			toolName: /send/i,
			toolCalls: [{ arguments: { to: 'you@example.com', subject: 'Thank you for signing up', body: '<p>Thank you, Ada!</p>' } }],
		},
	],
	finalAnswer: 'Ada is a contact; I sent her a thank-you note.',
});

const ALL = examples();
const manual = ALL.filter((example) => !example.workflow.nodes.some((node) => node.type === 'n8n-nodes-smashsend.smashsendTrigger'));
const triggered = ALL.filter((example) => !manual.includes(example));
const json = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json);

/** The example with its placeholder URLs pointing at the recorder (one path per node). */
function withRecorder(example: ExampleWorkflow): ExampleWorkflow['workflow'] {
	const workflow = structuredClone(example.workflow);
	for (const node of workflow.nodes)
		if (node.type === 'n8n-nodes-base.httpRequest') node.parameters.url = `${sink.url}/${encodeURIComponent(node.name)}`;
	return workflow;
}

/** Values that an expression left empty, by where they are. */
function emptyValues(values: IDataObject, where: string): string[] {
	return Object.entries(values)
		.filter(([, value]) => value === undefined || value === null || value === '' || /undefined|null/.test(String(value)))
		.map(([name]) => `${where}: ${name}`);
}

/** Polls until `check` returns something truthy, or fails after `ms`. */
async function eventually<T>(check: () => T | undefined | false, ms = 30_000): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await pause(200);
	}
}

beforeAll(async () => {
	await emulator.start();
	await chatModel.start();
	sink = await startSink();
	// The multi-select the sign-up and order examples tag with (a workspace has its own).
	const created = await fetch(`${emulator.url}/v1/contact-properties`, {
		method: 'POST',
		headers: { authorization: 'Bearer sk_live_emulator_editor', 'content-type': 'application/json' },
		body: JSON.stringify({
			displayName: 'Tags',
			type: 'MULTI_SELECT',
			typeConfig: { options: ['newsletter', 'customer', 'trial'], multiple: true },
		}),
	});
	expect(created.status).toBeLessThan(300);
	// The contact the AI agent example asks about (its first example to run).
	emulator.rest.seedContacts([{ email: 'you@example.com', firstName: 'Ada' }]);
	session = new N8nSession({ port, env: { WEBHOOK_URL: `http://127.0.0.1:${port}/` } });
	session.installPackage(packPackage());
	await session.importCredentials(
		EXAMPLE_CREDENTIALS({
			apiBaseUrl: `${emulator.url}/v1`,
			flowWebhookUrl: emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId),
			chatModelUrl: chatModel.url,
		}),
	);
	for (const example of ALL) await session.importWorkflow(withRecorder(example));
});

afterAll(async () => {
	await session?.stop();
	await sink?.close();
	await chatModel.stop();
	await emulator.stop();
});

describe(`the examples in real n8n ${selectedVersion()}`, () => {
	it('has the examples the docs show', () => {
		expect(ALL.map((example) => example.file)).toEqual(
			expect.arrayContaining([
				'examples/trigger-flow.workflow.json',
				'examples/signup.workflow.json',
				'examples/unsubscribe-sync.workflow.json',
				'examples/ai-agent.workflow.json',
			]),
		);
	});

	it.each(manual.map((example) => [example.file, example] as const))('%s runs, every node without an error', async (_, example) => {
		const result = await session.execute(example.workflow.id);
		expect(result.error).toBeUndefined();
		const empty: string[] = [];
		for (const node of example.workflow.nodes) {
			if (node.type === 'n8n-nodes-base.stickyNote' || node.type.startsWith('@n8n/n8n-nodes-langchain.lm')) continue;
			// A tool runs when the agent calls it: its run data is under its own name too.
			const runs = result.runData[node.name] as Array<{ error?: unknown }> | undefined;
			expect({ node: node.name, ran: (runs?.length ?? 0) > 0, error: runs?.find((run) => run.error)?.error }).toEqual({
				node: node.name,
				ran: true,
				error: undefined,
			});
			if (node.type === 'n8n-nodes-base.set')
				for (const item of json(result.output(node.name))) empty.push(...emptyValues(item, node.name));
		}
		expect(empty).toEqual([]);
	});

	it('Trigger a Flow: each contact with the flowRunId its flow run got', async () => {
		const before = emulator.accepted.length;
		const result = await session.execute('smashsendExFlow1');
		expect(result.error).toBeUndefined();
		const [run] = emulator.accepted.slice(before);
		expect(run?.flowRunId).toMatch(/^run_/);
		expect(json(result.output('Contact with flow run'))).toEqual([
			{ contact: 'you@example.com', name: 'Ada Lovelace', flowRunId: run.flowRunId },
		]);
	});

	it('a sign-up: the contact with its plan and tag, the event, the welcome email with the name', async () => {
		const [events, emails] = [emulator.rest.events.length, emulator.rest.emails.length];
		expect((await session.execute('smashsendExSgnup')).error).toBeUndefined();
		expect([emulator.rest.events.length - events, emulator.rest.emails.length - emails]).toEqual([1, 1]);
		const contact = emulator.rest.contacts.find((c) => c.properties.email === 'you@example.com');
		expect(contact?.properties).toMatchObject({ firstName: 'Ada', plan: 'pro', tags: expect.arrayContaining(['newsletter']) });
		expect(emulator.rest.events.at(-1)).toMatchObject({
			event: 'signed_up',
			identify: { email: 'you@example.com' },
			properties: { plan: 'pro' },
		});
		expect(emulator.rest.emails.at(-1)).toMatchObject({ to: 'you@example.com', template: 'welcome', variables: { firstName: 'Ada' } });
	});

	it('an order: the event once per order, the customer tagged, the confirmation with its reply-to', async () => {
		expect((await session.execute('smashsendExOrder')).error).toBeUndefined();
		expect((await session.execute('smashsendExOrder')).error).toBeUndefined();
		const orders = emulator.rest.events.filter((e) => e.event === 'order.completed');
		expect(new Set(orders.map((e) => e.messageId))).toEqual(new Set(['order-1001']));
		expect(orders.at(-1)).toMatchObject({ identify: { email: 'you@example.com' }, properties: { total: '42.00' } });
		const contact = emulator.rest.contacts.find((c) => c.properties.email === 'you@example.com');
		expect(contact?.properties.tags).toEqual(expect.arrayContaining(['customer']));
		expect(contact?.properties.tags).not.toContain('trial');
		expect(emulator.rest.emails.at(-1)).toMatchObject({
			to: 'you@example.com',
			subject: 'Your order order-1001',
			replyTo: expect.anything(),
		});
	});

	it('an import: each contact with its own sign-up date, and Find by Email found for the IF node', async () => {
		const result = await session.execute('smashsendExImprt');
		expect(result.error).toBeUndefined();
		expect(json(result.output('Found?'))).toEqual([expect.objectContaining({ found: true }), expect.objectContaining({ found: true })]);
		const dates = emulator.rest.contacts
			.filter((c) => ['first@example.com', 'second@example.com'].includes(String(c.properties.email)))
			.map((c) => c.createdAt);
		expect(dates).toEqual([expect.stringMatching(/^2023-01-15/), expect.stringMatching(/^2024-06-30T09:00/)]);
	});

	it('a waitlist sign-up: the entry PENDING (double opt-in), the email says where they stand', async () => {
		const before = emulator.rest.emails.length;
		const result = await session.execute('smashsendExWaitl');
		expect(result.error).toBeUndefined();
		expect(json(result.output('Submit to Waitlist'))).toEqual([expect.objectContaining({ email: 'you@example.com', status: 'PENDING' })]);
		expect(emulator.rest.forms.entries.find((e) => e.email === 'you@example.com')).toMatchObject({
			countryCode: 'ES',
			answers: { firstName: 'Ada' },
		});
		expect(emulator.rest.emails.slice(before)).toEqual([
			expect.objectContaining({ to: 'you@example.com', subject: 'You are #1 on the waitlist' }),
		]);
	});

	it('a weekly broadcast: drafted from the HTML, tested to a member, scheduled for the next full hour', async () => {
		const [drafts, tests] = [emulator.rest.broadcasts.items.length, emulator.rest.broadcasts.tests.length];
		const result = await session.execute('smashsendExWeekl');
		expect(result.error).toBeUndefined();
		const [draft] = emulator.rest.broadcasts.items.slice(drafts);
		expect(draft).toMatchObject({
			subject: 'Week 42: The new roadmap is live',
			name: 'Weekly #42',
			status: 'SCHEDULED',
			fromEmail: 'hello@acme.example',
		});
		expect(draft.html).toContain('<h1>The new roadmap is live</h1>');
		expect(Date.parse(String(draft.sendAt))).toBeGreaterThan(Date.now());
		expect(emulator.rest.broadcasts.tests.slice(tests)).toEqual([
			{ broadcastId: draft.id, emails: ['owner@acme.example'], subject: `[TEST] ${draft.subject}` },
		]);
	});

	it('an AI agent: the model finds the contact and sends the email through the tools, Email and To filled by the model', async () => {
		const before = emulator.rest.emails.length;
		const result = await session.execute('smashsendExAgent');
		expect(result.error).toBeUndefined();
		expect(emulator.rest.emails.slice(before)).toEqual([
			expect.objectContaining({ to: 'you@example.com', subject: 'Thank you for signing up' }),
		]);
		// The tools offered the model the fields it must fill: Email and To among them.
		const offered = chatModel.requests[0].tools as unknown as Array<{
			function: { name: string; parameters: { properties: IDataObject } };
		}>;
		const fields = offered.map((tool) => Object.keys(tool.function.parameters.properties).sort().join(', ')).sort();
		// Find by Email's Email, Get's Contact (by email) and Send's To: by default as tools.
		expect(fields).toEqual(['body, subject, to', 'email', 'email']);
		// Get's Contact picker, by the email the model gave: the contact read.
		expect(JSON.stringify(result.runData['Get Contact Details'])).toContain('"email":"you@example.com"');
		expect(result.output('AI Agent')[0].json.output).toBe('Ada is a contact; I sent her a thank-you note.');
	});

	it('the SMASHSEND Trigger examples, activated, receive what SMASHSEND delivers and send it on, every value filled', async () => {
		expect(triggered.length).toBeGreaterThan(0);
		for (const example of triggered) await session.activateWorkflow(example.workflow.id);
		await session.startEditor();
		await eventually(() => emulator.rest.webhooks.length >= triggered.length);
		// n8n saves a workflow's static data (the trigger's signing token) once all its webhooks are
		// registered: a delivery in between is refused (401), as SMASHSEND's would be. Wait for it.
		for (const example of triggered) {
			const saved = async () => {
				const data: unknown = (await session.exportWorkflow(example.workflow.id)).staticData;
				return Object.keys((typeof data === 'string' ? JSON.parse(data) : (data ?? {})) as object).length > 0;
			};
			for (let tries = 0; !(await saved()); tries++) {
				if (tries > 20) throw new Error(`n8n did not save ${example.file}'s static data`);
				await pause(500);
			}
		}
		emulator.rest.seedContacts([{ email: 'leaving@example.com' }]);
		const leaving = emulator.rest.contacts.find((c) => c.properties.email === 'leaving@example.com');
		const expected: string[] = [];
		for (const example of triggered) {
			const trigger = example.workflow.nodes.find((node) => node.type === 'n8n-nodes-smashsend.smashsendTrigger');
			for (const event of trigger?.parameters.events as string[]) {
				const deliveries = await emulator.rest.deliverEvent(event, event.startsWith('CONTACT_') ? leaving : undefined);
				expect(deliveries.map((d) => d.status)).toContain(200);
			}
			for (const node of example.workflow.nodes)
				if (node.type === 'n8n-nodes-base.httpRequest') expected.push(`/${encodeURIComponent(node.name)}`);
		}
		await eventually(() => expected.every((path) => sink.received.some((r) => r.path === path)));
		const bodies = sink.received.map((r) => ({ path: r.path, body: JSON.parse(r.body.toString('utf8')) as IDataObject }));
		expect(bodies.flatMap(({ path, body }) => emptyValues(body, decodeURIComponent(path)))).toEqual([]);
		expect(bodies.find((b) => b.path === '/Tell%20the%20CRM')?.body).toMatchObject({ email: 'leaving@example.com' });
		expect(bodies.find((b) => b.path === '/Post%20to%20Slack')?.body.text).toMatch(
			/^SMASHSEND paused sending: WORKSPACE_SENDING_EMAILS_PAUSED at \d{4}-/,
		);
	});
});
