import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { SmashsendApi } from '../../../credentials/SmashsendApi.credentials';
import { createEmulator } from '../../../emulator/server';
import { Smashsend } from '../../../nodes/Smashsend/Smashsend.node';
import { executeContext, type ContextOptions } from '../../support/executeContext';
import { authenticatedHttpRequest } from '../../support/n8nHttp';
import { startSink } from '../../support/sink';

/**
 * Data that would reach SMASHSEND other than it looks: each bad item fails alone, with its
 * index and the reason, before anything is sent for it; the others go through once.
 */

const FLOW = { flowId: 'flw_BadInput', workspaceId: 'wrk_BadInput' };
const emulator = createEmulator({ flows: [FLOW] });
beforeAll(async () => await emulator.start());
afterAll(async () => await emulator.stop());
beforeEach(() => emulator.reset());

async function run(options: Omit<ContextOptions, 'credentials' | 'continueOnFail'>): Promise<INodeExecutionData[]> {
	const flow = options.parameters?.resource === undefined;
	const credentials: Record<string, string> = flow
		? { webhookUrl: emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId) }
		: { apiKey: 'sk_live_emulator_editor', baseUrl: emulator.url };
	const authenticate = new SmashsendApi().authenticate;
	const context = executeContext({
		...options,
		parameters: { options: { rateLimit: 0 }, ...options.parameters },
		credentials,
		continueOnFail: true,
		httpRequestWithAuthentication: authenticatedHttpRequest(authenticate, credentials),
	});
	const [output] = await new Smashsend().execute.call(context);
	return output;
}

const errors = (output: INodeExecutionData[]) => output.map((item) => item.json.error);

describe('form encodings (Trigger a Flow)', () => {
	it.each(['multipart', 'urlencoded'])(
		'%s: a field that would change email, a lone surrogate and a __proto__ key fail alone',
		async (bodyContentType) => {
			const items: IDataObject[] = [
				{ email: 'a@example.com', 'email[]': 'b@example.com' },
				{ email: 'c@example.com', 'email[x]': 'd' },
				{ email: 'e@example.com', name: 'Zo\uD83D' },
				{ email: 'f@example.com', profile: JSON.parse('{"__proto__": "x"}') as IDataObject },
				{ email: 'g@example.com', '': { email: 'evil@example.com' } },
				{ email: 'h@example.com', constructor: 'x' },
				{ email: 'ok@example.com', name: 'Zoë 🚀', address: { city: 'Paris' } },
			];
			const output = await run({ items, parameters: { options: { bodyContentType } } });
			expect(errors(output).slice(0, 6)).toEqual([
				expect.stringContaining(
					'The field named "email[]" cannot be sent in a form encoding, which reads [ ] in a name as nesting [item 0]',
				),
				expect.stringContaining(
					'The field named "email[x]" cannot be sent in a form encoding, which reads [ ] in a name as nesting [item 1]',
				),
				expect.stringContaining('The text in "name" is not valid Unicode (a lone surrogate), which a form encoding cannot carry [item 2]'),
				expect.stringContaining('The field named "__proto__" in "profile" would be dropped by form parsers [item 3]'),
				expect.stringContaining('A field has an empty name, which a form encoding cannot send as a field of its own [item 4]'),
				expect.stringContaining('The field named "constructor" would be dropped by form parsers [item 5]'),
			]);
			expect(output[6].json.flowRunId).toMatch(/^run_/);
			expect(emulator.received.map((r) => r.body)).toEqual([{ email: 'ok@example.com', name: 'Zoë 🚀', address: { city: 'Paris' } }]);
		},
	);

	it('the same data goes through as JSON', async () => {
		const output = await run({ items: [{ email: 'a@example.com', 'email[]': 'b@example.com' }] });
		expect(output[0].json.flowRunId).toMatch(/^run_/);
		expect(emulator.received[0].body).toEqual({ email: 'a@example.com', 'email[]': 'b@example.com' });
	});

	it('a defined field named __proto__ fails its item instead of vanishing', async () => {
		const fields = {
			assignments: [
				{ name: '__proto__', value: 'x', type: 'string' },
				{ name: 'plan', value: 'pro', type: 'string' },
			],
		};
		const output = await run({ items: [{ email: 'a@example.com' }], parameters: { payloadMode: 'definedFields', fields } });
		expect(errors(output)).toEqual([
			expect.stringContaining(`A field in 'Fields to Send' is named "__proto__", which cannot be sent [item 0]`),
		]);
		expect(emulator.received).toHaveLength(0);
	});
});

