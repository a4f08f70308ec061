import { parse } from 'qs';

import { parseBody } from '../../emulator/server';
import { encodeBody, toFormFields } from '../../nodes/Smashsend/channels/flowWebhook/bodyEncoding';

const payload = {
	email: 'zoë@example.com',
	firstName: 'Zoë "Z" O\'Neil',
	note: 'a&b=c\r\nsecond line; 100% sure? #yes',
	age: 41,
	vip: true,
	nothing: null,
	address: { city: 'São Paulo', geo: { lat: -23.5, lng: -46.6 } },
	tags: ['news', 'vip'],
	orders: [
		{ id: 1, items: ['x'] },
		{ id: 2, items: [] },
	],
	emoji: '🚀',
};

/** What any form encoding can carry of the payload: text, with empty containers left out. */
const asForm = {
	email: 'zoë@example.com',
	firstName: 'Zoë "Z" O\'Neil',
	note: 'a&b=c\r\nsecond line; 100% sure? #yes',
	age: '41',
	vip: 'true',
	nothing: '',
	address: { city: 'São Paulo', geo: { lat: '-23.5', lng: '-46.6' } },
	tags: ['news', 'vip'],
	orders: [{ id: '1', items: ['x'] }, { id: '2' }],
	emoji: '🚀',
};

describe('encodeBody', () => {
	it('sends JSON unchanged', () => {
		const encoded = encodeBody(payload, 'json');
		expect(encoded.contentType).toBe('application/json');
		expect(JSON.parse(encoded.body)).toEqual(payload);
	});

	it('flattens nested objects and arrays into bracket notation', () => {
		expect(toFormFields({ a: { b: [1, { c: 'd' }] }, e: 'f' })).toEqual([
			['a[b][0]', '1'],
			['a[b][1][c]', 'd'],
			['e', 'f'],
		]);
	});

	it('urlencoded: qs (Express extended parser) reads back the same data', () => {
		const encoded = encodeBody(payload, 'urlencoded');
		expect(encoded.contentType).toBe('application/x-www-form-urlencoded; charset=utf-8');
		expect(parse(encoded.body)).toEqual(asForm);
	});

	it('urlencoded: the emulator reads back the same data', async () => {
		const encoded = encodeBody(payload, 'urlencoded');
		expect(await parseBody(encoded.contentType, Buffer.from(encoded.body))).toEqual({ ok: true, value: asForm });
	});

	it('multipart: busboy + qs read back the same data', async () => {
		const encoded = encodeBody(payload, 'multipart');
		expect(encoded.contentType).toMatch(/^multipart\/form-data; boundary=----n8nSmashsend[0-9a-f]{24}$/);
		expect(await parseBody(encoded.contentType, Buffer.from(encoded.body))).toEqual({ ok: true, value: asForm });
	});
});
