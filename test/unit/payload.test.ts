import { buildPayload } from '../../nodes/Smashsend/actions/flow/payload';

const input = { email: ' Ada@Example.com ', firstName: 'Ada', address: { city: 'London' }, tags: ['a'] };

describe('buildPayload', () => {
	it('sends all input fields with the mapped email by default', () => {
		expect(buildPayload({ mode: 'allFields', email: 'ada@example.com', inputJson: input })).toEqual({
			ok: true,
			payload: { email: 'ada@example.com', firstName: 'Ada', address: { city: 'London' }, tags: ['a'] },
		});
	});

	it('sends only defined fields, converting them to their declared types', () => {
		const result = buildPayload({
			mode: 'definedFields',
			email: 'ada@example.com',
			inputJson: input,
			fields: [
				{ name: 'firstName', value: 'Ada', type: 'string' },
				{ name: 'age', value: '36', type: 'number' },
				{ name: 'vip', value: 'true', type: 'boolean' },
				{ name: 'tags', value: '["x","y"]', type: 'array' },
				{ name: 'address', value: { city: 'Paris' }, type: 'object' },
				{ name: 'email', value: 'someone-else@example.com', type: 'string' },
			],
		});
		expect(result).toEqual({
			ok: true,
			payload: {
				firstName: 'Ada',
				age: 36,
				vip: true,
				tags: ['x', 'y'],
				address: { city: 'Paris' },
				email: 'ada@example.com',
			},
		});
	});

	it.each([
		[{ name: 'age', value: 'thirty', type: 'number' }, `The field "age" in 'Fields to Send' is not a number: "thirty"`],
		[{ name: 'vip', value: 'yes', type: 'boolean' }, 'is not true or false'],
		[{ name: 'tags', value: '{"a":1}', type: 'array' }, 'is not an array'],
		[{ name: 'meta', value: 'not json', type: 'object' }, 'is not a JSON object'],
		[{ name: '  ', value: 'x', type: 'string' }, "A field in 'Fields to Send' has no name"],
	])('rejects a defined field that does not match its type: %j', (field, reason) => {
		const result = buildPayload({ mode: 'definedFields', email: 'a@b.co', inputJson: {}, fields: [field] });
		expect(result.ok).toBe(false);
		expect(!result.ok && `${result.message}. ${result.description}`).toContain(reason);
	});

	it('sends a JSON object given as text, with the mapped email winning', () => {
		expect(buildPayload({ mode: 'json', email: 'a@b.co', inputJson: input, json: '{"plan":"pro","email":"x@y.z"}' })).toEqual({
			ok: true,
			payload: { plan: 'pro', email: 'a@b.co' },
		});
	});

	it('accepts a JSON object n8n already parsed', () => {
		expect(buildPayload({ mode: 'json', email: 'a@b.co', inputJson: {}, json: { n: 1 } })).toEqual({
			ok: true,
			payload: { n: 1, email: 'a@b.co' },
		});
	});

	it.each([
		['[1,2]', 'not an object'],
		['"text"', 'not an object'],
		['{"a":', "'JSON' is not valid JSON"],
	])('rejects JSON %s', (json, reason) => {
		const result = buildPayload({ mode: 'json', email: 'a@b.co', inputJson: {}, json });
		expect(!result.ok && `${result.message}. ${result.description}`).toContain(reason);
	});
});