describe('emails with invisible characters', () => {
	it('fail alone, naming the character; the clean address goes through', async () => {
		const output = await run({ items: [{ email: 'ada\u200B@example.com' }, { email: 'grace@example.com' }] });
		expect(errors(output)[0]).toContain(`The email in 'Email' has an invisible character (U+200B) in it: "ada\u200B@example.com" [item 0]`);
		expect(emulator.received.map((r) => (r.body as IDataObject).email)).toEqual(['grace@example.com']);
	});
});

describe('Contact IDs', () => {
	beforeEach(() => emulator.rest.seedContacts([{ email: 'ada@example.com' }]));
	const ada = () => String(emulator.rest.contacts[0].id);

	it.each([
		['get', {}],
		['update', { contactFields: { lastName: 'L' } }],
		['delete', { deleteBy: 'id' }],
	])(
		'%s: ".", "..", a path and an empty ID fail alone and reach nothing; the UUID SMASHSEND gave goes through',
		async (operation, extra) => {
			const id = ada();
			const ids = ['.', '..', 'ctc_1/../x', '', ' ', '%2e%2e', id];
			const output = await run({
				items: ids.map((id) => ({ id })),
				parameters: { resource: 'contact', operation, contactId: (json: IDataObject) => json.id, ...extra },
			});
			expect(errors(output).slice(0, 6)).toEqual([
				`'Contact ID' is not a valid contact ID: "." [item 0]`,
				`'Contact ID' is not a valid contact ID: ".." [item 1]`,
				`'Contact ID' is not a valid contact ID: "ctc_1/../x" [item 2]`,
				"'Contact ID' is empty [item 3]",
				"'Contact ID' is empty [item 4]",
				`'Contact ID' is not a valid contact ID: "%2e%2e" [item 5]`,
			]);
			expect(output[6].json.error).toBeUndefined();
			expect(emulator.received.map((r) => r.path)).toEqual([`/v1/contacts/${id}`]);
		},
	);
});

describe('where the API key may travel', () => {
	it('never follows a redirect: the key stays with SMASHSEND and the item says what happened', async () => {
		const sink = await startSink();
		try {
			emulator.addFaults([{ path: 'POST /v1/contacts', status: 302, headers: { location: `${sink.url}/v1/contacts` } }]);
			const output = await run({ items: [{ email: 'ada@example.com' }], parameters: { resource: 'contact', operation: 'upsert' } });
			expect(output[0].json.error).toMatch(/^The Base URL redirected elsewhere: .* \[item 0\]$/);
			expect(output[0].json.httpCode).toBe('302');
			expect(output[0].json.errorDescription).toContain('never follows');
			expect(sink.received).toHaveLength(0);
		} finally {
			await sink.close();
		}
	});

	it('refuses a plain-http Base URL other than localhost before sending anything', async () => {
		const context = executeContext({
			items: [{ email: 'ada@example.com' }],
			parameters: { resource: 'contact', operation: 'upsert', options: {} },
			credentials: { apiKey: 'sk_live_emulator_editor', baseUrl: 'http://api.smashsend.example' },
			httpRequestWithAuthentication: authenticatedHttpRequest(new SmashsendApi().authenticate, {}),
		});
		await expect(new Smashsend().execute.call(context)).rejects.toThrow('must start with https://');
	});
});
