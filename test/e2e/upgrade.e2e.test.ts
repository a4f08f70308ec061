import type { IDataObject } from 'n8n-workflow';

import { createEmulator } from '../../emulator/server';
import { PINNED } from '../../n8n-runtime/install';
import { N8nSession, packPackage } from '../../n8n-runtime/session';
import example from './workflows/upgrade-v1.workflow.json';

/**
 * A user builds a workflow with the SMASHSEND node on n8n 1.x, then upgrades to 2.x:
 * the workflow exported from 1.x is imported into 2.x and must run unchanged.
 */

const emulator = createEmulator();
const sessions: Array<InstanceType<typeof N8nSession>> = [];
const credentialId = example.nodes.find((n) => n.type === 'n8n-nodes-smashsend.smashsend')?.credentials?.smashsendFlowWebhookApi
	.id as string;

async function startSession(version: string, tarball: string) {
	const session = new N8nSession({ version });
	sessions.push(session);
	session.installPackage(tarball);
	await session.importCredentials([
		{
			id: credentialId,
			name: 'SMASHSEND Flow Webhook (emulator)',
			type: 'smashsendFlowWebhookApi',
			data: { webhookUrl: emulator.webhookUrl() },
		},
	]);
	return session;
}

beforeAll(async () => await emulator.start());
afterAll(async () => {
	for (const session of sessions) await session.stop();
	await emulator.stop();
});

it(`a workflow saved on n8n ${PINNED[1]} keeps working on n8n ${PINNED[2]}`, async () => {
	const tarball = packPackage();

	const old = await startSession(PINNED[1], tarball);
	await old.importWorkflow(example);
	const before = await old.execute(example.id);
	expect(before.error).toBeUndefined();
	expect(before.output('Contact with flow run')).toHaveLength(5);
	const saved = await old.exportWorkflow(example.id);
	expect(saved.nodes.find((n: { type: string }) => n.type === 'n8n-nodes-smashsend.smashsend').typeVersion).toBe(1);

	emulator.reset();
	const upgraded = await startSession(PINNED[2], tarball);
	await upgraded.importWorkflow(saved);
	const after = await upgraded.execute(saved.id);
	expect(after.error).toBeUndefined();
	const rows = after.output('Contact with flow run').map((item: { json: IDataObject }) => item.json);
	expect(rows.map((r: IDataObject) => r.contact)).toEqual(
		before.output('Contact with flow run').map((i: { json: IDataObject }) => i.json.contact),
	);
	expect(rows.map((r: IDataObject) => r.flowRunId)).toEqual(emulator.accepted.map((r) => r.flowRunId));
});
