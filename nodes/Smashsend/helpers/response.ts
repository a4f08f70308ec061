import type { IN8nHttpFullResponse } from 'n8n-workflow';

import { redact } from './webhookUrl';

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

export interface FlowRunResult {
	flowRunId: string;
	success: true;
	message: string;
}

/** What went wrong with an answer, in words safe to show (secrets already redacted). */
export interface FailedAnswer {
	statusCode: number;
	/** SMASHSEND's own message, or a readable summary of a non-JSON body. */
	serverMessage: string;
	/** SMASHSEND's error name or code, when the body had one. */
	serverError?: string;
	retryAfter?: string;
	/** Set for a 2xx answer that did not confirm a flow run. */
	unconfirmed?: boolean;
}

export type Interpretation = { ok: true; result: FlowRunResult } | { ok: false; failure: FailedAnswer };

const EXCERPT_LENGTH = 200;

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

/** A proxy's HTML error page, reduced to its title or first words. */
export function summarizeNonJson(body: string, contentType: string | undefined): string {
	const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1];
	const text = (title ?? body)
		.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&nbsp;/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	const kind = contentType ? contentType.split(';')[0].trim() : 'no content type';
	if (text === '') return `an empty ${kind} body`;
	const excerpt = text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
	return `a ${kind} body that is not SMASHSEND's JSON: "${excerpt}"`;
}

/** Reads both documented error shapes: {error, message, statusCode} and {error: {code, message}}. */
export function readErrorBody(json: unknown): { message?: string; error?: string } {
	if (typeof json !== 'object' || json === null) return {};
	const body = json as Record<string, unknown>;
	if (typeof body.error === 'object' && body.error !== null) {
		const nested = body.error as Record<string, unknown>;
		return {
			message: typeof nested.message === 'string' ? nested.message : undefined,
			error: typeof nested.code === 'string' ? nested.code : undefined,
		};
	}
	return {
		message: typeof body.message === 'string' ? body.message : undefined,
		error: typeof body.error === 'string' ? body.error : undefined,
	};
}

export function interpretResponse(response: RawResponse, secrets: readonly string[]): Interpretation {
	const { statusCode, body } = response;
	const contentType = header(response.headers, 'content-type');
	const json = parseJson(body);
	const retryAfter = header(response.headers, 'retry-after');
	const safe = (text: string) => redact(text, secrets);

	if (statusCode >= 200 && statusCode < 300) {
		const answer = (typeof json === 'object' && json !== null ? json : undefined) as Record<string, unknown> | undefined;
		if (answer === undefined) {
			return {
				ok: false,
				failure: {
					statusCode,
					unconfirmed: true,
					serverMessage: safe(`SMASHSEND answered with ${summarizeNonJson(body, contentType)}`),
				},
			};
		}
		const { message, error } = readErrorBody(answer);
		if (answer.success === false) {
			return {
				ok: false,
				failure: {
					statusCode,
					unconfirmed: true,
					serverError: error === undefined ? undefined : safe(error),
					serverMessage: safe(`SMASHSEND answered success: false${message ? ` (${message})` : ''}`),
				},
			};
		}
		if (typeof answer.flowRunId !== 'string' || answer.flowRunId === '') {
			return {
				ok: false,
				failure: {
					statusCode,
					unconfirmed: true,
					serverMessage: safe(`SMASHSEND's answer has no flowRunId${message ? ` (${message})` : ''}`),
				},
			};
		}
		return {
			ok: true,
			result: {
				flowRunId: answer.flowRunId,
				success: true,
				message: typeof answer.message === 'string' ? answer.message : '',
			},
		};
	}

	const { message, error } = json === undefined ? {} : readErrorBody(json);
	const statusText = response.statusMessage ? ` ${response.statusMessage}` : '';
	const serverMessage =
		message ?? (json === undefined ? `SMASHSEND answered with ${summarizeNonJson(body, contentType)}` : `HTTP ${statusCode}${statusText}`);
	return {
		ok: false,
		failure: {
			statusCode,
			serverMessage: safe(serverMessage),
			serverError: error === undefined ? undefined : safe(error),
			retryAfter,
		},
	};
}
