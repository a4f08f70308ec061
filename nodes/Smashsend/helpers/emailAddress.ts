import { BROKEN_TEXT_ADVICE, hasBrokenCharacter } from './text';

// Deliberately permissive: SMASHSEND is the judge of deliverability; this only catches
// values that cannot be an address at all (a name in the email column, a missing @, spaces).
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;
/** Characters nobody sees: controls, format characters (zero-width space, joiners, BOM, bidi marks), line separators. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const MAX_SHOWN = 80;

/** A bad address: what is wrong (`message`) and what to do (`description`), in n8n's guidelines' form. */
export type EmailCheck = { ok: true; email: string } | { ok: false; message: string; description: string };

/** How a value is shown in an error message: short, quoted, never an object dump. */
export function showValue(value: unknown): string {
	if (value === undefined) return 'undefined';
	let text: string;
	try {
		text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
	} catch {
		text = String(value);
	}
	return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/**
 * @param parameter the parameter's name as users see it ("Email", "To", "From")
 * @param purpose why an address is needed: what to do about an empty value
 */
export function checkEmail(
	value: unknown,
	parameter = 'Email',
	purpose = 'SMASHSEND requires an email for every flow run: map it to a field that holds one, or filter such items out before this node.',
): EmailCheck {
	if (value === undefined || value === null) {
		return {
			ok: false,
			message: `No email in '${parameter}': it resolved to nothing`,
			description: 'Check that the input item has the field the expression reads (by default {{ $json.email }}).',
		};
	}
	if (typeof value !== 'string') {
		return {
			ok: false,
			message: `The email in '${parameter}' is not text: ${showValue(value)}`,
			description: `Map '${parameter}' to a text field.`,
		};
	}
	const email = value.trim();
	if (email === '') {
		return { ok: false, message: `The email in '${parameter}' is empty`, description: purpose };
	}
	if (hasBrokenCharacter(email)) {
		return {
			ok: false,
			message: `The email in '${parameter}' has half of a character in it: ${showValue(value)}`,
			description: BROKEN_TEXT_ADVICE,
		};
	}
	const invisible = INVISIBLE.exec(email);
	if (invisible) {
		const codePoint = `U+${(invisible[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
		return {
			ok: false,
			message: `The email in '${parameter}' has an invisible character (${codePoint}) in it: ${showValue(value)}`,
			description: 'Such characters are often left by copy and paste. Remove it from the data, or filter such items out before this node.',
		};
	}
	if (!EMAIL_SHAPE.test(email)) {
		return {
			ok: false,
			message: `The email in '${parameter}' is not a valid address: ${showValue(value)}`,
			description: 'Fix the value, or filter such items out before this node.',
		};
	}
	return { ok: true, email };
}

/** `Name <addr>`: a sender with the name recipients see (SMASHSEND's SDK takes `from` in this form). */
const NAMED_ADDRESS = /^([^<>]*)<([^<>]*)>$/;

/**
 * A sender as SMASHSEND takes it: an address, or `Name <addr>`; the address is checked as any
 * email is. `from` is what to send (trimmed; a name kept as given).
 */
export function checkSender(
	value: unknown,
	parameter = 'From',
): { ok: true; from: string; address: string } | Extract<EmailCheck, { ok: false }> {
	const named = typeof value === 'string' ? NAMED_ADDRESS.exec(value.trim()) : null;
	const checked = checkEmail(
		named ? named[2] : value,
		parameter,
		'Map it to a field that holds an address, or filter such items out before this node.',
	);
	if (!checked.ok) return checked;
	if (!named) return { ok: true, from: checked.email, address: checked.email };
	const name = named[1].trim();
	return { ok: true, from: name === '' ? checked.email : `${name} <${checked.email}>`, address: checked.email };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * An email body written as text, as HTML: SMASHSEND needs `html` for an email written here,
 * so text alone is sent as that text, escaped, with its line breaks kept (`<br>`).
 */
export function textToHtml(text: string): string {
	return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]).replace(/\r\n|\r|\n/g, '<br>\n');
}
