export const WEBHOOK_URL_EXAMPLE = 'https://api.smashsend.com/v1/flows/flw_…/wrk_…/call';

const FLOW_CALL_PATH = /^\/v1\/flows\/([^/]+)\/([^/]+)\/call\/?$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export interface FlowWebhook {
	url: string;
	flowId: string;
	workspaceId: string;
	/** Everything that identifies the flow webhook and must never be shown to anyone. */
	/** Frozen: redact() keeps its ordered copy per list. */
	secrets: readonly string[];
}

export type ParsedWebhookUrl = { ok: true; webhook: FlowWebhook } | { ok: false; reason: string };

/** Whether a URL's host is this machine: the only place plain http is allowed. */
export function isLoopback(hostname: string): boolean {
	return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Checks that a credential's URL has the shape SMASHSEND shows for a flow's Webhook trigger.
 * The reason never repeats the URL: it is a secret.
 */
export function parseWebhookUrl(value: unknown): ParsedWebhookUrl {
	const expected = `It should look like ${WEBHOOK_URL_EXAMPLE}: copy it from the flow's Webhook trigger in SMASHSEND.`;
	if (typeof value !== 'string' || value.trim() === '') {
		return { ok: false, reason: `The flow webhook URL is empty. ${expected}` };
	}
	const text = value.trim();
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { ok: false, reason: `The flow webhook URL is not a valid URL. ${expected}` };
	}
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
		return {
			ok: false,
			reason: `The flow webhook URL must start with https:// (plain http is only accepted for localhost). ${expected}`,
		};
	}
	if (url.username || url.password) {
		return { ok: false, reason: `The flow webhook URL must not contain a user name or password. ${expected}` };
	}
	const match = FLOW_CALL_PATH.exec(url.pathname);
	if (!match || url.search || url.hash) {
		return {
			ok: false,
			reason: `The flow webhook URL does not end in /v1/flows/{flowId}/{workspaceId}/call. ${expected}`,
		};
	}
	const flowId = decodeURIComponent(match[1]);
	const workspaceId = decodeURIComponent(match[2]);
	const normalized = `${url.origin}${url.pathname}`;
	return {
		ok: true,
		webhook: {
			url: normalized,
			flowId,
			workspaceId,
			secrets: Object.freeze([text, normalized, url.pathname, match[1], match[2], flowId, workspaceId]),
		},
	};
}

/** Each list of secrets, longest first (a secret inside another is replaced after it), made once per list. */
const orderedSecrets = new WeakMap<readonly string[], string[]>();

/**
 * Replaces every secret in a text that came from elsewhere (a server's error page, say). It
 * reads every answer: a text without a secret (nearly all) is returned as it is, unchanged.
 */
export function redact(text: string, secrets: readonly string[]): string {
	let ordered = orderedSecrets.get(secrets);
	if (!ordered) {
		ordered = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
		orderedSecrets.set(secrets, ordered);
	}
	let result = text;
	for (const secret of ordered) {
		if (result.includes(secret)) result = result.split(secret).join('[redacted]');
	}
	return result;
}
