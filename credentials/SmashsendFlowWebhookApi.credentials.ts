import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * A SMASHSEND flow's webhook URL. SMASHSEND authenticates flow webhook calls by the URL
 * alone, so the whole URL is the secret: it is stored encrypted and shown as a password.
 * It is tested by the SMASHSEND node (`testedBy`), which checks the URL's shape and that
 * SMASHSEND answers it, without starting a flow run.
 */
export class SmashsendFlowWebhookApi implements ICredentialType {
	name = 'smashsendFlowWebhookApi';

	// The name users see in SMASHSEND is "Webhook"; this credential holds a URL, not an API key.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
	displayName = 'SMASHSEND Flow Webhook';

	icon: Icon = {
		light: 'file:../nodes/Smashsend/smashsend.svg',
		dark: 'file:../nodes/Smashsend/smashsend.dark.svg',
	};

	documentationUrl = 'https://github.com/smashsend/n8n-nodes-smashsend#credentials';

	properties: INodeProperties[] = [
		// The URL is the secret that starts the flow, so it is stored and shown as a password.
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'https://api.smashsend.com/v1/flows/flw_…/wrk_…/call',
			description:
				"The URL of the flow's Webhook trigger in SMASHSEND (it ends in /v1/flows/{flowId}/{workspaceId}/call). Anyone with this URL can start the flow, so treat it like a password.",
		},
	];
}
