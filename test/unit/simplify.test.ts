import { contactOutput } from '../../nodes/Smashsend/actions/contact/contactOutput';

describe('Simplify: a contact, flat', () => {
	const contact = {
		id: 'ctc_1',
		createdAt: '2026-11-26T10:00:00.000Z',
		updatedAt: '2026-11-26T10:05:00.000Z',
		workspaceId: 'wrk_1',
		properties: { firstName: 'Ada', email: 'ada@example.com', plan: 'pro' },
	};

	it('puts id and email first, then the fields and custom properties, then the timestamps', () => {
		expect(Object.entries(contactOutput(contact, true))).toEqual([
			['id', 'ctc_1'],
			['email', 'ada@example.com'],
			['firstName', 'Ada'],
			['plan', 'pro'],
			['createdAt', '2026-11-26T10:00:00.000Z'],
			['updatedAt', '2026-11-26T10:05:00.000Z'],
		]);
	});

	it('keeps SMASHSEND’s id and timestamps over custom properties of the same names', () => {
		const clashing = { ...contact, properties: { email: 'ada@example.com', id: 'custom', createdAt: 'custom', updatedAt: 'custom' } };
		expect(contactOutput(clashing, true)).toMatchObject({ id: 'ctc_1', createdAt: contact.createdAt, updatedAt: contact.updatedAt });
		expect(Object.keys(contactOutput(clashing, true))[0]).toBe('id');
	});

	it('without Simplify, the contact as SMASHSEND returned it', () => {
		expect(contactOutput(contact)).toEqual(contact);
		expect(contactOutput(undefined, true)).toEqual({ id: undefined });
	});
});
