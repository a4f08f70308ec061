import type { IN8nHttpFullResponse } from 'n8n-workflow';

/**
 * Reading any SMASHSEND answer: the raw response, headers, JSON, SMASHSEND's two error
 * shapes, and a short, safe summary of a body that is not JSON. What an answer means for a
 * flow run or a REST call is the channel's business (actions/flow, actions/rest).
 */

export interface RawResponse {
	statusCode: number;
	statusMessage?: string;
	headers: Record<string, unknown>;
	body: string;
}

/** n8n's full response, with the body as text whatever the helper handed back. */
export function toRawResponse(response: IN8nHttpFullResponse): RawResponse {
	const body = response.body;
	return {
		statusCode: response.statusCode,
		statusMessage: response.statusMessage,
		headers: (response.headers ?? {}) as Record<string, unknown>,
		body: typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? ''),
	};
}

/** What went wrong with an answer, in words safe to show (secrets already redacted). */
export interface FailedAnswer {
	statusCode: number;
	/** SMASHSEND's own message, or a readable summary of a non-JSON body. */
	serverMessage: string;
	/** SMASHSEND's error name or code, when the body had one. */
	serverError?: string;
	retryAfter?: string;
	/** SMASHSEND's id of the request (its `x-request-id` header), which its support asks for. */
	requestId?: string;
	/** Set for a 2xx answer that did not confirm what was asked (no flow run, no JSON). */
	unconfirmed?: boolean;
	/** The body was JSON (an API's error body, not a proxy's page). */
	json?: boolean;
}

/** The sentence that gives SMASHSEND's request id, for an error's description ('' without one). */
/** The status SMASHSEND answered with, for an error's description (never its message). */
export function statusNote(failure: Pick<FailedAnswer, 'statusCode'>): string {
	return `SMASHSEND answered with status ${failure.statusCode}.`;
}

export function requestIdNote(failure: Pick<FailedAnswer, 'requestId'>): string {
	return failure.requestId ? `SMASHSEND's request ID: ${failure.requestId} (quote it if you contact SMASHSEND's support).` : '';
}

const EXCERPT_LENGTH = 200;
/** How much of a non-JSON body is looked at: a proxy's error page says what it is early on. */
const SUMMARY_WINDOW = 8192;
/** The longest server message shown in an error. */
const MESSAGE_LENGTH = 500;

export function header(headers: Record<string, unknown>, name: string): string | undefined {
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	if (Array.isArray(value)) return value.map(String).join(', ');
	return value === undefined || value === null ? undefined : String(value);
}

export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** Cuts a text to `length` characters, marking the cut. Only ever applied to redacted text. */
export function clip(text: string, length = MESSAGE_LENGTH): string {
	return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** Removes `<script>…</script>` and `<style>…</style>` blocks, scanning once. */
function withoutScripts(html: string): string {
	const lower = html.toLowerCase();
	let result = '';
	let position = 0;
	for (;;) {
		const script = lower.indexOf('<script', position);
		const style = lower.indexOf('<style', position);
		const start = script === -1 ? style : style === -1 ? script : Math.min(script, style);
		if (start === -1) return result + html.slice(position);
		const closing = start === script ? '</script' : '</style';
		const end = lower.indexOf(closing, start);
		result += `${html.slice(position, start)} `;
		if (end === -1) return result;
		const close = lower.indexOf('>', end);
		position = close === -1 ? html.length : close + 1;
	}
}

/**
 * A proxy's HTML error page, reduced to its title or first words. Reads a bounded window
 * of the body and uses only patterns that cannot backtrack (each `<…>` stops at the next
 * `<`), so a hostile answer costs time linear in that window, on n8n's main process.
 */
export function summarizeNonJson(body: string, contentType: string | undefined): string {
	const window = body.slice(0, SUMMARY_WINDOW);
	const lower = window.toLowerCase();
	const titleStart = lower.indexOf('<title');
	const titleOpen = titleStart === -1 ? -1 : lower.indexOf('>', titleStart);
	const titleEnd = titleOpen === -1 ? -1 : lower.indexOf('</title', titleOpen);
	const title = titleEnd === -1 ? undefined : window.slice(titleOpen + 1, titleEnd);
	const text = withoutScripts(title ?? window)
		.replace(/<[^<>]*>/g, ' ')
		.replace(/&nbsp;/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	const kind = contentType ? contentType.split(';')[0].trim() : 'no content type';
	if (text === '') return `an empty ${kind} body`;
	return `a ${kind} body that is not SMASHSEND's JSON: "${clip(text, EXCERPT_LENGTH)}"`;
}

/**
 * Reads SMASHSEND's error shapes: {error: {code, message}}, and the flat {message, error?,
 * code?, statusCode?} (the SDK's client reads message, error and code at the top level).
 */
export function readErrorBody(json: unknown): { message?: string; error?: string } {
	if (typeof json !== 'object' || json === null) return {};
	const body = json as Record<string, unknown>;
	if (typeof body.error === 'object' && body.error !== null) {
		const nested = body.error as Record<string, unknown>;
		return {
			message: textOrReasons(nested.message),
			error: typeof nested.code === 'string' ? nested.code : undefined,
		};
	}
	const message = textOrReasons(body.message);
	return {
		message: message ?? (typeof body.error === 'string' ? body.error : undefined),
		error: typeof body.code === 'string' ? body.code : typeof body.error === 'string' && message !== undefined ? body.error : undefined,
	};
}

/** A message as text, or a list of validation reasons (the SDK's client allows both) as one sentence. */
function textOrReasons(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (!Array.isArray(value)) return undefined;
	const reasons = value
		.map((reason) =>
			typeof reason === 'string'
				? reason
				: typeof reason === 'object' && reason !== null && typeof (reason as Record<string, unknown>).message === 'string'
					? String((reason as Record<string, unknown>).message)
					: '',
		)
		.filter((reason) => reason.trim() !== '');
	return reasons.length > 0 ? reasons.join('; ') : undefined;
}

/**
 * A redacted reading of an answer: its text with every secret removed first (a later cut
 * could otherwise leave part of one), its JSON, and its Retry-After.
 */
export function readAnswer(response: RawResponse, redactText: (text: string) => string = (text) => text) {
	const body = redactText(response.body);
	return {
		body,
		json: parseJson(body),
		contentType: header(response.headers, 'content-type'),
		retryAfter: header(response.headers, 'retry-after'),
		requestId: requestIdOf(response.headers, redactText),
		safe: (text: string) => clip(redactText(text)),
	};
}

/** An answer that is not a 2xx, in words safe to show: SMASHSEND's message (either shape), or what the body was. */
export function failedAnswer(response: RawResponse, answer: ReturnType<typeof readAnswer>): FailedAnswer {
	const { json, safe } = answer;
	const { message, error } = json === undefined ? {} : readErrorBody(json);
	const serverMessage =
		message ??
		(json === undefined
			? `SMASHSEND answered with ${summarizeNonJson(answer.body, answer.contentType)}`
			: response.statusMessage || 'SMASHSEND gave no message');
	return {
		statusCode: response.statusCode,
		serverMessage: safe(serverMessage),
		serverError: error === undefined ? undefined : safe(error),
		retryAfter: answer.retryAfter,
		...(answer.requestId ? { requestId: answer.requestId } : {}),
		...(typeof json === 'object' && json !== null ? { json: true } : {}),
	};
}

/** The `x-request-id` header, short and redacted like any text shown. */
function requestIdOf(headers: Record<string, unknown>, redactText: (text: string) => string): string | undefined {
	const id = header(headers, 'x-request-id')?.trim();
	return id ? clip(redactText(id), 100) : undefined;
}
