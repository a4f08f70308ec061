import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { createHmac } from 'crypto';

import { createEmulator } from '../../../emulator/server';
import { SmashsendApi } from '../../../credentials/SmashsendApi.credentials';
import { deliveryTime, signatureMatches } from '../../../nodes/SmashsendTrigger/deliveries';
import { SmashsendTrigger } from '../../../nodes/SmashsendTrigger/SmashsendTrigger.node';
import { TEST_NODE } from '../../support/executeContext';
import { authenticatedHttpRequest } from '../../support/n8nHttp';
import { leakedSecrets } from '../../support/secrets';
import { startSink } from '../../support/sink';

const emulator = createEmulator();
const WEBHOOK_URL = 'https://n8n.example.com/webhook/abc/webhook';

beforeAll(async () => await emulator.start());
afterAll(async () => await emulator.stop());
beforeEach(() => emulator.reset());

/** What n8n hands the lifecycle methods: parameters, credentials, the node's static data. */
function hookContext(
	events: string[],
	staticData: IDataObject,
	url = WEBHOOK_URL,
	baseUrl = emulator.url,
	apiKey = 'sk_live_emulator_editor',
): IHookFunctions {
	const credentials = { apiKey, baseUrl };
	const authenticate = new SmashsendApi().authenticate;
	return {
		getNode: () => ({ ...TEST_NODE, type: 'n8n-nodes-smashsend.smashsendTrigger' }),
		getNodeWebhookUrl: () => url,
		getNodeParameter: (name: string) => (name === 'events' ? events : undefined),
		getWorkflowStaticData: () => staticData,
		getCredentials: async () => credentials,
		helpers: { httpRequestWithAuthentication: authenticatedHttpRequest(authenticate, credentials) },
	} as unknown as IHookFunctions;
}

function webhookContext(events: string[], staticData: IDataObject, body: string, headers: Record<string, string>) {
	const response = { statusCode: 200, sent: undefined as unknown };
	const context = {
		getRequestObject: () => ({ rawBody: Buffer.from(body), body: JSON.parse(body), headers }),
		getResponseObject: () => ({
			status(code: number) {
				response.statusCode = code;
				return this;
			},
			json(value: unknown) {
				response.sent = value;
				return this;
			},
		}),
		getNodeParameter: (name: string) => (name === 'events' ? events : undefined),
		getWorkflowStaticData: () => staticData,
		helpers: { returnJsonArray: (json: IDataObject) => [{ json }] },
	} as unknown as IWebhookFunctions;
	return { context, response };
}

const lifecycle = new SmashsendTrigger().webhookMethods.default;

