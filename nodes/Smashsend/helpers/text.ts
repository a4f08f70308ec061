/**
 * Text cut inside a character beyond U+FFFF (an emoji, say: `"👍".slice(0, 1)`) leaves half of
 * it, a lone surrogate. JSON can carry one, but an address or a header cannot: percent-encoding
 * it throws. So such text is refused where it would become part of a request's address.
 */
const BROKEN = /\p{Cs}/u;

/** Whether `text` holds half of a character (a lone surrogate). */
export function hasBrokenCharacter(text: string): boolean {
	return BROKEN.test(text);
}

/** What to do about text with half a character, for an item's error. */
export const BROKEN_TEXT_ADVICE =
	'The text was cut in the middle of an emoji or another symbol, so half of it is left, and such text cannot be sent. Fix the text in an earlier node (cut text with Array.from(text).slice(…) rather than text.slice(…)), or filter such items out.';

/** The first place in `value` (its path, "qs.search") that holds text with half a character; undefined when none does. */
export function findBrokenText(value: unknown, path = ''): string | undefined {
	if (typeof value === 'string') return hasBrokenCharacter(value) ? path : undefined;
	if (Array.isArray(value)) {
		for (const [index, entry] of value.entries()) {
			const found = findBrokenText(entry, `${path}[${index}]`);
			if (found !== undefined) return found;
		}
		return undefined;
	}
	if (typeof value === 'object' && value !== null) {
		for (const [key, entry] of Object.entries(value)) {
			const at = path === '' ? key : `${path}.${key}`;
			if (hasBrokenCharacter(key)) return at;
			const found = findBrokenText(entry, at);
			if (found !== undefined) return found;
		}
	}
	return undefined;
}
