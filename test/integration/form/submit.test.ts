import { type IDataObject } from 'n8n-workflow';

import { useRestEmulator } from '../../support/restEmulator';
import { restNode, VIEWER } from '../../support/restNode';

/**
 * Form → Submit: sign-ups into a hosted form by its public key, deduplicated by SMASHSEND per
 * form and email, so that a retry after a lost answer signs no one up twice.
 */

const emulator = useRestEmulator();
const { run } = restNode(emulator, { typeVersion: 4, parameters: { resource: 'form', operation: 'submit', formKey: 'pk_your_form_key' } });
const quick = { rateLimit: 0, retryAndTimeout: { settings: { maxRetryWait: 0 } } };
const answers = (value: IDataObject) => ({ mappingMode: 'defineBelow', value });
const submits = () => emulator.received.filter((r) => r.method === 'POST' && r.path === '/v1/forms/pk_your_form_key/submit');

describe('Form: Submit', () => {
	it('signs each person up with their answers; the entry is PENDING where the form asks to confirm (double opt-in)', async () => {
		const output = await run({
			items: [
				{ email: 'ada@example.com', name: 'Ada', role: 'founder' },
				{ email: 'bob@example.com', name: 'Bob', role: 'engineer' },
			],
			parameters: {
				answers: answers({ firstName: (json: IDataObject) => json.name, role: (json: IDataObject) => json.role, company: '' }),
				additionalFields: { countryCode: 'es' },
				options: quick,
			},
		});
		expect(output.map((item) => item.json)).toEqual([
			{ id: expect.stringMatching(/^fen_/), publicId: expect.any(String), status: 'PENDING', email: 'ada@example.com', success: true },
			{ id: expect.stringMatching(/^fen_/), publicId: expect.any(String), status: 'PENDING', email: 'bob@example.com', success: true },
		]);
		// Empty answers are not sent; the country is SMASHSEND's two capitals.
		expect(submits().map((r) => r.body)).toEqual([
			{ email: 'ada@example.com', answers: { firstName: 'Ada', role: 'founder' }, countryCode: 'ES' },
			{ email: 'bob@example.com', answers: { firstName: 'Bob', role: 'engineer' }, countryCode: 'ES' },
		]);
		expect(emulator.rest.forms.entries.map((e) => e.email)).toEqual(['ada@example.com', 'bob@example.com']);
	});

	it('after an answer lost on the way back, the retry gets the same entry: one sign-up', async () => {
		emulator.addFaults([{ path: 'POST /v1/forms/pk_your_form_key/submit', acceptThenFail: true, reset: true }]);
		const [item] = await run({
			items: [{ email: 'ada@example.com' }],
			parameters: { answers: answers({ firstName: 'Ada' }), options: quick },
		});
		expect(item.json).toMatchObject({ email: 'ada@example.com', status: 'PENDING', success: true });
		expect(submits().map((r) => r.status)).toEqual([0, 200]);
		expect(emulator.rest.forms.entries).toHaveLength(1);
		expect(item.json.id).toBe(emulator.rest.forms.entries[0].id);
	});

	it("credits the sharer of a referral code; Other Answers fill what the form's fields do not (they lose to the fields)", async () => {
		const [first] = await run({
			items: [{ email: 'ada@example.com' }],
			parameters: { answers: answers({ firstName: 'Ada' }), options: quick },
		});
		const code = emulator.rest.forms.entries[0].referralCode;
		await run({
			items: [{ email: 'bob@example.com' }],
			parameters: {
				answers: answers({ firstName: 'Bob' }),
				additionalFields: {
					referralCode: code,
					otherAnswers: {
						answer: [
							{ key: 'seats', value: '3' },
							{ key: 'firstName', value: 'Robert' },
						],
					},
				},
				options: quick,
			},
		});
		expect(submits().at(-1)?.body).toEqual({ email: 'bob@example.com', answers: { seats: '3', firstName: 'Bob' }, referralCode: code });
		expect(emulator.rest.forms.entries.find((e) => e.id === first.json.id)).toMatchObject({ points: 10, referralCount: 1 });
	});

	it('a bad item fails alone before anything is sent for it: an address, a country, a key with a slash', async () => {
		const output = await run({
			items: [
				{ email: 'not an address' },
				{ email: 'ada@example.com', country: 'Spain' },
				{ email: 'bob@example.com', form: 'pk_x/../../contacts' },
				{ email: 'cy@example.com' },
			],
			continueOnFail: true,
			parameters: {
				formKey: (json: IDataObject) => json.form ?? 'pk_your_form_key',
				answers: answers({ firstName: 'X' }),
				additionalFields: { countryCode: (json: IDataObject) => json.country ?? '' },
				options: quick,
			},
		});
		expect(output.map((item) => item.json.error ?? item.json.email)).toEqual([
			expect.stringContaining('[item 0]'),
			'\'Country Code\' is not a country code: "Spain" [item 1]',
			'\'Form Public Key\' is not a valid value: "pk_x/../../contacts" [item 2]',
			'cy@example.com',
		]);
		expect(submits().map((r) => (r.body as IDataObject).email)).toEqual(['cy@example.com']);
	});

	it("a form's refusal (a required answer missing) fails that item with SMASHSEND's message; a public form takes a VIEWER key", async () => {
		const output = await run({
			apiKey: VIEWER,
			items: [{ email: 'ada@example.com' }, { email: 'bob@example.com', name: 'Bob' }],
			continueOnFail: true,
			parameters: { answers: answers({ firstName: (json: IDataObject) => json.name ?? '' }), options: quick },
		});
		expect(output[0].json.error).toBe('SMASHSEND rejected the item: firstName is required [item 0]');
		expect(output[1].json).toMatchObject({ email: 'bob@example.com', status: 'PENDING' });
	});
});
