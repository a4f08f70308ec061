import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes } from 'n8n-workflow';

import { createHmac, randomBytes, timingSafeEqual } from 'crypto';

import { interpretRestResponse } from '../Smashsend/helpers/restResponse';
import { API_CREDENTIAL, callRestApi, normalizeBaseUrl, type RestRequest } from '../Smashsend/transport/restApi';

export const TRIGGER_EVENTS = [
	{ name: 'Contact Created', value: 'CONTACT_CREATED' },
	{ name: 'Contact Deleted', value: 'CONTACT_DELETED' },
	{ name: 'Contact Property Updated', value: 'CONTACT_PROPERTY_UPDATED' },
	{ name: 'Contact Resubscribed', value: 'CONTACT_RESUBSCRIBED' },
	{ name: 'Contact Tag Added', value: 'CONTACT_TAG_ADDED' },
	{ name: 'Contact Tag Removed', value: 'CONTACT_TAG_REMOVED' },
	{ name: 'Contact Unsubscribed', value: 'CONTACT_UNSUBSCRIBED' },
	{ name: 'Contact Updated', value: 'CONTACT_UPDATED' },
];

/** What this node keeps between activation and deactivation (n8n's static data). */
interface Registration {
	webhookId?: string;
	/** The token SMASHSEND signs deliveries with; generated here, never shown. */
	secret?: string;
}

/** Hex HMAC-SHA256 of the raw body, compared in constant time. */
export function signatureMatches(rawBody: Buffer, secret: string, header: unknown): boolean {
	if (typeof header !== 'string' || !/^[0-9a-f]{64}$/i.test(header.trim())) return false;
	const expected = createHmac('sha256', secret).update(rawBody).digest();
	return timingSafeEqual(expected, Buffer.from(header.trim(), 'hex'));
}

async function api(this: IHookFunctions, request: RestRequest): Promise<{ status: number; json?: IDataObject; message: string }> {
	const credentials = await this.getCredentials(API_CREDENTIAL);
	const response = await callRestApi.call(this, normalizeBaseUrl(credentials.baseUrl), request, { timeoutMs: 30_000 });
	const answer = interpretRestResponse(response);
	return answer.ok
		? { status: response.statusCode, json: answer.json, message: '' }
		: { status: answer.failure.statusCode, message: answer.failure.serverMessage };
}

function fail(this: IHookFunctions, what: string, answer: { status: number; message: string }): never {
	throw new NodeApiError(this.getNode(), { message: answer.message } as never, {
		message: `SMASHSEND did not ${what} (HTTP ${answer.status}): ${answer.message}`,
		description:
			answer.status === 403
				? 'Registering webhooks needs an EDITOR API key: change the key in the SMASHSEND API credential.'
				: 'Check the SMASHSEND API credential, then activate the workflow again.',
		httpCode: String(answer.status),
	});
}

function webhooksOf(json: IDataObject | undefined): IDataObject[] {
	const list = json?.webhooks as IDataObject | IDataObject[] | undefined;
	if (Array.isArray(list)) return list;
	return Array.isArray(list?.items) ? (list.items as IDataObject[]) : [];
}

export class SmashsendTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SMASHSEND Trigger',
		name: 'smashsendTrigger',
		icon: { light: 'file:smashsend.svg', dark: 'file:smashsend.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when contacts change in SMASHSEND',
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
				description: 'Which changes start the workflow',
			},
			{
				displayName:
					'Activating the workflow registers this webhook in SMASHSEND (an EDITOR API key is needed); deactivating removes it. Every delivery must carry a valid X-SMASHSEND-SIGNATURE, or it is refused with 401.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
		],
	};

	webhookMethods = {
		default: {
			/** True when SMASHSEND still has our registration, for this URL and these events. */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default') as string;
				const events = this.getNodeParameter('events', []) as string[];
				const data = this.getWorkflowStaticData('node') as Registration;
				if (data.webhookId && data.secret) {
					const answer = await api.call(this, { method: 'GET', path: `/webhooks/${encodeURIComponent(data.webhookId)}` });
					const webhook = answer.json?.webhook as IDataObject | undefined;
					if (answer.status === 404) {
						delete data.webhookId;
					} else if (!webhook) {
						fail.call(this, 'answer about the registered webhook', answer);
					} else if (
						webhook.url === url &&
						JSON.stringify([...((webhook.events as string[]) ?? [])].sort()) === JSON.stringify([...events].sort())
					) {
						return true;
					} else {
						// Registered for another URL or other events: replace it.
						await api.call(this, { method: 'DELETE', path: `/webhooks/${encodeURIComponent(data.webhookId)}` });
						delete data.webhookId;
					}
				}
				// A registration for this URL that we hold no secret for (say, from a copy of this
				// workflow's static data that was lost) cannot be verified: remove it, create anew.
				const list = await api.call(this, { method: 'GET', path: '/webhooks' });
				if (!list.json) fail.call(this, 'list the registered webhooks', list);
				for (const webhook of webhooksOf(list.json)) {
					if (webhook.url === url && typeof webhook.id === 'string') {
						await api.call(this, { method: 'DELETE', path: `/webhooks/${encodeURIComponent(webhook.id)}` });
					}
				}
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default') as string;
				const events = this.getNodeParameter('events', []) as string[];
				const secret = randomBytes(32).toString('hex');
				const answer = await api.call(this, { method: 'POST', path: '/webhooks', body: { url, events, token: secret } });
				const id = (answer.json?.webhook as IDataObject | undefined)?.id;
				if (typeof id !== 'string') return fail.call(this, 'register the webhook', answer);
				const data = this.getWorkflowStaticData('node') as Registration;
				data.webhookId = id;
				data.secret = secret;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as Registration;
				if (data.webhookId) {
					const answer = await api.call(this, { method: 'DELETE', path: `/webhooks/${encodeURIComponent(data.webhookId)}` });
					// Already gone is as good as removed.
					if (!answer.json && answer.status !== 404) return false;
				}
				delete data.webhookId;
				delete data.secret;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const response = this.getResponseObject();
		const data = this.getWorkflowStaticData('node') as Registration;
		const raw = request.rawBody ?? Buffer.from(JSON.stringify(request.body ?? {}));
		// In the editor's "listen for test event" the registration is made for the test URL,
		// with its own secret, so every delivery is checked.
		if (!data.secret || !signatureMatches(raw, data.secret, request.headers['x-smashsend-signature'])) {
			response.status(401).json({ error: 'Invalid or missing X-SMASHSEND-SIGNATURE' });
			return { noWebhookResponse: true };
		}
		const body = (request.body ?? {}) as IDataObject;
		const event = typeof body.event === 'string' ? body.event : '';
		if (event === 'TESTING_CONNECTION') return { webhookResponse: { ok: true } };
		const wanted = this.getNodeParameter('events', []) as string[];
		if (!wanted.includes(event)) return { webhookResponse: { ok: true, ignored: event } };
		const payload = (typeof body.payload === 'object' && body.payload !== null ? body.payload : {}) as IDataObject;
		return {
			workflowData: [
				this.helpers.returnJsonArray({ event, timestamp: body.timestamp, version: body.version, ...payload }),
			],
		};
	}
}
