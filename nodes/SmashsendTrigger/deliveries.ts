import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { createHash, createHmac, timingSafeEqual } from 'crypto';

import type { Registration } from './registration';

/* SMASHSEND's deliveries to the trigger: each one's signature and time checked, each started once. */

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

/** Hex HMAC-SHA256 of the raw body, compared in constant time. */
export function signatureMatches(rawBody: Buffer, secret: string, header: unknown): boolean {
	if (typeof header !== 'string' || !/^[0-9a-f]{64}$/i.test(header.trim())) return false;
	const expected = createHmac('sha256', secret).update(rawBody).digest();
	return timingSafeEqual(expected, Buffer.from(header.trim(), 'hex'));
}

/** One delivery of SMASHSEND's: its signature and time checked, then the workflow started once for it. */
export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
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
