import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import { createEmulator } from '../../../emulator/server';
import { Smashsend } from '../../../nodes/Smashsend/Smashsend.node';
import { executeContext, type ContextOptions } from '../../support/executeContext';
import { leakedSecrets } from '../../support/secrets';

const FLOW = { flowId: 'flw_T0pS3cretFlow', workspaceId: 'wrk_T0pS3cretWs' };
const emulator = createEmulator({ flows: [FLOW] });
let webhookUrl = '';
let secrets: string[] = [];

beforeAll(async () => {
	await emulator.start();
	webhookUrl = emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId);
	secrets = [webhookUrl, FLOW.flowId, FLOW.workspaceId];
});
afterAll(async () => await emulator.stop());
beforeEach(() => emulator.reset());

async function run(options: Omit<ContextOptions, 'credentials'> & { credentials?: ContextOptions['credentials'] }) {
	const node = new Smashsend();
	const context = executeContext({ credentials: { webhookUrl }, ...options });
	const [output] = await node.execute.call(context);
	return output;
}

async function runExpectingError(options: Parameters<typeof run>[0]) {
	try {
		await run(options);
	} catch (error) {
		return error as NodeApiError | NodeOperationError;
	}
	throw new Error('expected the node to throw');
}

const contacts = [
	{ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines' },
	{ email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', company: 'US Navy' },
	{ email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing', customField: { team: 'Hut 8' } },
	{ email: 'zoë@exämple.de', firstName: 'Zoë', tags: ['ünïcode', '🚀'] },
];

describe('Trigger a Flow against the SMASHSEND emulator', () => {
	it('starts one flow run per item and outputs each flowRunId, paired, in input order', async () => {
		const output = await run({ items: contacts });

		expect(emulator.accepted).toHaveLength(contacts.length);
		expect(emulator.received).toHaveLength(contacts.length);
		expect(emulator.accepted.map((r) => r.body)).toEqual(contacts);
		expect(output).toHaveLength(contacts.length);
		output.forEach((item: INodeExecutionData, index: number) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toEqual({
				email: contacts[index].email,
				flowRunId: emulator.accepted[index].flowRunId,
				success: true,
				message: 'Flow triggered successfully',
				attempts: 1,
			});
		});
		expect(new Set(output.map((i: INodeExecutionData) => i.json.flowRunId)).size).toBe(contacts.length);
	});

	it('does nothing for no input items', async () => {
		expect(await run({ items: [] })).toEqual([]);
		expect(emulator.received).toHaveLength(0);
	});

	it('names the package and its version in the User-Agent of every call', async () => {
		await run({ items: contacts.slice(0, 2) });
		const { version } = jest.requireActual('../../../package.json') as { version: string };
		for (const request of emulator.received) {
			expect(request.headers['user-agent']).toBe(`n8n-nodes-smashsend/${version} (n8n community node)`);
		}
	});

	it('trims the email and sends the mapped email even when the input has another', async () => {
		await run({
			items: [{ email: 'old@example.com', work: '  new@example.com ' }],
			parameters: { email: (json: IDataObject) => json.work },
		});
		expect(emulator.accepted[0].body).toEqual({ email: 'new@example.com', work: '  new@example.com ' });
	});

	it.each(['json', 'multipart', 'urlencoded'])('sends %s that the server reads back as the mapped item', async (bodyContentType) => {
		const item = { email: 'ada@example.com', firstName: 'Ada', address: { city: 'London', zip: 'NW1' }, tags: ['a', 'b'] };
		await run({ items: [item], parameters: { options: { bodyContentType } } });
		expect(emulator.accepted).toHaveLength(1);
		expect(emulator.accepted[0].body).toEqual(item);
		expect(emulator.accepted[0].contentType.split(';')[0]).toBe(
			{ json: 'application/json', multipart: 'multipart/form-data', urlencoded: 'application/x-www-form-urlencoded' }[bodyContentType],
		);
	});

	it('sends only the defined fields when asked to', async () => {
		await run({
			items: [{ email: 'ada@example.com', firstName: 'Ada', password: 'do-not-send' }],
			parameters: {
				payloadMode: 'definedFields',
				fields: {
					assignments: [
						{ id: '1', name: 'firstName', value: (json: IDataObject) => json.firstName, type: 'string' },
						{ id: '2', name: 'score', value: '12.5', type: 'number' },
					],
				},
			},
		});
		expect(emulator.accepted[0].body).toEqual({ email: 'ada@example.com', firstName: 'Ada', score: 12.5 });
	});

	it('sends raw JSON when asked to', async () => {
		await run({
			items: [{ email: 'ada@example.com', plan: 'pro' }],
			parameters: { payloadMode: 'json', jsonBody: (json: IDataObject) => `{"plan": "${json.plan}", "source": "n8n"}` },
		});
		expect(emulator.accepted[0].body).toEqual({ plan: 'pro', source: 'n8n', email: 'ada@example.com' });
	});

	it("keeps the input item's fields alongside when asked to", async () => {
		const output = await run({ items: [contacts[0]], parameters: { options: { includeInputFields: true } } });
		expect(output[0].json).toEqual({
			...contacts[0],
			flowRunId: emulator.accepted[0].flowRunId,
			success: true,
			message: 'Flow triggered successfully',
			attempts: 1,
		});
	});
});

describe('bad input', () => {
	const mixed = [
		{ email: 'ok1@example.com' },
		{ name: 'no email at all' },
		{ email: '' },
		{ email: 'not-an-email' },
		{ email: 12345 },
		{ email: 'ok2@example.com', nested: { deep: { deeper: ['ü', { x: 1 }] } } },
	];

	it('with On Error: Continue, each bad item fails alone with its index and value; the rest go through once', async () => {
		const output = await run({ items: mixed, continueOnFail: true });

		expect(emulator.received.map((r) => r.body)).toEqual([mixed[0], mixed[5]]);
		expect(output).toHaveLength(mixed.length);
		output.forEach((item: INodeExecutionData, index: number) => expect(item.pairedItem).toEqual({ item: index }));
		expect(output[0].json.flowRunId).toBe(emulator.accepted[0].flowRunId);
		expect(output[5].json.flowRunId).toBe(emulator.accepted[1].flowRunId);
		expect(output[1].json.error).toBe("No email in 'Email': it resolved to nothing [item 1]");
		expect(output[1].json.errorDescription).toBe(
			'Check that the input item has the field the expression reads (by default {{ $json.email }}). Nothing was sent to SMASHSEND for this item.',
		);
		expect(output[2].json.error).toContain("The email in 'Email' is empty [item 2]");
		expect(output[3].json.error).toContain(`The email in 'Email' is not a valid address: "not-an-email" [item 3]`);
		expect(output[4].json.error).toContain("The email in 'Email' is not text: 12345 [item 4]");
		const advice = [
			'',
			'Check that the input item has the field the expression reads (by default {{ $json.email }}).',
			'SMASHSEND requires an email for every flow run: map it to a field that holds one, or filter such items out before this node.',
			'Fix the value, or filter such items out before this node.',
			"Map 'Email' to a text field.",
		];
		for (const index of [1, 2, 3, 4]) {
			expect(output[index].error).toBeUndefined();
			expect(output[index].json.errorDescription).toBe(`${advice[index]} Nothing was sent to SMASHSEND for this item.`);
		}
	});

	it('without On Error: Continue, a bad item stops the node before anything is sent', async () => {
		const error = await runExpectingError({ items: mixed });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain("No email in 'Email': it resolved to nothing [item 1]");
		expect(error.description).toContain('4 items have bad data');
		expect(error.context.itemIndex).toBe(1);
		expect(emulator.received).toHaveLength(0);
	});

	it('sends a 1 MB item whole', async () => {
		const big = { email: 'big@example.com', blob: 'x'.repeat(1024 * 1024) };
		const output = await run({ items: [big] });
		expect(emulator.accepted[0].body).toEqual(big);
		expect(output[0].json.flowRunId).toBe(emulator.accepted[0].flowRunId);
	});

	it('fails with a clear message when the credential URL is malformed, sending nothing', async () => {
		const error = await runExpectingError({
			items: contacts,
			credentials: { webhookUrl: 'https://api.smashsend.com/v1/flows/flw_x/call' },
		});
		expect(error.message).toContain('does not end in /v1/flows/{flowId}/{workspaceId}/call');
		expect(error.message).not.toContain('flw_x');
		expect(emulator.received).toHaveLength(0);
	});
});

describe('errors from SMASHSEND (retries off, one item at a time)', () => {
	const once = { options: { maxRetries: 0, concurrency: 1 } };
	const cases: Array<[string, object, number | undefined, RegExp, RegExp]> = [
		[
			'a validation error',
			{ status: 400, body: { error: 'Validation failed', message: 'Custom field too long', statusCode: 400 } },
			400,
			/^SMASHSEND rejected the item: Custom field too long \[item 1\]$/,
			/Fix this item's data/,
		],
		[
			'the nested error shape',
			{ status: 403, body: { error: { code: 'FORBIDDEN', message: 'Webhook disabled' } } },
			403,
			/^SMASHSEND refused the webhook URL: Webhook disabled \[item 1\]$/,
			/copy the URL of its Webhook trigger again/,
		],
		['a rate limit', { status: 429, retryAfter: 30 }, 429, /: Injected failure \[item 1\]$/, /asked to wait 30 s/],
		[
			"a proxy's HTML page",
			{
				status: 502,
				body: '<html><title>502 Bad Gateway</title><body>upstream /v1/flows/flw_T0pS3cretFlow/wrk_T0pS3cretWs/call</body></html>',
			},
			502,
			/: SMASHSEND answered with a text\/html body that is not SMASHSEND's JSON: "502 Bad Gateway" \[item 1\]$/,
			/may or may not have started/,
		],
		[
			'an Express-style 404 page that echoes the webhook path',
			{
				status: 404,
				body: '<!DOCTYPE html><html><body><pre>Cannot POST /v1/flows/flw_T0pS3cretFlow/wrk_T0pS3cretWs/call</pre></body></html>',
			},
			404,
			/: SMASHSEND answered with a text\/html body that is not SMASHSEND's JSON: "Cannot POST \[redacted\]" \[item 1\]$/,
			/does not know this flow webhook/,
		],
		[
			'a 200 without flowRunId',
			{ status: 200, body: { success: true, message: 'queued' } },
			200,
			/^SMASHSEND did not confirm a flow run: SMASHSEND's answer has no flowRunId \(queued\) \[item 1\]$/,
			/may or may not have started/,
		],
		[
			'a 200 with success: false',
			{ status: 200, body: { success: false, message: 'Flow is paused' } },
			200,
			/did not confirm a flow run: SMASHSEND answered success: false \(Flow is paused\) \[item 1\]$/,
			/Check the flow's runs/,
		],
		[
			'a 200 with HTML',
			{ status: 200, body: '<html><title>Captive portal</title></html>' },
			200,
			/did not confirm a flow run: .*"Captive portal" \[item 1\]$/,
			/Check the flow's runs/,
		],
		[
			'a reset connection',
			{ reset: true },
			undefined,
			/^Could not reach SMASHSEND: the connection was reset \[item 1\]$/,
			/ECONNRESET.*may or may not have started/,
		],
	];

	it.each(cases)(
		'%s raises NodeApiError for that item with the server message, status and advice',
		async (_, fault, httpCode, message, advice) => {
			emulator.addFaults([{ ...fault, email: 'grace@example.com' }]);
			const error = await runExpectingError({ items: contacts.slice(0, 3), parameters: once });
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toMatch(message);
			expect(error.description).toMatch(advice);
			expect(error.description).toContain('Flows started for item 0. Not sent: item 2.');
			expect((error as NodeApiError).httpCode ?? undefined).toBe(httpCode === undefined ? undefined : String(httpCode));
			expect(error.context.itemIndex).toBe(1);
			expect(emulator.received.map((r) => (r.body as IDataObject).email)).toEqual(['ada@example.com', 'grace@example.com']);
			expect(leakedSecrets(error, secrets)).toEqual([]);
		},
	);

	it.each(cases)(
		'%s with On Error: Continue outputs the failed item with its error, the others go through',
		async (_, fault, httpCode, message) => {
			emulator.addFaults([{ ...fault, email: 'grace@example.com' }]);
			const output = await run({ items: contacts.slice(0, 3), continueOnFail: true, parameters: once });
			expect(output).toHaveLength(3);
			expect(output[1].json.attempts).toBe(1);
			expect(output[1].pairedItem).toEqual({ item: 1 });
			expect(output[1].error).toBeUndefined();
			expect(output[1].json.error).toMatch(message);
			expect(output[1].json.email).toBe('grace@example.com');
			expect(output[1].json.httpCode).toBe(httpCode === undefined ? undefined : String(httpCode));
			expect(output[0].json.flowRunId).toMatch(/^run_/);
			expect(output[2].json.flowRunId).toMatch(/^run_/);
			expect(emulator.received).toHaveLength(3);
			expect(leakedSecrets(output, secrets)).toEqual([]);
		},
	);

	it('an unknown flow (404) says the flow webhook is unknown', async () => {
		const error = await runExpectingError({
			items: contacts.slice(0, 1),
			credentials: { webhookUrl: emulator.webhookUrl('flw_gone', 'wrk_T0pS3cretWs') },
			parameters: once,
		});
		expect(error.message).toBe('SMASHSEND does not know this flow webhook: Flow not found [item 0]');
		expect((error as NodeApiError).httpCode).toBe('404');
		expect(error.description).toContain('SMASHSEND does not know this flow webhook');
		expect(leakedSecrets(error, ['flw_gone', 'wrk_T0pS3cretWs'])).toEqual([]);
	});

	it('a refused connection says the request never reached SMASHSEND', async () => {
		const closed = createEmulator({ flows: [FLOW] });
		await closed.start();
		const url = closed.webhookUrl(FLOW.flowId, FLOW.workspaceId);
		await closed.stop();
		const error = await runExpectingError({ items: contacts.slice(0, 1), credentials: { webhookUrl: url }, parameters: once });
		expect(error.message).toBe('Could not reach SMASHSEND: the connection was refused [item 0]');
		expect(error.description).toContain('did not reach SMASHSEND (code ECONNREFUSED)');
		expect(leakedSecrets(error, [url, FLOW.flowId, FLOW.workspaceId])).toEqual([]);
	});

	it('a slow answer past the timeout fails the item', async () => {
		emulator.addFaults([{ delayMs: 1500 }]);
		const error = await runExpectingError({ items: contacts.slice(0, 1), parameters: { options: { ...once.options, timeout: 200 } } });
		expect(error.message).toBe('Could not reach SMASHSEND: no answer came before the timeout [item 0]');
		expect(error.description).toContain('may or may not have started');
	});
});
