import type { IDataObject, IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto';

import { API_CREDENTIAL } from '../shared/credentials';
import { networkCause, networkCodeNote } from '../shared/transport/networkErrors';
import { requestIdNote } from '../shared/transport/response';
import type { RestRequest } from '../shared/transport/restApi';
import { openRestClient } from '../shared/transport/restClient';

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

/** What this node keeps between activation and deactivation (n8n's static data). */
interface Registration {
	webhookId?: string;
	/** The token SMASHSEND signs deliveries with; generated here, never shown. */
	secret?: string;
	/** A registration of ours SMASHSEND would not update in place: removed once its replacement exists. */
	replacing?: string;
}

/**
 * Replay protection. SMASHSEND signs the body and no header carries a time; the SDK documents no
 * body, and a public sample delivery carries a `timestamp` of when the event happened
 * (docs/api-contract.md). So an exact signed body is accepted once per n8n process for three
 * days and an hour (the window below), and when the body does say when it happened, a delivery
 * is accepted from three days before now (SMASHSEND's retry schedule is not documented; webhook
 * senders commonly retry a failed delivery for up to three days) to an hour after (clocks drift).
 */
export const DELIVERY_WINDOW = { pastMs: 72 * 60 * 60 * 1000, futureMs: 60 * 60 * 1000 };

/** When a delivery says it happened: an ISO date, or epoch seconds or milliseconds. */
export function deliveryTime(timestamp: unknown): number | undefined {
	if (typeof timestamp === 'number' && Number.isFinite(timestamp)) return timestamp < 1e12 ? timestamp * 1000 : timestamp;
	if (typeof timestamp !== 'string' || timestamp.trim() === '') return undefined;
	const text = timestamp.trim();
	if (/^\d+$/.test(text)) return deliveryTime(Number(text));
	// A time without a zone is UTC here, not the local time of whatever machine runs n8n.
	const zoned = /(Z|[+-]\d{2}:?\d{2}|GMT|UTC)$/i.test(text) || !/\d{2}:\d{2}/.test(text) ? text : `${text}Z`;
	const parsed = Date.parse(zoned);
	return Number.isNaN(parsed) ? undefined : parsed;
}

/** Signed bodies accepted in the last window, by digest; bounded, oldest dropped first. */
export class RecentDeliveries {
	private readonly seen = new Map<string, number>();

	constructor(
		private readonly maxEntries = 100_000,
		private readonly now: () => number = () => Date.now(),
	) {}

	/** True the first time a digest is offered within the window, false for a repeat. */
	admit(digest: string): boolean {
		const now = this.now();
		for (const [key, expiry] of this.seen) {
			if (expiry > now && this.seen.size < this.maxEntries) break;
			this.seen.delete(key);
		}
		if (this.seen.has(digest)) return false;
		this.seen.set(digest, now + DELIVERY_WINDOW.pastMs + DELIVERY_WINDOW.futureMs);
		return true;
	}
}

const recentDeliveries = new RecentDeliveries();

/** Whether two webhook URLs name the same place, whatever SMASHSEND may have normalised (host case, a trailing slash). */
function sameUrl(a: unknown, b: string): boolean {
	if (typeof a !== 'string') return false;
	const normal = (text: string) => {
		try {
			const url = new URL(text);
			return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}${url.search}`;
		} catch {
			return text;
		}
	};
	return normal(a) === normal(b);
}

/** Forgets a registration without touching it in SMASHSEND. */
function forget(data: Registration): void {
	delete data.webhookId;
	delete data.secret;
	delete data.replacing;
}

/** Hex HMAC-SHA256 of the raw body, compared in constant time. */
export function signatureMatches(rawBody: Buffer, secret: string, header: unknown): boolean {
	if (typeof header !== 'string' || !/^[0-9a-f]{64}$/i.test(header.trim())) return false;
	const expected = createHmac('sha256', secret).update(rawBody).digest();
	return timingSafeEqual(expected, Buffer.from(header.trim(), 'hex'));
}

/**
 * One REST call for the registration, as its answer. A failure to reach SMASHSEND becomes an
 * error of our own: n8n's (on 2.x) keeps the request, Authorization header included, as its
 * cause, and would carry it into n8n's logs. The key and the signing tokens (`secrets`: the one
 * held, the one being registered) are removed from every text SMASHSEND (or a proxy) answers.
 */
async function api(
	this: IHookFunctions,
	what: string,
	request: RestRequest,
	secrets: Array<string | undefined> = [],
): Promise<{ status: number; json?: IDataObject; message: string; requestId?: string }> {
	const held = (this.getWorkflowStaticData('node') as Registration).secret;
	const client = await openRestClient.call(this, {
		nextStep: 'Edit the SMASHSEND API credential, then activate the workflow again.',
		secrets: [held, ...secrets],
	});
	const outcome = await client.call(request, { timeoutMs: 30_000 });
	if ('network' in outcome) {
		const { code } = outcome.network;
		throw new NodeOperationError(this.getNode(), `Could not reach SMASHSEND to ${what}: ${networkCause(code)}`, {
			description:
				`${networkCodeNote(code)} Check the Base URL of the SMASHSEND API credential and that n8n can reach it, then activate the workflow again.`.trim(),
		});
	}
	return outcome.ok
		? { status: outcome.statusCode, json: outcome.json, message: '' }
		: { status: outcome.failure.statusCode, message: outcome.failure.serverMessage, requestId: outcome.failure.requestId };
}

function fail(this: IHookFunctions, what: string, answer: { status: number; message: string; requestId?: string }): never {
	const advice =
		answer.status === 403
			? 'Registering webhooks needs an EDITOR API key: change the key in the SMASHSEND API credential.'
			: 'Check the SMASHSEND API credential, then activate the workflow again.';
	throw new NodeApiError(
		this.getNode(),
		{ message: answer.message },
		{
			message: `SMASHSEND did not ${what}: ${answer.message}`,
			description: [advice, requestIdNote(answer)].filter(Boolean).join(' '),
			httpCode: String(answer.status),
		},
	);
}

/** The shortest echoed token taken for a whole one: the node's own are 64 characters; a shorter one may be a tail or a hint. */
const WHOLE_TOKEN = 32;

/**
 * What a registration says of the token deliveries are signed with, against the one this node
 * holds: SMASHSEND's SDK types `token` as echoed back, but whether in full is not documented. A
 * token with mask characters (`*`, `•`, `…`), or too short to be a whole one, tells nothing;
 * another whole token means the deliveries are signed with that one.
 */
export function echoedToken(webhook: IDataObject | undefined, secret: string): 'same' | 'unknown' | 'other' {
	const token = webhook?.token;
	if (token === secret) return 'same';
	if (typeof token !== 'string' || token.length < WHOLE_TOKEN || /[*•…]|\.\.\./.test(token)) return 'unknown';
	return 'other';
}

/** Whether a registration's events are these, in any order. */
function sameEvents(registered: unknown, events: string[]): boolean {
	const list = Array.isArray(registered) ? registered.map(String) : [];
	return JSON.stringify([...list].sort()) === JSON.stringify([...events].sort());
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

	webhookMethods = {
		default: {
			/**
			 * True when SMASHSEND still has our registration, for this URL and these events.
			 * A registration is ours only if it delivers to this n8n's URL: static data travels
			 * with exported workflows and cloned databases, and the registration it names then
			 * belongs to the n8n it was copied from, which must keep receiving its events.
			 */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default') as string;
				const events = this.getNodeParameter('events', []) as string[];
				const data = this.getWorkflowStaticData('node') as Registration;
				if (data.webhookId && data.secret) {
					const answer = await api.call(this, 'look up the registered webhook', {
						method: 'GET',
						path: `/webhooks/${encodeURIComponent(data.webhookId)}`,
					});
					const webhook = answer.json?.webhook as IDataObject | undefined;
					const status = typeof webhook?.status === 'string' ? webhook.status : 'ACTIVE';
					if (answer.status === 404) {
						forget(data);
					} else if (!webhook) {
						fail.call(this, 'answer about the registered webhook', answer);
					} else if (!sameUrl(webhook.url, url)) {
						// Another n8n's registration (this workflow is a copy): leave it, make our own.
						this.logger?.warn(
							`SMASHSEND Trigger: the webhook registration ${data.webhookId} in this workflow's data delivers to another URL (a copy of this workflow, or this n8n's former address), so it was left in place. Remove it in SMASHSEND if nothing receives it any more.`,
						);
						forget(data);
					} else if (status === 'ACTIVE' && echoedToken(webhook, data.secret) !== 'other' && sameEvents(webhook.events, events)) {
						return true;
					} else {
						// Ours, but SMASHSEND delivers nothing to it (PAUSED, BANNED), signs with a token we do
						// not hold, or for other events: updated in place (the SDK's update), so that no event is
						// missed in between.
						const updated = await api.call(
							this,
							'update the registered webhook',
							{
								method: 'POST',
								path: `/webhooks/${encodeURIComponent(data.webhookId)}`,
								body: { url, events, token: data.secret, status: 'ACTIVE' },
							},
							[data.secret],
						);
						const after = updated.json?.webhook as IDataObject | undefined;
						const afterStatus = typeof after?.status === 'string' ? after.status : 'ACTIVE';
						if (after && afterStatus === 'ACTIVE' && echoedToken(after, data.secret) !== 'other' && sameEvents(after.events, events))
							return true;
						// Not updated (SMASHSEND has no update, or keeps it as it was): a new registration is made
						// first, with the same token, and this one removed after it (create()).
						this.logger?.warn(
							`SMASHSEND Trigger: the webhook registration ${data.webhookId} is ${status} in SMASHSEND and could not be updated; a new one is made, then this one removed.`,
						);
						data.replacing = data.webhookId;
						delete data.webhookId;
						if (echoedToken(webhook, data.secret) === 'other') delete data.secret;
						return false;
					}
				}
				// A registration that delivers here but whose secret we do not hold (say, the
				// static data was lost) cannot be verified: remove it, create anew.
				const list = await api.call(this, 'list the registered webhooks', { method: 'GET', path: '/webhooks' });
				if (!list.json) fail.call(this, 'list the registered webhooks', list);
				for (const webhook of webhooksOf(list.json)) {
					// (The registration being replaced stays until its replacement exists.)
					if (sameUrl(webhook.url, url) && typeof webhook.id === 'string' && webhook.id !== data.replacing) {
						await api.call(this, 'remove an unverifiable registration', {
							method: 'DELETE',
							path: `/webhooks/${encodeURIComponent(webhook.id)}`,
						});
					}
				}
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default') as string;
				const events = this.getNodeParameter('events', []) as string[];
				const data = this.getWorkflowStaticData('node') as Registration;
				// A replacement signs with the token of the registration it replaces: a delivery both make is then one delivery.
				const secret = data.replacing && data.secret ? data.secret : randomBytes(32).toString('hex');
				const answer = await api.call(
					this,
					'register the webhook',
					{ method: 'POST', path: '/webhooks', body: { url, events, token: secret } },
					[secret],
				);
				const webhook = answer.json?.webhook as IDataObject | undefined;
				const id = webhook?.id;
				if (typeof id !== 'string') return fail.call(this, 'register the webhook', answer);
				data.webhookId = id;
				// Should SMASHSEND sign with a token of its own, the one it echoes in full is the one to check.
				data.secret = echoedToken(webhook, secret) === 'other' ? String(webhook?.token) : secret;
				if (data.replacing) {
					const old = data.replacing;
					delete data.replacing;
					// The new registration is in place: a failure to remove the old one must not undo the activation.
					const removed = await api
						.call(this, 'remove the replaced registration', { method: 'DELETE', path: `/webhooks/${encodeURIComponent(old)}` })
						.catch(() => undefined);
					if (!removed || (!removed.json && removed.status !== 404)) {
						this.logger?.warn(`SMASHSEND Trigger: the replaced webhook registration ${old} could not be removed; remove it in SMASHSEND.`);
					}
				}
				return true;
			},
			/** Removes our registration; one that delivers to another n8n's URL is only forgotten. */
			async delete(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default') as string;
				const data = this.getWorkflowStaticData('node') as Registration;
				// A registration left to be replaced (its replacement never made) goes too.
				if (data.replacing) {
					await api.call(this, 'remove the replaced registration', {
						method: 'DELETE',
						path: `/webhooks/${encodeURIComponent(data.replacing)}`,
					});
					delete data.replacing;
				}
				if (data.webhookId) {
					const path = `/webhooks/${encodeURIComponent(data.webhookId)}`;
					const found = await api.call(this, 'look up the registered webhook', { method: 'GET', path });
					const webhook = found.json?.webhook as IDataObject | undefined;
					if (webhook && sameUrl(webhook.url, url)) {
						const answer = await api.call(this, 'remove the webhook', { method: 'DELETE', path });
						// Already gone is as good as removed.
						if (!answer.json && answer.status !== 404) return false;
					} else if (!webhook && found.status !== 404) {
						return false;
					}
				}
				forget(data);
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
		// A time the body gives is checked; none (or one in a form not known here) is no reason to refuse.
		const time = deliveryTime(body.timestamp);
		const now = Date.now();
		if (time !== undefined && (now - time > DELIVERY_WINDOW.pastMs || time - now > DELIVERY_WINDOW.futureMs)) {
			response.status(400).json({ error: 'The delivery is older than three days, or more than an hour ahead' });
			return { noWebhookResponse: true };
		}
		const digest = createHash('sha256').update(data.secret).update('\u0000').update(raw).digest('hex');
		if (!recentDeliveries.admit(digest)) return { webhookResponse: { ok: true, duplicate: true } };
		const wanted = this.getNodeParameter('events', []) as string[];
		if (!wanted.includes(event)) return { webhookResponse: { ok: true, ignored: event } };
		const payload = (typeof body.payload === 'object' && body.payload !== null ? body.payload : {}) as IDataObject;
		return {
			workflowData: [this.helpers.returnJsonArray({ event, timestamp: body.timestamp, version: body.version, ...payload })],
		};
	}
}
