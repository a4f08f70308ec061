/** Every place a secret could leak to: messages, descriptions, output json, serialised errors. */
export function leakedSecrets(value: unknown, secrets: string[]): string[] {
	const seen = new Set<unknown>();
	const texts: string[] = [];
	const visit = (v: unknown) => {
		if (typeof v === 'string') texts.push(v);
		else if (typeof v === 'object' && v !== null && !seen.has(v)) {
			seen.add(v);
			if (v instanceof Error) {
				texts.push(v.message, v.stack ?? '');
			}
			for (const key of Object.getOwnPropertyNames(v)) {
				visit((v as Record<string, unknown>)[key]);
			}
		}
	};
	visit(value);
	const all = texts.join('\n');
	return secrets.filter((s) => all.includes(s));
}
