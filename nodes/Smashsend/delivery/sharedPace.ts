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
const paces = new Map<string, { pacer: Pacer; users: number; limits: Set<{ limit: number }> }>();

/**
 * The pace for `key` (shared/keys.ts `paceKey`) and these settings; `release()` when the execution is done
 * with it. `limit`: the execution's Concurrency: Auto limit. After a 429 pause the calls of
 * every execution holding the pace go out together: the first wave the pace must not learn
 * from is all of them (the sum of the holders' limits), not one execution's.
 */
export function sharedPacer(
	key: string,
	ratePerSecond: number | undefined,
	learn: boolean,
	limit?: { limit: number },
): { pacer: Pacer; release: () => void } {
	const id = `${key}|${ratePerSecond ?? 0}|${learn ? 'auto' : 'fixed'}`;
	let entry = paces.get(id);
	if (!entry) {
		const limits = new Set<{ limit: number }>();
		const pacer = new Pacer(ratePerSecond, { learn, wave: () => [...limits].reduce((sum, held) => sum + held.limit, 0) });
		entry = { pacer, users: 0, limits };
		paces.set(id, entry);
	}
	entry.users += 1;
	if (limit) entry.limits.add(limit);
	const held = entry;
	let released = false;
	return {
		pacer: held.pacer,
		release: () => {
			if (released) return;
			released = true;
			held.users -= 1;
			if (limit) held.limits.delete(limit);
			if (held.users === 0 && paces.get(id) === held) paces.delete(id);
		},
	};
}

/** How many paces are held now (for tests). */
export function heldPaces(): number {
	return paces.size;
}
