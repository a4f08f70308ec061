import { createEmulator } from '../../emulator/server';
import { selectedVersion } from '../../n8n-runtime/install';
import { N8nSession, packPackage } from '../../n8n-runtime/session';
import { startSink } from '../support/sink';

/** The credential test as the editor runs it: n8n's own REST endpoint, real n8n, real emulator. */

const FLOW = { flowId: 'flw_CredE2eFlow', workspaceId: 'wrk_CredE2eWs' };
const emulator = createEmulator({ flows: [FLOW] });
let session: InstanceType<typeof N8nSession>;
let cookie = '';

beforeAll(async () => {
	await emulator.start();
	session = new N8nSession();
	session.installPackage(packPackage());
	await session.importCredentials([
		{
			id: 'smashsendCredTest',
			name: 'SMASHSEND Flow Webhook (test)',
			type: 'smashsendFlowWebhookApi',
			data: { webhookUrl: 'https://example.invalid/' },
		},
		{
			id: 'smashsendApiCredTest',
			name: 'SMASHSEND API (test)',
			type: 'smashsendApi',
			data: { apiKey: 'sk_live_placeholder', baseUrl: 'https://example.invalid' },
		},
	]);
	await session.startEditor();
	cookie = await session.setupOwner({ email: 'e2e@example.com', firstName: 'E2e', lastName: 'Test', password: 'E2e-pass-12345' });
});

afterAll(async () => {
	await session?.stop();
	await emulator.stop();
});

beforeEach(() => emulator.reset());

async function testCredential(webhookUrl: string) {
	const response = await fetch(`http://127.0.0.1:${session.port}/rest/credentials/test`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({
			credentials: {
				id: 'smashsendCredTest',
				name: 'SMASHSEND Flow Webhook (test)',
				type: 'smashsendFlowWebhookApi',
				data: { webhookUrl },
			},
		}),
	});
	expect(response.status).toBe(200);
	const { data } = (await response.json()) as { data: { status: string; message: string } };
	expect(JSON.stringify(data)).not.toMatch(/flw_CredE2eFlow|wrk_CredE2eWs|flw_gone/);
	return data;
}

describe(`SMASHSEND Flow Webhook credential test in real n8n ${selectedVersion()}`, () => {
	it('passes for the emulator without starting a flow run', async () => {
		expect(await testCredential(emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(emulator.received).toHaveLength(1);
		expect(emulator.accepted).toHaveLength(0);
	});

	it('names an unknown flow', async () => {
		const result = await testCredential(emulator.webhookUrl('flw_gone', FLOW.workspaceId));
		expect(result.status).toBe('Error');
		expect(result.message).toContain('SMASHSEND does not know this flow webhook: the flow may have been deleted.');
	});

	it('shows the expected form for a malformed URL, sending nothing', async () => {
		const result = await testCredential('https://api.smashsend.com/v1/flows/flw_CredE2eFlow/call');
		expect(result.status).toBe('Error');
		expect(result.message).toContain('It should look like https://api.smashsend.com/v1/flows/flw_…/wrk_…/call');
		expect(emulator.received).toHaveLength(0);
	});

	it('reports a refused connection', async () => {
		const closed = createEmulator({ flows: [FLOW] });
		await closed.start();
		const url = closed.webhookUrl(FLOW.flowId, FLOW.workspaceId);
		await closed.stop();
		const result = await testCredential(url);
		expect(result.status).toBe('Error');
		// n8n's own words: the bare code on 2.x, a sentence on 1.x.
		expect(result.message).toMatch(/^(ECONNREFUSED|The service refused the connection - perhaps it is offline)$/);
	});
});

async function testApiKey(apiKey: string, baseUrl = emulator.url) {
	const response = await fetch(`http://127.0.0.1:${session.port}/rest/credentials/test`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({
			credentials: { id: 'smashsendApiCredTest', name: 'SMASHSEND API (test)', type: 'smashsendApi', data: { apiKey, baseUrl } },
		}),
	});
	expect(response.status).toBe(200);
	const { data } = (await response.json()) as { data: { status: string; message: string } };
	expect(data.message).not.toContain(apiKey);
	return data;
}

describe(`SMASHSEND API credential test in real n8n ${selectedVersion()}`, () => {
	it('passes for an EDITOR key, checked with GET /v1/api-keys/check', async () => {
		expect(await testApiKey('sk_live_emulator_editor')).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(emulator.received.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
			['GET', '/v1/api-keys/check', 'Bearer sk_live_emulator_editor'],
		]);
	});

	it("fails when the key check answers 200 with a status other than SUCCEED (the SDK's check), for any such status", async () => {
		emulator.rest.setReadings({ keyCheck: 'FAILED' });
		try {
			const result = await testApiKey('sk_live_emulator_editor');
			expect(result.status).toBe('Error');
			expect(result.message).toContain("SMASHSEND's check of this API key did not say SUCCEED");
			for (const status of ['SUCCEEDED', 'succeed', 'SUCCEEX', '', 7]) {
				emulator.addFaults([{ path: 'GET /v1/api-keys/check', status: 200, body: { status, role: 'EDITOR' } }]);
				expect((await testApiKey('sk_live_emulator_editor')).status).toBe('Error');
			}
			emulator.addFaults([{ path: 'GET /v1/api-keys/check', status: 200, body: { role: 'EDITOR' } }]);
			expect((await testApiKey('sk_live_emulator_editor')).status).toBe('Error');
		} finally {
			emulator.rest.setReadings({ keyCheck: 'SUCCEED' });
		}
	});

	it("reports a VIEWER key's role and what it cannot do", async () => {
		const result = await testApiKey('sk_live_emulator_viewer', `${emulator.url}/v1/`);
		expect(result.status).toBe('Error');
		expect(result.message).toContain('The key works, with the VIEWER role');
	});

	it('says that SMASHSEND does not accept a wrong key', async () => {
		const result = await testApiKey('sk_live_wrong');
		expect(result.status).toBe('Error');
		// 2.x applies the credential's rule for a 401; 1.x answers a 401 with its own sentence first.
		expect(result.message).toMatch(
			/^(SMASHSEND does not accept this API key\. Copy it again from Settings → API Keys in SMASHSEND\.|Authorization failed - please check your credentials)/,
		);
	});

	it('refuses a plain-http Base URL other than localhost without sending the key', async () => {
		const result = await testApiKey('sk_live_emulator_editor', 'http://api.smashsend.example');
		expect(result.status).toBe('Error');
		expect(result.message).toContain('must start with https://');
	});

	it('does not follow a redirect, so the key never reaches another address', async () => {
		const sink = await startSink();
		try {
			emulator.addFaults([
				{
					path: 'GET /v1/api-keys/check',
					status: 302,
					body: 'Found',
					contentType: 'text/plain',
					headers: { location: `${sink.url}/v1/api-keys/check` },
				},
			]);
			const result = await testApiKey('sk_live_emulator_editor');
			expect(result.status).toBe('Error');
			expect(sink.received).toHaveLength(0);
		} finally {
			await sink.close();
		}
	});
});
