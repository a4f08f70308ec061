// @ts-check
'use strict';

const path = require('node:path');

const { createEmulator } = require('../emulator/server');
const { N8nSession, packPackage } = require('../n8n-runtime/session');

const EXAMPLE = require(path.join(__dirname, '..', 'examples', 'trigger-flow.workflow.json'));
const CREDENTIAL_ID = EXAMPLE.nodes.find((n) => n.type === 'n8n-nodes-smashsend.smashsend').credentials.smashsendFlowWebhookApi.id;

/** Emulator + throw-away n8n with this package, the emulator credential and the example workflow, on free ports. */
async function prepareDemo() {
	const emulator = createEmulator();
	await emulator.start();
	const session = new N8nSession();
	try {
		session.installPackage(packPackage());
		await session.importCredentials([
			{
				id: CREDENTIAL_ID,
				name: 'SMASHSEND Flow Webhook (emulator)',
				type: 'smashsendFlowWebhookApi',
				data: { webhookUrl: emulator.webhookUrl() },
			},
		]);
		await session.importWorkflow(EXAMPLE);
	} catch (error) {
		await session.stop();
		await emulator.stop();
		throw error;
	}
	return { emulator, session, workflow: EXAMPLE };
}

module.exports = { prepareDemo };
