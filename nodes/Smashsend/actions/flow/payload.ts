import type { IDataObject } from 'n8n-workflow';

import { showValue } from '../../helpers/emailAddress';

export type PayloadMode = 'allFields' | 'definedFields' | 'json';

/** One row of n8n's drag-and-drop field list (an `assignmentCollection` parameter). */
export interface FieldAssignment {
	name: string;
	value: unknown;
	type?: string;
}

/** A payload, or what is wrong with the item's data (`message`) and what to do (`description`). */
export type PayloadResult = { ok: true; payload: IDataObject } | { ok: false; message: string; description: string };

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function convertField(field: FieldAssignment): { ok: true; value: unknown } | Extract<PayloadResult, { ok: false }> {
	const { value, type } = field;
	const bad = (expected: string) => ({
		ok: false as const,
		message: `The field "${field.name}" in 'Fields to Send' is not ${expected}: ${showValue(value)}`,
		description: `Map it to ${expected}, or change the field's type.`,
	});
	switch (type) {
		case 'number': {
			if (typeof value === 'number') return { ok: true, value };
			if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
				return { ok: true, value: Number(value) };
			}
			return bad('a number');
		}
		case 'boolean': {
			if (typeof value === 'boolean') return { ok: true, value };
			if (value === 'true' || value === 'false') return { ok: true, value: value === 'true' };
			return bad('true or false');
		}
		case 'array':
		case 'object': {
			let parsed = value;
			if (typeof value === 'string') {
				try {
					parsed = JSON.parse(value);
				} catch {
					return bad(type === 'array' ? 'a JSON array' : 'a JSON object');
				}
			}
			if (type === 'array' ? Array.isArray(parsed) : isPlainObject(parsed)) return { ok: true, value: parsed };
			return bad(type === 'array' ? 'an array' : 'an object');
		}
		case 'string':
			return { ok: true, value: value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value) };
		default:
			return { ok: true, value };
	}
}

/**
 * Builds the body of one flow webhook call. The mapped email always wins over an
 * `email` field coming from the input, the field list or the JSON.
 */
export function buildPayload(args: {
	mode: PayloadMode;
	email: string;
	inputJson: IDataObject;
	fields?: FieldAssignment[];
	json?: unknown;
}): PayloadResult {
	const { mode, email } = args;
	if (mode === 'allFields') {
		return { ok: true, payload: { ...args.inputJson, email } };
	}
	if (mode === 'definedFields') {
		const payload: IDataObject = {};
		for (const field of args.fields ?? []) {
			const name = typeof field.name === 'string' ? field.name.trim() : '';
			if (name === '')
				return { ok: false, message: "A field in 'Fields to Send' has no name", description: 'Give it a name, or remove it.' };
			// An assignment to __proto__ would set the object's prototype and the field would vanish.
			if (name === '__proto__')
				return {
					ok: false,
					message: `A field in 'Fields to Send' is named "__proto__", which cannot be sent`,
					description: 'Choose another name.',
				};
			const converted = convertField({ ...field, name });
			if (!converted.ok) return converted;
			payload[name] = converted.value as IDataObject[keyof IDataObject];
		}
		return { ok: true, payload: { ...payload, email } };
	}
	let json = args.json;
	if (typeof json === 'string') {
		if (json.trim() === '') json = {};
		else {
			try {
				json = JSON.parse(json);
			} catch (error) {
				return {
					ok: false,
					message: `'JSON' is not valid JSON: ${(error as Error).message}`,
					description: 'Fix the JSON: an object such as {"firstName": "Ada"}.',
				};
			}
		}
	}
	if (!isPlainObject(json)) {
		return {
			ok: false,
			message: `'JSON' is not an object: ${showValue(json)}`,
			description: 'SMASHSEND takes one object per flow run, such as {"firstName": "Ada"}.',
		};
	}
	return { ok: true, payload: { ...json, email } };
}
