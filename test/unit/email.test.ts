import { checkEmail } from '../../nodes/Smashsend/helpers/emailAddress';

describe('checkEmail', () => {
	it('trims a valid address', () => {
		expect(checkEmail('  ada@example.com \n')).toEqual({ ok: true, email: 'ada@example.com' });
	});

	it.each([
		['missing', undefined, "No email in 'Email'"],
		['null', null, "No email in 'Email'"],
		['empty', '', "The email in 'Email' is empty"],
		['blank', '   ', "The email in 'Email' is empty"],
		['a number', 42, 'is not text: 42'],
		['an object', { email: 'a@b.co' }, 'is not text: {"email":"a@b.co"}'],
		['without @', 'ada.example.com', 'is not a valid address: "ada.example.com"'],
		['with a space', 'ada lovelace@example.com', 'not a valid address'],
		['without a domain dot', 'ada@localhost', 'not a valid address'],
	])('rejects an email that is %s, saying why and showing the value', (_, value, reason) => {
		const result = checkEmail(value);
		expect(result.ok).toBe(false);
		expect(!result.ok && `${result.message}. ${result.description}`).toContain(reason);
	});

	it.each([
		['a zero-width space', 'ada\u200B@example.com', 'U+200B'],
		['a zero-width joiner', 'ada@exa\u200Dmple.com', 'U+200D'],
		['a soft hyphen', 'ada@exam\u00ADple.com', 'U+00AD'],
		['a right-to-left mark', 'ada@example.com\u200Fx', 'U+200F'],
		['a control character', 'ada@exa\u0007mple.com', 'U+0007'],
	])('rejects an address with %s, naming the character', (_, value, codePoint) => {
		const result = checkEmail(value);
		expect(result.ok).toBe(false);
		expect(!result.ok && `${result.message}. ${result.description}`).toContain(`invisible character (${codePoint})`);
	});

	it('shortens a very long value in its message', () => {
		const result = checkEmail('x'.repeat(500));
		expect(!result.ok && result.message.length).toBeLessThan(200);
	});

	it('accepts unicode and plus addressing', () => {
		expect(checkEmail('zoë+news@exämple.de')).toEqual({ ok: true, email: 'zoë+news@exämple.de' });
	});
});
