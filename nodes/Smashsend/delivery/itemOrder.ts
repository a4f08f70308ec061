/**
 * One ordering rule for every delivery: the items of one key (one contact, by its email or its
 * id; one property, by its id) are carried out in input order. A later item of a key starts
 * only once every earlier one is settled (delivered, or failed for good), so whatever was
 * retried, the data that stays in SMASHSEND is the last item's. Items of other keys, and items
 * without a key, are never held back: concurrency across contacts is untouched.
 *
 * An item delivered after an earlier item of its key did not go through is not to be remembered
 * for n8n's Retry On Fail (`earlierFailed`): the next try then sends both again, in order,
 * instead of only the earlier one, which would land last.
 */
export class ItemOrder {
	/** Per key, its items not settled yet, in input order, from `head`. */
	private readonly lines = new Map<string, { indices: number[]; head: number }>();
	/** Each keyed item's key. */
	private readonly keys = new Map<number, string>();
	/** Keys of which an item did not go through. */
	private readonly failedKeys = new Set<string>();
	/** The items that may start now, smallest index first (a binary heap). */
	private readonly ready: number[] = [];

	/** `indices` in input order; `keyOf` gives an item's key (undefined: the item is held back by nothing). */
	constructor(indices: number[], keyOf?: (index: number) => string | undefined) {
		for (const index of indices) {
			const key = keyOf?.(index);
			if (key === undefined) {
				this.push(index);
				continue;
			}
			this.keys.set(index, key);
			const line = this.lines.get(key);
			if (line) line.indices.push(index);
			else {
				this.lines.set(key, { indices: [index], head: 0 });
				this.push(index);
			}
		}
	}

	/** Whether no earlier item of its key is still to settle. */
	isReady(index: number): boolean {
		const key = this.keys.get(index);
		if (key === undefined) return true;
		const line = this.lines.get(key);
		return line === undefined || line.indices[line.head] === index;
	}

	/** The first item (by input order) that may start now, taken; undefined when none may. */
	take(): number | undefined {
		const { ready } = this;
		if (ready.length === 0) return undefined;
		const first = ready[0];
		const last = ready.pop() as number;
		if (ready.length > 0) {
			ready[0] = last;
			this.siftDown(0);
		}
		return first;
	}

	/**
	 * The item is settled: `wentThrough` when it was delivered. The next item of its key may
	 * start (`take` gives it, and it is returned).
	 */
	settle(index: number, wentThrough: boolean): number | undefined {
		const key = this.keys.get(index);
		if (key === undefined) return undefined;
		this.keys.delete(index);
		if (!wentThrough) this.failedKeys.add(key);
		const line = this.lines.get(key);
		if (!line) return undefined;
		if (line.indices[line.head] === index) line.head += 1;
		else {
			// Settled without being started (the delivery stopped): it holds nothing back any more.
			const at = line.indices.indexOf(index, line.head);
			if (at !== -1) line.indices.splice(at, 1);
			return undefined;
		}
		if (line.head >= line.indices.length) {
			this.lines.delete(key);
			return undefined;
		}
		const next = line.indices[line.head];
		this.push(next);
		return next;
	}

	/** Whether an earlier item of the same key did not go through (asked once the earlier ones are settled). */
	earlierFailed(index: number): boolean {
		const key = this.keys.get(index);
		return key !== undefined && this.failedKeys.has(key);
	}

	private push(index: number): void {
		const { ready } = this;
		ready.push(index);
		let at = ready.length - 1;
		while (at > 0) {
			const parent = (at - 1) >> 1;
			if (ready[parent] <= ready[at]) break;
			[ready[parent], ready[at]] = [ready[at], ready[parent]];
			at = parent;
		}
	}

	private siftDown(from: number): void {
		const { ready } = this;
		let at = from;
		for (;;) {
			const left = 2 * at + 1;
			const right = left + 1;
			let smallest = at;
			if (left < ready.length && ready[left] < ready[smallest]) smallest = left;
			if (right < ready.length && ready[right] < ready[smallest]) smallest = right;
			if (smallest === at) return;
			[ready[smallest], ready[at]] = [ready[at], ready[smallest]];
			at = smallest;
		}
	}
}
