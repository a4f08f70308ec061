import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { API_CREDENTIAL } from '../shared/credentials';
import { receiveDelivery } from './deliveries';
import { register, registrationExists, unregister } from './registration';

export const TRIGGER_EVENTS = [
	{ name: 'Contact Created', value: 'CONTACT_CREATED' },
	{ name: 'Contact Deleted', value: 'CONTACT_DELETED' },
	{ name: 'Contact Property Updated', value: 'CONTACT_PROPERTY_UPDATED' },
	{ name: 'Contact Resubscribed', value: 'CONTACT_RESUBSCRIBED' },
	{ name: 'Contact Tag Added', value: 'CONTACT_TAG_ADDED' },
	{ name: 'Contact Tag Removed', value: 'CONTACT_TAG_REMOVED' },
	{ name: 'Contact Unsubscribed', value: 'CONTACT_UNSUBSCRIBED' },
	{ name: 'Contact Updated', value: 'CONTACT_UPDATED' },
	{ name: 'Workspace Banned', value: 'WORKSPACE_BANNED', description: 'SMASHSEND banned the workspace: nothing more is sent from it' },
	{
		name: 'Workspace Sending Paused',
		value: 'WORKSPACE_SENDING_EMAILS_PAUSED',
		description: 'SMASHSEND paused sending emails from the workspace',
	},
	{ name: 'Workspace Team Member Joined', value: 'WORKSPACE_TEAM_MEMBER_JOINED', description: 'Someone joined the workspace' },
];

export class SmashsendTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SMASHSEND Trigger',
		name: 'smashsendTrigger',
		icon: { light: 'file:smashsend.svg', dark: 'file:smashsend.dark.svg' },
		group: ['trigger'],
		version: 1,
		// "contact created, workspace banned": the events in words.
		subtitle: '={{ $parameter["events"].join(", ").toLowerCase().replaceAll("_", " ") }}',
		description: 'Starts the workflow when contacts change in SMASHSEND, or when the workspace needs attention',
		defaults: { name: 'SMASHSEND Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: API_CREDENTIAL, required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['CONTACT_CREATED'],
				options: TRIGGER_EVENTS,
				description: 'The contact changes and workspace alerts that start the workflow',
			},
			{
				displayName:
					'Activating the workflow registers this webhook in SMASHSEND (an EDITOR API key is needed); deactivating removes it. Only deliveries signed by SMASHSEND start the workflow, each once.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
		],
	};
	// The registration's life (registration.ts): n8n checks it, makes it and removes it.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await registrationExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await register.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await unregister.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery.call(this);
	}
}
