import { readingFor } from '../../nodes/shared/transport/readings';
import type { RestOutcome, RestRequest } from '../../nodes/shared/transport/restApi';

/** A server that answers by "METHOD path"; every request it got, in order. */
function server(answers: Record<string, RestOutcome>) {
	const sent: string[] = [];
	const send = async (request: RestRequest): Promise<RestOutcome> => {
		const key = `${request.method} ${request.path}`;
		sent.push(key);
		return answers[key] ?? notFound(`Cannot ${key.replace(' ', ' /v1')}`);
	};
	return { send, sent };
}
const ok = (json = {}): RestOutcome => ({ ok: true, statusCode: 200, json });
const notFound = (message: string, json = true): RestOutcome => ({
	ok: false,
	failure: { statusCode: 404, serverMessage: message, ...(json ? { json } : {}) },
});

/** One call as the REST client makes it (shared/transport/restClient.ts): `first`, then `next(first)` if any. */
async function withReadings(
	account: string,
	request: RestRequest,
	send: (request: RestRequest) => Promise<RestOutcome>,
): Promise<RestOutcome> {
	const reading = readingFor(account, request);
	const first = await send(reading.first);
	const other = reading.next(first);
	return reading.outcome(first, other && (await send(other)));
}

let account = 0;
const fresh = () => `account-${++account}`;

describe('either reading (shared/transport/readings.ts)', () => {
	it("reads a search's 404 with a JSON body as no contact, and a proxy's 404 page as the failure it is", async () => {
		const { send } = server({ 'GET /contacts/search': notFound('Contact not found') });
		expect(await withReadings(fresh(), { method: 'GET', path: '/contacts/search', qs: { email: 'a@b.c' } }, send)).toEqual(
			ok({ contact: null }),
		);
		const page = server({ 'GET /contacts/search': notFound('a text/html body', false) });
		expect((await withReadings(fresh(), { method: 'GET', path: '/contacts/search' }, page.send)).ok).toBe(false);
		// A 404 that says the route is not there: a Base URL that leads elsewhere, not "no contact".
		const elsewhere = server({ 'GET /contacts/search': notFound('Cannot GET /v1/contacts/search') });
		expect((await withReadings(fresh(), { method: 'GET', path: '/contacts/search' }, elsewhere.send)).ok).toBe(false);
	});

	it('asks for the properties at the other path after a 404, and there first from then on, for that account only', async () => {
		const me = fresh();
		const catalogue = server({ 'GET /contact-properties': ok({ properties: { items: [] } }) });
		const list: RestRequest = { method: 'GET', path: '/contacts/properties', qs: { type: 'CUSTOM' } };
		expect((await withReadings(me, list, catalogue.send)).ok).toBe(true);
		expect((await withReadings(me, list, catalogue.send)).ok).toBe(true);
		expect(catalogue.sent).toEqual(['GET /contacts/properties', 'GET /contact-properties', 'GET /contact-properties']);
		const other = server({ 'GET /contacts/properties': ok({ properties: { items: [] } }) });
		await withReadings(fresh(), list, other.send);
		expect(other.sent).toEqual(['GET /contacts/properties']);
	});

	it("updates a property with POST when PUT is not there; of two refusals, the one about the property is the item's", async () => {
		const post = server({
			'POST /contact-properties/prop_a': ok({ property: { id: 'prop_a' } }),
			'POST /contact-properties/prop_x': notFound('Property not found'),
		});
		const me = fresh();
		expect(await withReadings(me, { method: 'PUT', path: '/contact-properties/prop_x', body: {} }, post.send)).toEqual(
			notFound('Property not found'),
		);
		expect((await withReadings(me, { method: 'PUT', path: '/contact-properties/prop_a', body: {} }, post.send)).ok).toBe(true);
		expect(post.sent).toEqual([
			'PUT /contact-properties/prop_x',
			'POST /contact-properties/prop_x',
			'PUT /contact-properties/prop_a',
			'POST /contact-properties/prop_a',
		]);
		// With PUT there, a property it does not have is refused once, with its own words.
		const put = server({ 'PUT /contact-properties/prop_x': notFound('Property not found') });
		expect(await withReadings(fresh(), { method: 'PUT', path: '/contact-properties/prop_x', body: {} }, put.send)).toEqual(
			notFound('Property not found'),
		);
		expect(put.sent).toEqual(['PUT /contact-properties/prop_x', 'POST /contact-properties/prop_x']);
	});

	it('leaves every other call alone', async () => {
		const { send, sent } = server({ 'PUT /contacts/ctc_1': notFound('Contact not found') });
		expect(await withReadings(fresh(), { method: 'PUT', path: '/contacts/ctc_1', body: {} }, send)).toEqual(notFound('Contact not found'));
		expect(sent).toEqual(['PUT /contacts/ctc_1']);
	});
});
