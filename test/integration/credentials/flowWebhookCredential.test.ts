import { SmashsendFlowWebhookApi } from '../../../credentials/SmashsendFlowWebhookApi.credentials';
import { createEmulator } from '../../../emulator/server';
import { testCredential } from '../../support/credentialTester';
import { leakedSecrets } from '../../support/secrets';

const FLOW = { flowId: 'flw_CredS3cret', workspaceId: 'wrk_CredS3cret' };
const emulator = createEmulator({ flows: [FLOW] });

beforeAll(async () => await emulator.start());
afterAll(async () => await emulator.stop());
beforeEach(() => emulator.reset());

async function test(webhookUrl: unknown) {
	const result = await testCredential(new SmashsendFlowWebhookApi(), { webhookUrl } as never);
	expect(leakedSecrets(result, [FLOW.flowId, FLOW.workspaceId, 'flw_gone'])).toEqual([]);
	return result;
}

describe('SMASHSEND Flow Webhook credential test', () => {
	it('passes for a live flow webhook without starting a flow run', async () => {
		const result = await test(`  ${emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId)}  `);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(emulator.received).toHaveLength(1);
		expect(emulator.received[0].status).toBe(400);
		expect(emulator.received[0].headers['user-agent']).toMatch(/^n8n-nodes-smashsend\//);
		expect(emulator.accepted).toHaveLength(0);
	});

	it('fails clearly for an unknown flow (404)', async () => {
		const result = await test(emulator.webhookUrl('flw_gone', FLOW.workspaceId));
		expect(result.status).toBe('Error');
		expect(result.message).toBe(
			"SMASHSEND does not know this flow webhook: the flow may have been deleted. Copy the URL again from the flow's Webhook trigger in SMASHSEND.",
		);
	});

	it("fails for a 404 page that is not SMASHSEND's", async () => {
		emulator.addFaults([{ status: 404, body: '<pre>Cannot POST</pre>' }]);
		const result = await test(emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId));
		expect(result.status).toBe('Error');
		expect(result.message).toContain('not like a SMASHSEND flow webhook');
	});

	it('fails with the network error code when nothing listens at the URL', async () => {
		const closed = createEmulator({ flows: [FLOW] });
		await closed.start();
		const url = closed.webhookUrl(FLOW.flowId, FLOW.workspaceId);
		await closed.stop();
		expect(await test(url)).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});

	it.each([
		['', 'The flow webhook URL is empty'],
		['api.smashsend.com/v1/flows/flw_CredS3cret/wrk_CredS3cret/call', 'is not a valid URL'],
		['http://api.smashsend.com/v1/flows/flw_CredS3cret/wrk_CredS3cret/call', 'must start with https://'],
		['https://api.smashsend.com/v1/flows/flw_CredS3cret/wrk_CredS3cret', 'does not end in /v1/flows/{flowId}/{workspaceId}/call'],
	])('rejects the malformed URL %j before calling anything', async (url, reason) => {
		const result = await test(url);
		expect(result.status).toBe('Error');
		expect(result.message).toContain(reason);
		expect(result.message).toContain('https://api.smashsend.com/v1/flows/flw_…/wrk_…/call');
		expect(emulator.received).toHaveLength(0);
	});

	it('reports a server that accepts a call without email as not a flow webhook', async () => {
		emulator.addFaults([{ status: 200, body: { success: true, flowRunId: 'run_x' } }]);
		const result = await test(emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId));
		expect(result.status).toBe('Error');
		expect(result.message).toContain('accepted a call without an email');
	});

	it.each([
		[{ status: 401 }, 'SMASHSEND refused this webhook URL.'],
		[{ status: 429, retryAfter: 20 }, 'rate-limiting calls right now, so the URL could not be checked'],
		[{ status: 503 }, 'SMASHSEND is unavailable, so the URL could not be checked'],
		[{ status: 503, body: '<html><title>Service Unavailable</title></html>' }, 'not like a SMASHSEND flow webhook'],
	])('fails with a readable message for %j', async (fault, text) => {
		emulator.addFaults([fault]);
		const result = await test(emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId));
		expect(result.status).toBe('Error');
		expect(result.message).toContain(text);
	});
});
