import { CONTACT_ID_PATTERN, isContactId } from '../../nodes/Smashsend/helpers/contactId';

describe('the contact-id rule', () => {
	it.each([
		['a UUID (the SDK README)', '6f1c2a9e-3b4d-4e5f-8a9b-0c1d2e3f4a5b'],
		['ctc_… (the documentation)', 'ctc_2b7e1f9a0c'],
		["the SDK tests' contact-123", 'contact-123'],
		['a dot inside', 'ctc.v2.1'],
		['a colon and a plus', 'wrk:ctc+1'],
	])('takes %s', (_, id) => {
		expect(isContactId(id)).toBe(true);
		expect(new RegExp(CONTACT_ID_PATTERN).test(id)).toBe(true);
	});

	it.each([
		['.', '.'],
		['..', '..'],
		['a path', 'ctc_1/../x'],
		['".." inside', 'a..b'],
		['a backslash', 'a\\b'],
		['a query', 'a?b=1'],
		['a fragment', 'a#b'],
		['an encoded character', '%2e%2e'],
		['a space', 'ctc 1'],
		['a tab', 'ctc\t1'],
		['nothing', ''],
		['a newline', 'ctc_1\n'],
		['more than 256 characters', 'x'.repeat(257)],
	])('refuses %s, in the editor and at run time', (_, id) => {
		expect(isContactId(id)).toBe(false);
		expect(new RegExp(CONTACT_ID_PATTERN).test(id)).toBe(false);
	});

	it('refuses invisible characters the editor pattern cannot name, and what is not text', () => {
		expect(isContactId('ctc_1\u200b')).toBe(false);
		expect(isContactId('ctc\u202e1')).toBe(false);
		expect(isContactId(42)).toBe(false);
		expect(isContactId(undefined)).toBe(false);
	});
});