describe('SMASHSEND Trigger: registration', () => {
	it('registers on activation with a secret token, finds it again, and removes it on deactivation', async () => {
		const data: IDataObject = {};
		const ctx = hookContext(['CONTACT_CREATED', 'CONTACT_UNSUBSCRIBED'], data);
		expect(await lifecycle.checkExists.call(ctx)).toBe(false);
		expect(await lifecycle.create.call(ctx)).toBe(true);
		const [webhook] = emulator.rest.webhooks;
		expect(webhook).toMatchObject({ url: WEBHOOK_URL, events: ['CONTACT_CREATED', 'CONTACT_UNSUBSCRIBED'] });
		expect(webhook.token).toMatch(/^[0-9a-f]{64}$/);
		expect(data).toEqual({ webhookId: webhook.id, secret: webhook.token });

		expect(await lifecycle.checkExists.call(ctx)).toBe(true);
		expect(await lifecycle.delete.call(ctx)).toBe(true);
		expect(emulator.rest.webhooks).toHaveLength(0);
		expect(data).toEqual({});
	});

	it('updates a registration whose events changed in place; where SMASHSEND has no update, makes the new one before removing the old', async () => {
		const data: IDataObject = {};
		await lifecycle.create.call(hookContext(['CONTACT_CREATED'], data));
		const old = String(data.webhookId);
		expect(await lifecycle.checkExists.call(hookContext(['CONTACT_DELETED'], data))).toBe(true);
		expect(emulator.rest.webhooks.map((w) => [w.id, w.events])).toEqual([[old, ['CONTACT_DELETED']]]);

		emulator.rest.setReadings({ webhookUpdate: 'refused' });
		const secret = data.secret;
		expect(await lifecycle.checkExists.call(hookContext(['CONTACT_CREATED'], data))).toBe(false);
		// The old one stays until its replacement exists: no event is missed in between.
		expect(emulator.rest.webhooks.map((w) => w.id)).toEqual([old]);
		expect(await lifecycle.create.call(hookContext(['CONTACT_CREATED'], data))).toBe(true);
		expect(emulator.rest.webhooks.map((w) => [w.id === old, w.events, w.token === secret])).toEqual([[false, ['CONTACT_CREATED'], true]]);
		expect(data.replacing).toBeUndefined();
	});

	it('replaces a registration for this URL it holds no secret for', async () => {
		await lifecycle.create.call(hookContext(['CONTACT_CREATED'], {}));
		expect(emulator.rest.webhooks).toHaveLength(1);
		const fresh: IDataObject = {};
		expect(await lifecycle.checkExists.call(hookContext(['CONTACT_CREATED'], fresh))).toBe(false);
		expect(emulator.rest.webhooks).toHaveLength(0);
	});

	it("a copy of the workflow (its static data exported, or the database cloned) leaves the original's registration alone", async () => {
		const production: IDataObject = {};
		await lifecycle.create.call(hookContext(['CONTACT_CREATED'], production));
		const [original] = emulator.rest.webhooks;

		// Staging: the same static data, another n8n URL.
		const copy = structuredClone(production);
		const staging = hookContext(['CONTACT_CREATED'], copy, 'https://staging.example.com/webhook/abc/webhook');
		expect(await lifecycle.checkExists.call(staging)).toBe(false);
		expect(await lifecycle.create.call(staging)).toBe(true);
		expect(emulator.rest.webhooks.map((w) => w.url).sort()).toEqual([
			'https://n8n.example.com/webhook/abc/webhook',
			'https://staging.example.com/webhook/abc/webhook',
		]);
		expect(copy.webhookId).not.toBe(original.id);

		// Deactivating the copy removes only its own; a copy never activated removes nothing.
		expect(await lifecycle.delete.call(staging)).toBe(true);
		expect(
			await lifecycle.delete.call(
				hookContext(['CONTACT_CREATED'], structuredClone(production), 'https://other.example.com/webhook/abc/webhook'),
			),
		).toBe(true);
		expect(emulator.rest.webhooks.map((w) => w.id)).toEqual([original.id]);
		expect(await lifecycle.checkExists.call(hookContext(['CONTACT_CREATED'], production))).toBe(true);
	});

	it('recognises its own registration whatever SMASHSEND did to the URL (host case, a trailing slash)', async () => {
		const data: IDataObject = {};
		await lifecycle.create.call(hookContext(['CONTACT_CREATED'], data, 'https://N8N.example.com/webhook/abc/webhook/'));
		expect(await lifecycle.checkExists.call(hookContext(['CONTACT_CREATED'], data))).toBe(true);
		expect(emulator.rest.webhooks).toHaveLength(1);
	});

	it("fails activation with its own message when SMASHSEND cannot be reached, not with n8n's error (which carries the key)", async () => {
		const error = await lifecycle.checkExists
			.call(hookContext(['CONTACT_CREATED'], { webhookId: 'wh_1', secret: 'x' }, WEBHOOK_URL, 'http://127.0.0.1:1'))
			.then(
				() => undefined,
				(e: Error) => e,
			);
		expect(error?.message).toBe('Could not reach SMASHSEND to look up the registered webhook: the connection was refused');
		expect(leakedSecrets(error, ['sk_live_emulator_editor', 'Bearer'])).toEqual([]);
	});

	it('refuses a plain-http Base URL other than localhost before sending the key anywhere', async () => {
		await expect(
			lifecycle.checkExists.call(hookContext(['CONTACT_CREATED'], {}, WEBHOOK_URL, 'http://api.smashsend.example')),
		).rejects.toThrow('must start with https://');
		expect(emulator.received).toHaveLength(0);
	});

	it.each(['PAUSED', 'BANNED'])('makes a registration SMASHSEND has %s active again in place: it would receive nothing', async (status) => {
		const data: IDataObject = {};
		await lifecycle.create.call(hookContext(['CONTACT_CREATED'], data));
		const old = String(data.webhookId);
		emulator.rest.setWebhookStatus(old, status);
		expect(await lifecycle.checkExists.call(hookContext(['CONTACT_CREATED'], data))).toBe(true);
		expect(emulator.rest.webhooks.map((w) => [w.status, w.id === old])).toEqual([['ACTIVE', true]]);
		expect(emulator.received.filter((r) => r.method === 'DELETE')).toHaveLength(0);
	});

	it.each(['PAUSED', 'BANNED'])(
		'where SMASHSEND has no update, replaces a %s registration: the new one first, the old one removed after',
		async (status) => {
			emulator.rest.setReadings({ webhookUpdate: 'refused' });
			const data: IDataObject = {};
			await lifecycle.create.call(hookContext(['CONTACT_CREATED'], data));
			const old = String(data.webhookId);
			emulator.rest.setWebhookStatus(old, status);
			expect(await lifecycle.checkExists.call(hookContext(['CONTACT_CREATED'], data))).toBe(false);
			expect(emulator.rest.webhooks.map((w) => w.id)).toEqual([old]);
			expect(await lifecycle.create.call(hookContext(['CONTACT_CREATED'], data))).toBe(true);
			expect(emulator.rest.webhooks.map((w) => [w.status, w.id === old])).toEqual([['ACTIVE', false]]);
			const order = emulator.received
				.filter((r) => r.method !== 'GET')
				.map((r) => `${r.method} ${r.path === '/v1/webhooks' ? 'new' : 'old'}`);
			expect(order.slice(-2)).toEqual(['POST new', 'DELETE old']);
		},
	);

	it('reads the token SMASHSEND echoes: another one in full replaces the registration; a masked one or none changes nothing', async () => {
		const data: IDataObject = {};
		await lifecycle.create.call(hookContext(['CONTACT_CREATED'], data));
		const [webhook] = emulator.rest.webhooks;
		// Signed with a token this node does not hold: deliveries would all be refused. It is given ours.
		webhook.token = 'f'.repeat(64);
		expect(await lifecycle.checkExists.call(hookContext(['CONTACT_CREATED'], data))).toBe(true);
		expect(emulator.rest.webhooks.map((w) => w.token)).toEqual([data.secret]);

		emulator.rest.webhooks[0].token = `${String(data.secret).slice(0, 4)}****`;
		expect(await lifecycle.checkExists.call(hookContext(['CONTACT_CREATED'], data))).toBe(true);
		emulator.rest.setShapes('legacy');
		expect(await lifecycle.checkExists.call(hookContext(['CONTACT_CREATED'], data))).toBe(true);
	});

	it('keeps the token SMASHSEND answers with when it signs with one of its own, and its own when the answer masks it', async () => {
		const answer = (token: string) => ({
			path: 'POST /v1/webhooks',
			status: 201,
			body: { webhook: { id: 'wh_given', url: WEBHOOK_URL, events: ['CONTACT_CREATED'], status: 'ACTIVE', token } },
		});
		emulator.addFaults([answer('s'.repeat(40)), answer('••••'), answer('9f3a')]);
		const adopted: IDataObject = {};
		await lifecycle.create.call(hookContext(['CONTACT_CREATED'], adopted));
		expect(adopted).toEqual({ webhookId: 'wh_given', secret: 's'.repeat(40) });
		// A masked token, or one too short to be whole (a tail, a hint), is not the token deliveries are signed with.
		for (let i = 0; i < 2; i++) {
			const kept: IDataObject = {};
			await lifecycle.create.call(hookContext(['CONTACT_CREATED'], kept));
			expect(kept.secret).toMatch(/^[0-9a-f]{64}$/);
		}
	});

	it("names SMASHSEND's request id when it refuses an activation", async () => {
		const error = await lifecycle.create
			.call(hookContext(['CONTACT_CREATED'], {}, WEBHOOK_URL, emulator.url, 'sk_live_emulator_viewer'))
			.then(
				() => undefined,
				(e: Error & { description?: string; httpCode?: string | null }) => e,
			);
		expect(error?.message).toContain('SMASHSEND did not register the webhook: ');
		expect(error?.httpCode).toBe('403');
		expect(error?.description).toContain(`SMASHSEND's request ID: ${String(emulator.received.at(-1)?.requestId)} `);
	});

	it('treats a registration deleted in SMASHSEND as gone', async () => {
		const data: IDataObject = {};
		await lifecycle.create.call(hookContext(['CONTACT_CREATED'], data));
		emulator.reset();
		expect(await lifecycle.checkExists.call(hookContext(['CONTACT_CREATED'], data))).toBe(false);
		expect(await lifecycle.delete.call(hookContext(['CONTACT_CREATED'], data))).toBe(true);
	});
});

