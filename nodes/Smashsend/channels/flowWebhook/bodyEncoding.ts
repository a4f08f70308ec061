import { randomBytes } from 'crypto';

import { hasBrokenCharacter } from '../../helpers/text';
import type { EncodedBody } from './flowWebhookCall';

export type BodyContentType = 'json' | 'multipart' | 'urlencoded';

export type { EncodedBody };

/**
 * Flattens an object into form fields with bracket notation, the convention that
 * standard form parsers (qs, Express's extended urlencoded parser, PHP, Rails) read
 * back into nested objects and arrays:
 *
 *   { address: { city: 'Paris' }, tags: ['a', 'b'] }
 *   → address[city]=Paris, tags[0]=a, tags[1]=b
 *
 * Form encodings carry text only: numbers and booleans become their text, null becomes
 * an empty value, and undefined, empty objects and empty arrays are left out.
 */
export function toFormFields(value: unknown, prefix = ''): Array<[string, string]> {
	if (value === undefined) return [];
	if (value === null) return prefix ? [[prefix, '']] : [];
	if (value instanceof Date) return prefix ? [[prefix, value.toISOString()]] : [];
	if (Array.isArray(value)) {
		return value.flatMap((entry, index) => toFormFields(entry, `${prefix}[${index}]`));
	}
	if (typeof value === 'object') {
		return Object.entries(value as Record<string, unknown>).flatMap(([key, entry]) =>
			toFormFields(entry, prefix ? `${prefix}[${key}]` : key),
		);
	}
	return prefix ? [[prefix, String(value)]] : [];
}

const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Why a payload cannot travel in a form encoding unchanged (what, and what to do), or
 * undefined when it can. Form parsers read `[` `]` in a name as nesting (an input field
 * `email[]` would turn the mapped email into a list on SMASHSEND's side), cannot name a
 * field with an empty name (`{"": {email}}` would become a second `email`), drop fields
 * named like Object.prototype's members (`__proto__`, `constructor`, `toString`…), and text
 * that is not valid Unicode (a lone surrogate) cannot be percent-encoded at all.
 */
export function formEncodingProblem(payload: Record<string, unknown>): { message: string; description: string } | undefined {
	const fix = (what: string) => `${what}, or set Options → Body Content Type to JSON.`;
	const rename = fix('Rename the field');
	const visit = (value: unknown, path: string): { message: string; description: string } | undefined => {
		if (typeof value === 'string') {
			return hasBrokenCharacter(value)
				? {
						message: `The text in "${path}" is not valid Unicode (a lone surrogate), which a form encoding cannot carry`,
						description: fix('Fix the data'),
					}
				: undefined;
		}
		if (typeof value !== 'object' || value === null || value instanceof Date) return undefined;
		for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
			const name = path === '' ? key : `${path}.${key}`;
			const where = `The field named ${JSON.stringify(key)}${path === '' ? '' : ` in "${path}"`}`;
			if (/[[\]]/.test(key)) {
				return {
					message: `${where} cannot be sent in a form encoding, which reads [ ] in a name as nesting`,
					description: `It would not arrive under that name and could change another field (such as email). ${rename}`,
				};
			}
			if (key === '')
				return {
					message: `A field${path === '' ? '' : ` in "${path}"`} has an empty name, which a form encoding cannot send as a field of its own`,
					description: rename,
				};
			// qs, and the form parsers built on it, drop names that Object.prototype has.
			if (PROTOTYPE_NAMES.has(key)) return { message: `${where} would be dropped by form parsers`, description: rename };
			if (hasBrokenCharacter(key)) return { message: `${where} is not valid Unicode (a lone surrogate)`, description: rename };
			const problem = visit(entry, name);
			if (problem) return problem;
		}
		return undefined;
	};
	return visit(payload, '');
}

function multipartName(name: string): string {
	return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function encodeBody(payload: Record<string, unknown>, type: BodyContentType): EncodedBody {
	if (type === 'json') {
		return { contentType: 'application/json', body: JSON.stringify(payload) };
	}
	const fields = toFormFields(payload);
	if (type === 'urlencoded') {
		return {
			contentType: 'application/x-www-form-urlencoded; charset=utf-8',
			body: fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
		};
	}
	let boundary = `----n8nSmashsend${randomBytes(12).toString('hex')}`;
	while (fields.some(([k, v]) => k.includes(boundary) || v.includes(boundary))) {
		boundary = `----n8nSmashsend${randomBytes(12).toString('hex')}`;
	}
	const parts = fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${multipartName(k)}"\r\n\r\n${v}\r\n`);
	return {
		contentType: `multipart/form-data; boundary=${boundary}`,
		body: `${parts.join('')}--${boundary}--\r\n`,
	};
}
