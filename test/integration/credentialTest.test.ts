import type { ICredentialTestFunctions } from 'n8n-workflow';

import { createEmulator } from '../../emulator/server';
import { smashsendFlowWebhookApiTest } from '../../nodes/Smashsend/methods/credentialTest';
import { legacyRequest } from '../support/n8nHttp';
import { leakedSecrets } from '../support/secrets';

const FLOW = { flowId: 'flw_CredS3cret', workspaceId: 'wrk_CredS3cret' };
const emulator = createEmulator({ flows: [FLOW] });
const context = { helpers: { request: legacyRequest } } as unknown as ICredentialTestFunctions;

beforeAll(async () => await emulator.start());
afterAll(async () => await emulator.stop());
beforeEach(() => emulator.reset());

async function test(webhookUrl: unknown) {
	const result = await smashsendFlowWebhookApiTest.call(context, {
		id: '1',
		name: 'SMASHSEND Flow Webhook',
		type: 'smashsendFlowWebhookApi',
		data: { webhookUrl } as never,
	});
	expect(leakedSecrets(result, [FLOW.flowId, FLOW.workspaceId, 'flw_gone'])).toEqual([]);
	return result;
}

describe('SMASHSEND Flow Webhook credential test', () => {
	it('passes for a live flow webhook without starting a flow run', async () => {
		const result = await test(emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId));
		expect(result).toEqual({ status: 'OK', message: 'The flow webhook answers. No flow run was started by this test.' });
		expect(emulator.received).toHaveLength(1);
		expect(emulator.received[0].status).toBe(400);
		expect(emulator.received[0].body).toEqual({});
		expect(emulator.accepted).toHaveLength(0);
	});

	it('fails clearly for an unknown flow (404)', async () => {
		const result = await test(emulator.webhookUrl('flw_gone', FLOW.workspaceId));
		expect(result.status).toBe('Error');
		expect(result.message).toBe(
			"SMASHSEND does not know this flow webhook (HTTP 404: Flow not found). Copy the URL again from the flow's Webhook trigger; the flow may have been deleted.",
		);
	});

	it('fails clearly when nothing listens at the URL', async () => {
		const closed = createEmulator({ flows: [FLOW] });
		await closed.start();
		const url = closed.webhookUrl(FLOW.flowId, FLOW.workspaceId);
		await closed.stop();
		const result = await test(url);
		expect(result).toEqual({ status: 'Error', message: 'Could not reach SMASHSEND: the connection was refused (ECONNREFUSED).' });
	});

	it.each([
		['', 'The flow webhook URL is empty'],
		['api.smashsend.com/v1/flows/flw_CredS3cret/wrk_CredS3cret/call', 'is not a valid URL'],
		['http://api.smashsend.com/v1/flows/flw_CredS3cret/wrk_CredS3cret/call', 'must start with https://'],
		['https://api.smashsend.com/v1/flows/flw_CredS3cret/wrk_CredS3cret', 'does not end in /v1/flows/{flowId}/{workspaceId}/call'],
	])('rejects the malformed URL %j without calling anything', async (url, reason) => {
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
		[{ status: 401 }, 'SMASHSEND refused this webhook URL (HTTP 401'],
		[{ status: 429, retryAfter: 20 }, 'rate-limiting calls right now (HTTP 429), so the URL could not be checked. Try again in 20 s'],
		[{ status: 503, body: '<html><title>Service Unavailable</title></html>' }, 'HTTP 503 (SMASHSEND answered with a text/html body'],
	])('fails with a readable message for %j', async (fault, text) => {
		emulator.addFaults([fault]);
		const result = await test(emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId));
		expect(result.status).toBe('Error');
		expect(result.message).toContain(text);
	});
});
