/** The credential types' names: stored in users' workflows, so never renamed. */
export const API_CREDENTIAL = 'smashsendApi';
export const FLOW_WEBHOOK_CREDENTIAL = 'smashsendFlowWebhookApi';
