/** Values given as a list (from an expression) or as text separated by commas: trimmed, the empty ones left out. */
export function listOf(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(',');
	return list.map((v) => String(v).trim()).filter((v) => v !== '');
}