describe('SMASHSEND Trigger: deliveries', () => {
	const secret = 'a'.repeat(64);
	const sign = (body: string, key = secret) => createHmac('sha256', key).update(body).digest('hex');
	// Each delivery a body of its own (a repeated body is dropped as a replay), sent just now.
	let sent = 0;
	// `NONE`: a body without a timestamp.
	const NONE = Symbol('no timestamp');
	const delivery = (event: string, timestamp: unknown = new Date().toISOString()) =>
		JSON.stringify({
			event,
			payload: { contact: { id: 'ctc_1', properties: { email: 'ada@example.com' } } },
			...(timestamp === NONE ? {} : { timestamp }),
			version: 1,
			sequence: ++sent,
		});

	it('starts the workflow with the event and the contact for a correctly signed delivery', async () => {
		const timestamp = new Date().toISOString();
		const body = delivery('CONTACT_CREATED', timestamp);
		const { context } = webhookContext(['CONTACT_CREATED'], { secret }, body, { 'x-smashsend-signature': sign(body) });
		const result = await new SmashsendTrigger().webhook.call(context);
		expect(result.workflowData).toEqual([
			[{ json: { event: 'CONTACT_CREATED', timestamp, version: 1, contact: { id: 'ctc_1', properties: { email: 'ada@example.com' } } } }],
		]);
	});

	it.each([
		['a signature made with another key', (body: string) => ({ 'x-smashsend-signature': sign(body, 'b'.repeat(64)) })],
		['no signature', () => ({})],
		['a signature that is not hex', () => ({ 'x-smashsend-signature': 'sha256=xyz' })],
	])('answers 401 and starts nothing for %s', async (_name, headers) => {
		const body = delivery('CONTACT_CREATED');
		const { context, response } = webhookContext(['CONTACT_CREATED'], { secret }, body, headers(body));
		const result = await new SmashsendTrigger().webhook.call(context);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(401);
	});

	it('answers TESTING_CONNECTION and unselected events without starting the workflow', async () => {
		for (const event of ['TESTING_CONNECTION', 'CONTACT_DELETED']) {
			const body = delivery(event);
			const { context } = webhookContext(['CONTACT_CREATED'], { secret }, body, { 'x-smashsend-signature': sign(body) });
			const result = await new SmashsendTrigger().webhook.call(context);
			expect(result.workflowData).toBeUndefined();
			expect(result.webhookResponse).toMatchObject({ ok: true });
		}
	});

	it('starts the workflow once for a signed body delivered twice (a replay, or a retry after a lost answer)', async () => {
		const body = delivery('CONTACT_CREATED');
		const deliver = () =>
			new SmashsendTrigger().webhook.call(
				webhookContext(['CONTACT_CREATED'], { secret }, body, { 'x-smashsend-signature': sign(body) }).context,
			);
		expect((await deliver()).workflowData).toHaveLength(1);
		const again = await deliver();
		expect(again.workflowData).toBeUndefined();
		expect(again.webhookResponse).toEqual({ ok: true, duplicate: true });
		// The same event signed for another registration is another delivery.
		const other = 'c'.repeat(64);
		const elsewhere = await new SmashsendTrigger().webhook.call(
			webhookContext(['CONTACT_CREATED'], { secret: other }, body, { 'x-smashsend-signature': sign(body, other) }).context,
		);
		expect(elsewhere.workflowData).toHaveLength(1);
	});

	it.each([
		['without a timestamp (none is documented)', NONE],
		['with a timestamp of null', null],
		['with a timestamp of a form not known here', 'yesterday'],
	])('starts the workflow once for a signed delivery %s, and refuses its replay', async (_, timestamp) => {
		const body = delivery('CONTACT_UPDATED', timestamp);
		expect('timestamp' in JSON.parse(body)).toBe(timestamp !== NONE);
		const deliver = () =>
			new SmashsendTrigger().webhook.call(
				webhookContext(['CONTACT_UPDATED'], { secret }, body, { 'x-smashsend-signature': sign(body) }).context,
			);
		const first = await deliver();
		expect(first.workflowData).toEqual([[{ json: expect.objectContaining({ event: 'CONTACT_UPDATED', contact: expect.any(Object) }) }]]);
		expect((await deliver()).webhookResponse).toEqual({ ok: true, duplicate: true });
	});

	it.each([
		['a day old', new Date(Date.now() - 25 * 3600_000).toISOString()],
		["nearly three days old (a retry late in a sender's schedule)", new Date(Date.now() - 71 * 3600_000).toISOString()],
		['two days old, in epoch seconds', Math.floor(Date.now() / 1000) - 2 * 86400],
	])('starts the workflow for a signed delivery whose timestamp is %s', async (_, timestamp) => {
		const body = delivery('CONTACT_CREATED', timestamp);
		const { context } = webhookContext(['CONTACT_CREATED'], { secret }, body, { 'x-smashsend-signature': sign(body) });
		const result = await new SmashsendTrigger().webhook.call(context);
		expect(result.workflowData).toHaveLength(1);
	});

	it.each([
		['more than three days old', new Date(Date.now() - 73 * 3600_000).toISOString()],
		['more than an hour ahead', new Date(Date.now() + 2 * 3600_000).toISOString()],
		['more than three days old, in epoch seconds', Math.floor(Date.now() / 1000) - 4 * 86400],
	])('answers 400 and starts nothing for a signed delivery whose timestamp is %s', async (_, timestamp) => {
		const body = delivery('CONTACT_CREATED', timestamp);
		const { context, response } = webhookContext(['CONTACT_CREATED'], { secret }, body, { 'x-smashsend-signature': sign(body) });
		const result = await new SmashsendTrigger().webhook.call(context);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(400);
	});

	it('reads a timestamp without a zone as UTC, epoch seconds and milliseconds as such', () => {
		expect(deliveryTime('2026-11-28T10:00:00')).toBe(Date.parse('2026-11-28T10:00:00Z'));
		expect(deliveryTime('2026-11-28 10:00:00')).toBe(Date.parse('2026-11-28T10:00:00Z'));
		expect(deliveryTime('2026-11-28T10:00:00+01:00')).toBe(Date.parse('2026-11-28T09:00:00Z'));
		expect(deliveryTime(1795860000)).toBe(1795860000_000);
		expect(deliveryTime('1795860000000')).toBe(1795860000_000);
		expect(deliveryTime('soon')).toBeUndefined();
	});

	/** What the emulator delivers, while `act` runs, to a webhook the trigger registered for `events` (its static data in `data`). */
	async function deliveriesTo(events: string[], data: IDataObject, act: () => Promise<void>) {
		const sink = await startSink();
		try {
			await lifecycle.create.call(hookContext(events, data, `${sink.url}/hook`));
			await act();
			return sink.received;
		} finally {
			await sink.close();
		}
	}
	const createAda = async () => {
		emulator.rest.seedContacts([{ email: 'ada@example.com' }]);
		await emulator.rest.settle();
	};

	it("verifies the emulator's own signed deliveries", async () => {
		const data: IDataObject = {};
		const received = await deliveriesTo(['CONTACT_CREATED'], data, createAda);
		expect(received).toHaveLength(1);
		const [{ body, headers }] = received;
		expect(signatureMatches(body, String(data.secret), headers['x-smashsend-signature'])).toBe(true);
		expect(JSON.parse(body.toString()).event).toBe('CONTACT_CREATED');
	});

	it.each(['iso', 'unix'] as const)(
		'starts the workflow with a delivery of the emulator whose timestamp is %s',
		async (eventTimestamps) => {
			emulator.rest.setShapes('legacy');
			emulator.rest.setReadings({ eventTimestamps });
			const data: IDataObject = {};
			const [{ body, headers }] = await deliveriesTo(['CONTACT_CREATED'], data, createAda);
			const { timestamp } = JSON.parse(body.toString()) as { timestamp: unknown };
			expect(typeof timestamp).toBe(eventTimestamps === 'iso' ? 'string' : 'number');
			const { context } = webhookContext(['CONTACT_CREATED'], data, body.toString(), headers as Record<string, string>);
			const result = await new SmashsendTrigger().webhook.call(context);
			expect(result.workflowData?.[0]).toHaveLength(1);
		},
	);

	it.each(['WORKSPACE_BANNED', 'WORKSPACE_SENDING_EMAILS_PAUSED', 'WORKSPACE_TEAM_MEMBER_JOINED'])(
		"registers for the workspace alert %s and starts the workflow with SMASHSEND's delivery, its payload whole",
		async (event) => {
			const data: IDataObject = {};
			const received = await deliveriesTo([event], data, async () => {
				expect(emulator.rest.webhooks[0].events).toEqual([event]);
				await emulator.rest.deliverEvent(event, undefined);
			});
			expect(received).toHaveLength(1);
			const [{ body, headers }] = received;
			const { context } = webhookContext([event], data, body.toString(), headers as Record<string, string>);
			const result = await new SmashsendTrigger().webhook.call(context);
			const sentPayload = JSON.parse(body.toString()).payload as IDataObject;
			expect(sentPayload.workspace).toMatchObject({ id: expect.any(String) });
			expect(result.workflowData).toEqual([[{ json: expect.objectContaining({ event, ...sentPayload }) }]]);
			// Not selected, the same alert starts nothing.
			const again = body.toString().replace('"version"', '"again":1,"version"');
			const other = webhookContext(['CONTACT_CREATED'], data, again, { 'x-smashsend-signature': sign(again, String(data.secret)) });
			const ignored = await new SmashsendTrigger().webhook.call(other.context);
			expect(ignored.workflowData).toBeUndefined();
			expect(ignored.webhookResponse).toMatchObject({ ok: true });
		},
	);
});
