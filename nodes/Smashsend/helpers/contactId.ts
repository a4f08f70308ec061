/**
 * The one rule for a contact id, wherever it comes from (typed, mapped, picked from the list,
 * found by email). SMASHSEND's ids are `ctc_…` in its documentation and UUIDs in its SDK's
 * README (its tests use `contact-123`), so any id SMASHSEND gives is taken, as long as it
 * cannot change the request's path: not `.`, no `..`, `/`, `\`, `?`, `#`, `%`, whitespace or
 * control characters (docs/api-contract.md, "Contact ids").
 */
export const CONTACT_ID_RULE = 'A contact ID holds no spaces, slashes, ?, #, % or "..", and is not "."';

/** The editor's check of a typed ID (n8n compiles it without the `u` flag: no \p{…} here). */
export const CONTACT_ID_PATTERN = '^(?!\\.$)(?!.*\\.\\.)[^/\\\\?#%\\s\\x00-\\x1f\\x7f]{1,256}$';

const EDITOR_SHAPE = new RegExp(CONTACT_ID_PATTERN);
/**
 * Format characters (zero-width, bidi marks), line separators, which the editor's pattern cannot
 * name, and half of a character (a lone surrogate: text cut inside an emoji), which no address can hold.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** Whether `id` is a contact id the node may put into a request's path. */
export function isContactId(id: unknown): id is string {
	return typeof id === 'string' && EDITOR_SHAPE.test(id) && !INVISIBLE.test(id);
}
