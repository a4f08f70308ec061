import { randomBytes } from 'crypto';

export type BodyContentType = 'json' | 'multipart' | 'urlencoded';

export interface EncodedBody {
	contentType: string;
	body: string;
}

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
	const parts = fields.map(
		([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${multipartName(k)}"\r\n\r\n${v}\r\n`,
	);
	return {
		contentType: `multipart/form-data; boundary=${boundary}`,
		body: `${parts.join('')}--${boundary}--\r\n`,
	};
}
