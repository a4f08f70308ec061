// @ts-check
'use strict';

/**
 * The control API under `/__emulator/`: what other processes (the real-n8n suite, the demo,
 * the benchmark) use to script the emulator and read what it recorded.
 */

const { errorBody, readBody, sendJson } = require('./http');

const CONTROL_PREFIX = '/__emulator/';

/** @param {import('node:http').IncomingMessage} req @param {string} fallback */
async function readJson(req, fallback) {
	return JSON.parse((await readBody(req)).toString('utf8') || fallback);
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {URL} url
 * @param {ReturnType<typeof import('./server').createEmulator>} emulator
 */
async function handleControl(req, res, url, emulator) {
	const action = url.pathname.slice(CONTROL_PREFIX.length);
	const { rest } = emulator;
	if (action === 'requests' && req.method === 'GET') return sendJson(res, 200, { requests: emulator.received });
	if (action === 'faults' && req.method === 'POST') {
		const body = await readJson(req, '[]');
		emulator.addFaults(Array.isArray(body) ? body : [body]);
		return sendJson(res, 200, { faults: emulator.pendingFaults });
	}
	if (action === 'settings' && req.method === 'POST') {
		const body = await readJson(req, '{}');
		if (typeof body.latencyMs === 'number') emulator.setLatency(body.latencyMs);
		if (typeof body.honourIdempotencyKey === 'boolean') emulator.setHonourIdempotencyKey(body.honourIdempotencyKey);
		if (typeof body.rateLimitPerSecond === 'number') emulator.setRateLimit(body.rateLimitPerSecond);
		if (body.restRateLimit) emulator.setRestRateLimit(body.restRateLimit);
		if (typeof body.maxBatchSize === 'number') emulator.rest.setMaxBatchSize(body.maxBatchSize);
		if (body.shapes === 'sdk' || body.shapes === 'legacy') emulator.rest.setShapes(body.shapes);
		if (body.readings && typeof body.readings === 'object') emulator.rest.setReadings(body.readings);
		if (body.capacity && typeof body.capacity.inFlight === 'number') emulator.setCapacity(body.capacity);
		if (body.chaos === null) emulator.setChaos(undefined);
		else if (body.chaos && typeof body.chaos.seed === 'number' && typeof body.chaos.rate === 'number') emulator.setChaos(body.chaos);
		return sendJson(res, 200, emulator.settings);
	}
	if (action === 'rest' && req.method === 'GET') {
		await rest.settle();
		return sendJson(res, 200, {
			contacts: rest.contacts,
			events: rest.events,
			emails: rest.emails,
			webhooks: rest.webhooks,
			deliveries: rest.deliveries,
		});
	}
	if (action === 'rest/contacts' && req.method === 'POST') {
		const body = await readJson(req, '[]');
		rest.seedContacts(Array.isArray(body) ? body : [body]);
		await rest.settle();
		return sendJson(res, 200, { contacts: rest.contacts });
	}
	if (action === 'rest/deliver' && req.method === 'POST') {
		// Calls the registered webhooks with one event: {event, email?, signature?: valid|invalid|none, payload?}
		const body = await readJson(req, '{}');
		const contact = body.email ? rest.contacts.find((c) => c.properties.email === body.email) : rest.contacts[0];
		const deliveries = await rest.deliverEvent(body.event, contact, {
			signature: body.signature,
			webhookId: body.webhookId,
			...(body.payload && typeof body.payload === 'object' ? { payload: body.payload } : {}),
		});
		return sendJson(res, 200, { deliveries });
	}
	if (action === 'rest/webhook-status' && req.method === 'POST') {
		// {id, status}: SMASHSEND pausing or banning a registration.
		const body = await readJson(req, '{}');
		rest.setWebhookStatus(String(body.id), String(body.status));
		return sendJson(res, 200, { webhooks: rest.webhooks });
	}
	if (action === 'reset' && req.method === 'POST') {
		emulator.reset();
		return sendJson(res, 200, { ok: true });
	}
	return sendJson(res, 404, errorBody(404, 'Not Found', `Unknown control action ${action}`));
}

module.exports = { CONTROL_PREFIX, handleControl };
