import { type IDataObject } from 'n8n-workflow';

import { useRestEmulator } from '../../support/restEmulator';
import { restNode } from '../../support/restNode';

/** Form → Get, Get Entry Position, Get Leaderboard, Get Entry Rewards: a form and its referral waitlist. */

const emulator = useRestEmulator();
const form = restNode(emulator, { typeVersion: 4, parameters: { resource: 'form' } });
const quick = { rateLimit: 0 };
const json = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json);

/** Ada shares her code with Bob and Cy: 20 points, first on the board; Bob and Cy after her. */
async function waitlist() {
	const submit = (email: string, referralCode?: string) =>
		form.run({
			items: [{}],
			parameters: {
				operation: 'submit',
				formKey: 'pk_your_form_key',
				email,
				answers: { mappingMode: 'defineBelow', value: { firstName: email.split('@')[0] } },
				additionalFields: referralCode ? { referralCode } : {},
				options: quick,
			},
		});
	await submit('ada@example.com');
	const code = emulator.rest.forms.entries[0].referralCode;
	await submit('bob@example.com', code);
	await submit('cy@example.com', code);
	return emulator.rest.forms.entries[0];
}

describe('Form: Get and the waitlist', () => {
	it('Get: the form with its fields; a password-protected one gives its fields only with the password', async () => {
		const [waitlistForm] = json(
			await form.run({ items: [{}], parameters: { operation: 'get', formKey: 'pk_your_form_key', options: quick } }),
		);
		expect(waitlistForm).toMatchObject({ id: 'frm_your_form_id', displayName: 'Waitlist', status: 'PUBLISHED' });
		expect((waitlistForm.fields as IDataObject[]).map((f) => f.key)).toEqual(['email', 'firstName', 'company', 'role', 'seats']);
		const locked = await form.run({ items: [{}], parameters: { operation: 'get', formKey: 'pk_private_form', options: quick } });
		const open = await form.run({
			items: [{}],
			parameters: { operation: 'get', formKey: 'pk_private_form', additionalFields: { password: 'open-sesame' }, options: quick },
		});
		expect([locked[0].json.fields, (open[0].json.fields as IDataObject[]).length]).toEqual([[], 1]);
	});

	it('Get Entry Position: by email or by entry ID, with points and referrals', async () => {
		const ada = await waitlist();
		const output = await form.run({
			items: [{ email: 'ada@example.com' }, { id: emulator.rest.forms.entries[2].id }],
			parameters: {
				operation: 'getEntryPosition',
				formId: 'frm_your_form_id',
				entry: (item: IDataObject) => item.email ?? item.id,
				options: quick,
			},
		});
		expect(json(output)).toEqual([
			{ entry: 'ada@example.com', position: 1, points: 20, referralCount: 2, participantCount: 3 },
			{ entry: emulator.rest.forms.entries[2].id, position: 3, points: 0, referralCount: 0, participantCount: 3 },
		]);
		expect(ada.points).toBe(20);
	});

	it('Get Leaderboard: one item per person, best first, up to the Limit', async () => {
		await waitlist();
		const top = await form.run({
			items: [{}],
			parameters: { operation: 'getLeaderboard', formId: 'frm_your_form_id', limit: 2, options: quick },
		});
		expect(json(top).map((row) => [row.rank, row.email, row.points])).toEqual([
			[1, 'ada@example.com', 20],
			[2, 'bob@example.com', 0],
		]);
		const all = await form.run({
			items: [{}],
			parameters: { operation: 'getLeaderboard', formId: 'frm_your_form_id', returnAll: true, options: quick },
		});
		expect(all).toHaveLength(3);
	});

	it("Get Entry Rewards: a person's points, each referral, over SMASHSEND's pages", async () => {
		const ada = await waitlist();
		const output = await form.run({
			items: [{ id: ada.id }],
			parameters: {
				operation: 'getEntryRewards',
				formId: 'frm_your_form_id',
				entryId: (item: IDataObject) => item.id,
				returnAll: true,
				options: quick,
			},
		});
		expect(json(output).map((r) => [r.type, r.points, r.status])).toEqual([
			['REFERRAL', 10, 'APPROVED'],
			['REFERRAL', 10, 'APPROVED'],
		]);
	});

	it('an entry SMASHSEND does not have fails its item with what to check', async () => {
		const [item] = await form.run({
			items: [{ email: 'nobody@example.com' }],
			continueOnFail: true,
			parameters: { operation: 'getEntryPosition', formId: 'frm_your_form_id', entry: (item: IDataObject) => item.email, options: quick },
		});
		expect(item.json.error).toBe('SMASHSEND rejected the item: Entry not found [item 0]');
	});
});
