/**
 * The credentials the workflow files in test/e2e/workflows name by id, pointing at the
 * emulator: imported into each real-n8n session.
 */

export const apiCredential = (baseUrl: string) => ({
	id: 'smashsendApiE2eCred',
	name: 'SMASHSEND API (e2e)',
	type: 'smashsendApi',
	data: { apiKey: 'sk_live_emulator_editor', baseUrl },
});

export const flowCredential = (webhookUrl: string) => ({
	id: 'smashsendE2eCred',
	name: 'SMASHSEND Flow Webhook (e2e)',
	type: 'smashsendFlowWebhookApi',
	data: { webhookUrl },
});
