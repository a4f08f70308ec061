// @ts-check
'use strict';

const path = require('node:path');

const { createEmulator } = require('../emulator/server');
const { N8nSession, packPackage } = require('../n8n-runtime/session');

const EXAMPLE = require(path.join(__dirname, '..', 'examples', 'trigger-flow.workflow.json'));
const FLOW_CREDENTIAL_ID = EXAMPLE.nodes.find((n) => n.type === 'n8n-nodes-smashsend.smashsend').credentials.smashsendFlowWebhookApi.id;
/** The API credential every example names (examples/*.workflow.json). */
const API_CREDENTIAL_ID = 'smashsendApiExample';

/** A key every emulator knows (an EDITOR key of its workspace). */
const EMULATOR_API_KEY = 'sk_live_emulator_editor';

/** A few contacts in the emulator's workspace, so that the Contact picker has something to show. */
const SAMPLE_CONTACTS = [
	{ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
	{ email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' },
	{ email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing' },
];

/** Emulator + throw-away n8n with this package, the emulator's credentials, sample contacts and the example workflow, on free ports. */
async function prepareDemo() {
	const emulator = createEmulator();
	await emulator.start();
	for (const properties of SAMPLE_CONTACTS) {
		const response = await fetch(`${emulator.url}/v1/contacts`, {
			method: 'POST',
			headers: { authorization: `Bearer ${EMULATOR_API_KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify({ properties }),
		});
		if (!response.ok) throw new Error(`the emulator did not take a sample contact: HTTP ${response.status}`);
	}
	const session = new N8nSession();
	try {
		session.installPackage(packPackage());
		await session.importCredentials([
			{
				id: FLOW_CREDENTIAL_ID,
				name: 'SMASHSEND flow webhook',
				type: 'smashsendFlowWebhookApi',
				data: { webhookUrl: emulator.webhookUrl() },
			},
			{
				id: API_CREDENTIAL_ID,
				name: 'SMASHSEND account',
				type: 'smashsendApi',
				data: { apiKey: EMULATOR_API_KEY, baseUrl: `${emulator.url}/v1` },
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
