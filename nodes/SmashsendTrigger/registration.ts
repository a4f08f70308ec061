import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { randomBytes } from 'crypto';

import { networkCause, networkCodeNote } from '../shared/transport/networkErrors';
import { requestIdNote } from '../shared/transport/response';
import type { RestRequest } from '../shared/transport/restApi';
import { openRestClient } from '../shared/transport/restClient';

/*
 * The trigger's registration with SMASHSEND (its webhook): checked when n8n activates the
 * workflow (ours, for this URL and these events, active, signed with our token), updated in
 * place or replaced, made, and removed on deactivation.
 */

/** What this node keeps between activation and deactivation (n8n's static data). */
export interface Registration {
	webhookId?: string;
	/** The token SMASHSEND signs deliveries with; generated here, never shown. */
	secret?: string;
	/** A registration of ours SMASHSEND would not update in place: removed once its replacement exists. */
	replacing?: string;
}

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

/**
 * True when SMASHSEND still has our registration, for this URL and these events.
 * A registration is ours only if it delivers to this n8n's URL: static data travels
 * with exported workflows and cloned databases, and the registration it names then
 * belongs to the n8n it was copied from, which must keep receiving its events.
 */
export async function registrationExists(this: IHookFunctions): Promise<boolean> {
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
			if (after && afterStatus === 'ACTIVE' && echoedToken(after, data.secret) !== 'other' && sameEvents(after.events, events)) return true;
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
}

/** Registers this n8n's webhook URL for the chosen events, or replaces the one being replaced. */
export async function register(this: IHookFunctions): Promise<boolean> {
	const url = this.getNodeWebhookUrl('default') as string;
	const events = this.getNodeParameter('events', []) as string[];
	const data = this.getWorkflowStaticData('node') as Registration;
	// A replacement signs with the token of the registration it replaces: a delivery both make is then one delivery.
	const secret = data.replacing && data.secret ? data.secret : randomBytes(32).toString('hex');
	const answer = await api.call(this, 'register the webhook', { method: 'POST', path: '/webhooks', body: { url, events, token: secret } }, [
		secret,
	]);
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
}

/** Removes our registration; one that delivers to another n8n's URL is only forgotten. */
export async function unregister(this: IHookFunctions): Promise<boolean> {
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
}
