import type { IDataObject } from 'n8n-workflow';

import { createEmulator } from '../../emulator/server';
import { N8nSession, packPackage } from '../../n8n-runtime/session';
import continueOnFail from './workflows/continue-on-fail.workflow.json';
import errorOutput from './workflows/error-output.workflow.json';
import fieldMapping from './workflows/field-mapping.workflow.json';
import manyItems from './workflows/many-items.workflow.json';

/**
 * The packed package installed in a real n8n, executing the workflow files next to this
 * test against the SMASHSEND emulator. Asserts on n8n's run data and on what the emulator
 * recorded.
 */

const FLOW = { flowId: 'flw_E2eS3cretFlow', workspaceId: 'wrk_E2eS3cretWs' };
const emulator = createEmulator({ flows: [FLOW] });
let session: InstanceType<typeof N8nSession>;
let webhookUrl = '';
const transcripts: string[] = [];

type Execution = Awaited<ReturnType<InstanceType<typeof N8nSession>['execute']>>;

async function execute(workflow: { id: string }): Promise<Execution> {
	const result = await session.execute(workflow.id);
	transcripts.push(result.stdout, result.stderr);
	return result;
}

const json = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json);

beforeAll(async () => {
	await emulator.start();
	webhookUrl = emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId);
	session = new N8nSession();
	session.installPackage(packPackage());
	await session.importCredentials([
		{ id: 'smashsendE2eCred', name: 'SMASHSEND Flow Webhook (e2e)', type: 'smashsendFlowWebhookApi', data: { webhookUrl } },
	]);
	for (const workflow of [manyItems, fieldMapping, continueOnFail, errorOutput]) await session.importWorkflow(workflow);
});

afterAll(async () => {
	await session?.stop();
	await emulator.stop();
});

beforeEach(() => emulator.reset());

describe(`SMASHSEND node in real n8n`, () => {
	it('many items: one flow run each, flowRunId in each output item, paired to its input', async () => {
		const result = await execute(manyItems);
		expect(result.error).toBeUndefined();

		const smashsend = result.output('SMASHSEND');
		expect(smashsend).toHaveLength(40);
		smashsend.forEach((item: { pairedItem: unknown }, index: number) => expect(item.pairedItem).toEqual({ item: index }));

		expect(emulator.accepted).toHaveLength(40);
		const runByEmail = new Map(emulator.accepted.map((r) => [(r.body as IDataObject).email, r.flowRunId]));
		expect(runByEmail.size).toBe(40);
		const after = json(result.output('Use flowRunId'));
		after.forEach((row, index) => {
			expect(row).toEqual({
				email: `contact${index}@example.com`,
				firstName: `First${index}`,
				position: String(index),
				flowRunId: runByEmail.get(`contact${index}@example.com`),
			});
		});
	});

	it('field mapping from expressions reaches the server the same way in each body encoding', async () => {
		const result = await execute(fieldMapping);
		expect(result.error).toBeUndefined();
		const expected = [
			{ email: 'Ada@Example.com', firstName: 'Ada', plan: 'PRO', seats: 3, address: { city: 'London', zip: 'NW1' }, tags: ['vip', 'beta'] },
			{ email: 'zoë@exämple.de', firstName: 'Zoë', plan: 'FREE', seats: 1, address: { city: 'São Paulo', zip: '01000' }, tags: ['ünïcode'] },
		];
		const byType = (type: string) => emulator.accepted.filter((r) => r.contentType.startsWith(type)).map((r) => r.body);
		expect(byType('application/json')).toEqual(expected);
		// Form encodings carry text only.
		const asText = expected.map((e) => ({ ...e, seats: String(e.seats) }));
		expect(byType('multipart/form-data')).toEqual(asText);
		expect(byType('application/x-www-form-urlencoded')).toEqual(asText);
		for (const name of ['SMASHSEND JSON', 'SMASHSEND Multipart', 'SMASHSEND URL-Encoded']) {
			expect(result.output(name).map((i: { json: IDataObject }) => i.json.flowRunId)).toEqual([
				expect.stringMatching(/^run_/),
				expect.stringMatching(/^run_/),
			]);
		}
	});

	it('On Error: Continue outputs the bad items with their errors, paired; the good ones go through once', async () => {
		emulator.addFaults([{ status: 400, email: 'rejected@example.com', body: { error: 'Validation failed', message: 'Contact is banned', statusCode: 400 } }]);
		const result = await execute(continueOnFail);
		expect(result.error).toBeUndefined();
		const rows = json(result.output('After SMASHSEND'));
		expect(rows.map((r) => r.input)).toEqual(['good1@example.com', 'not-an-email', 'rejected@example.com', 'good2@example.com']);
		expect(rows[0].flowRunId).toMatch(/^run_/);
		expect(rows[3].flowRunId).toMatch(/^run_/);
		expect(rows[1].error).toBe('Item 1 has an email that is not a valid address ("not-an-email"). Fix the value or filter such items out before this node.');
		expect(rows[2].error).toBe('SMASHSEND rejected item 2 (HTTP 400): Contact is banned');
		expect(emulator.received.map((r) => (r.body as IDataObject).email)).toEqual(['good1@example.com', 'rejected@example.com', 'good2@example.com']);
		expect(emulator.accepted).toHaveLength(2);
	});

	it('Continue (using error output): bad items on the error branch, good ones on the main one', async () => {
		emulator.addFaults([{ status: 400, email: 'rejected@example.com' }]);
		const result = await execute(errorOutput);
		expect(result.error).toBeUndefined();
		expect(json(result.output('Triggered')).map((r) => r.email)).toEqual(['good1@example.com', 'good2@example.com']);
		const failed = json(result.output('Failed'));
		expect(failed.map((r) => r.input)).toEqual(['not-an-email', 'rejected@example.com']);
		expect(failed[1].error).toBe('SMASHSEND rejected item 2 (HTTP 400): Injected failure');
		expect(emulator.accepted).toHaveLength(2);
	});

	it('the webhook URL is stored encrypted and appears in no execution output or error', async () => {
		emulator.addFaults([{ status: 502, body: `<pre>Cannot POST /v1/flows/${FLOW.flowId}/${FLOW.workspaceId}/call</pre>` }]);
		await execute(continueOnFail);
		expect(transcripts.length).toBeGreaterThanOrEqual(10);
		const everything = transcripts.join('\n');
		for (const secret of [webhookUrl, FLOW.flowId, FLOW.workspaceId]) {
			expect(everything).not.toContain(secret);
			expect(session.databaseContains(secret)).toBe(false);
		}
		expect(everything).toContain('[redacted]');
	});
});
