// @ts-check
'use strict';

/**
 * Compares an answer with its shape in the contract (live-check/contract.js), field by field,
 * without ever showing a value (a real workspace's answers hold people's addresses).
 *
 * @typedef {import('./contract').Shape} Shape
 * @typedef {{ field: string, expected: string, found: string }} Difference
 * @typedef {{ differences: Difference[], unknown: string[] }} Comparison
 *   `differences`: fields missing or of another type; `unknown`: fields the contract does not
 *   name (nothing the package reads, but worth knowing about).
 */

/** @param {unknown} json @returns {string} */
function typeOf(json) {
	if (json === null) return 'null';
	if (Array.isArray(json)) return 'array';
	return typeof json;
}

/** @param {Shape} shape @returns {string} */
function describe(shape) {
	if (shape.oneOf) return shape.oneOf.map(describe).join(' or ');
	const types = Array.isArray(shape.type) ? shape.type : shape.type ? [shape.type] : ['anything'];
	return types.join(' or ');
}

/**
 * @param {Shape} shape
 * @param {unknown} json
 * @param {string} [at] the field's name so far ("contacts.items[].id")
 * @returns {Comparison}
 */
function compare(shape, json, at = '') {
	/** @type {Comparison} */
	const result = { differences: [], unknown: [] };
	if (shape.oneOf) {
		const tries = shape.oneOf.map((alternative) => compare(alternative, json, at));
		const best = tries.reduce((a, b) => (b.differences.length < a.differences.length ? b : a));
		if (best.differences.length === 0) return best;
		return { differences: [{ field: at || '(the answer)', expected: describe(shape), found: typeOf(json) }], unknown: [] };
	}
	const found = typeOf(json);
	const types = Array.isArray(shape.type) ? shape.type : shape.type ? [shape.type] : [];
	if (types.length > 0 && !types.includes(/** @type {any} */ (found))) {
		result.differences.push({ field: at || '(the answer)', expected: describe(shape), found });
		return result;
	}
	// A value the package needs exactly (the key check's SUCCEED); the value itself is never shown.
	if (shape.equals !== undefined && json !== shape.equals) {
		result.differences.push({ field: at || '(the answer)', expected: JSON.stringify(shape.equals), found: `another ${found}` });
		return result;
	}
	if (found === 'object' && shape.fields) {
		const record = /** @type {Record<string, unknown>} */ (json);
		for (const [name, field] of Object.entries(shape.fields)) {
			const path = at ? `${at}.${name}` : name;
			if (!(name in record) || record[name] === undefined) {
				if (!field.optional) result.differences.push({ field: path, expected: describe(field), found: 'nothing' });
				continue;
			}
			merge(result, compare(field, record[name], path));
		}
		for (const name of Object.keys(record)) {
			if (!shape.open && !(name in shape.fields)) result.unknown.push(at ? `${at}.${name}` : name);
		}
	}
	if (found === 'array' && shape.of) {
		for (const item of /** @type {unknown[]} */ (json)) merge(result, compare(shape.of, item, `${at}[]`));
	}
	return result;
}

/**
 * Adds `more` to `into`, each field once (the items of a list differ the same way).
 * @param {Comparison} into @param {Comparison} more
 */
function merge(into, more) {
	for (const difference of more.differences) {
		const seen = into.differences.some((d) => d.field === difference.field && d.found === difference.found);
		if (!seen) into.differences.push(difference);
	}
	for (const name of more.unknown) if (!into.unknown.includes(name)) into.unknown.push(name);
}

module.exports = { compare };
