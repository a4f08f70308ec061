import { createHash } from 'crypto';

import { Pacer } from './pacer';

/**
 * The pace of calls to one SMASHSEND account or flow, shared by the executions of this n8n
 * process that call it at the same time with the same Rate Limit and Concurrency mode: a
 * 429's Retry-After pauses all of them, a pace learned from it holds for all of them, and a
 * Rate Limit is what they send together. Several executions at once (a webhook called many
 * times, queue mode's worker concurrency) would otherwise each keep their own pace, and
 * together send far more than SMASHSEND takes. Held while an execution uses it; forgotten
 * once none does. Per process: each queue-mode worker has its own.
 */
const paces = new Map<string, { pacer: Pacer; users: number }>();

/** A digest that names an account or a flow without holding its secret. */
export function paceKey(...parts: string[]): string {
	return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

/** The pace for `key` (see paceKey) and these settings; `release()` when the execution is done with it. */
export function sharedPacer(key: string, ratePerSecond: number | undefined, learn: boolean): { pacer: Pacer; release: () => void } {
	const id = `${key}|${ratePerSecond ?? 0}|${learn ? 'auto' : 'fixed'}`;
	let entry = paces.get(id);
	if (!entry) {
		entry = { pacer: new Pacer(ratePerSecond, { learn }), users: 0 };
		paces.set(id, entry);
	}
	entry.users += 1;
	const held = entry;
	let released = false;
	return {
		pacer: held.pacer,
		release: () => {
			if (released) return;
			released = true;
			held.users -= 1;
			if (held.users === 0 && paces.get(id) === held) paces.delete(id);
		},
	};
}

/** How many paces are held now (for tests). */
export function heldPaces(): number {
	return paces.size;
}
