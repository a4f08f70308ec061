import type { INodeExecutionData } from 'n8n-workflow';

import type { KeyScope } from '../helpers/idempotency';

/** What a delivered call produced, kept so that a repeat of the same call can be answered without sending it. */
export interface Remembered<V> {
	value: V;
	attempts: number;
}

/** The same, by the index of a delivery's task: what `deliver()` consults. */
export interface DeliveryMemory<V> {
	recall(index: number): Remembered<V> | undefined;
	remember(index: number, value: V, attempts: number): void;
}

/** The calls one run of the node delivered, by call key. */
export interface RunLedger<V> {
	recall(key: string): Remembered<V> | undefined;
	remember(key: string, value: V, attempts: number): void;
	/** This ledger seen by task index, given each task's call key. */
	memory(keyOf: (index: number) => string): DeliveryMemory<V>;
	/**
	 * The run is over, with these output items, or with an error (undefined). If n8n may run
	 * it again, its calls are kept for the next try; otherwise they are forgotten at once.
	 */
	close(output: INodeExecutionData[] | undefined): void;
}

/**
 * Whether n8n's Retry On Fail runs a node again after this outcome: after a thrown error,
 * and also when the first output item carries an error (n8n's engine checks exactly that).
 */
export function mayBeRetried(output: INodeExecutionData[] | undefined): boolean {
	return output === undefined || Boolean(output[0]?.json.error);
}

interface RunEntries {
	calls: Map<string, Remembered<unknown>>;
	touchedAt: number;
}

/**
 * The calls this n8n process delivered in runs that n8n may run again.
 *
 * n8n's node-level Retry On Fail runs the node again with the same run index and the same
 * items: every item that went through the first time would be sent again. SMASHSEND drops a
 * repeated event messageId or email idempotencyKey, but documents nothing of the kind for
 * flow webhooks, and every repeat costs a call of a rate-limited account. The node
 * therefore remembers, per run, what each delivered call answered, and a later try of the
 * same run answers those items from memory instead of sending them again.
 *
 * Bounded: a run that ends without a failure is forgotten at once; a failed one is kept
 * until no try has touched it for `idleMs` (n8n waits at most 5 s between tries), and the
 * oldest runs go first once more than `maxCalls` calls are held. Retry On Fail happens in
 * the process that ran the node, so memory of the process is enough; a retried *execution*
 * (from n8n's executions list) is a new execution and sends again.
 */
export class DeliveryLedger {
	private readonly runs = new Map<string, RunEntries>();
	private held = 0;

	constructor(
		private readonly limits: { maxCalls: number; idleMs: number },
		private readonly now: () => number = () => Date.now(),
	) {}

	/** How many calls are held, across runs (for tests and diagnostics). */
	get size(): number {
		return this.held;
	}

	forRun<V>(scope: KeyScope): RunLedger<V> {
		const id = `${scope.execution}\u0000${scope.node}\u0000${scope.run}`;
		this.expire();
		this.touch(id);
		const ledger: RunLedger<V> = {
			recall: (key) => this.runs.get(id)?.calls.get(key) as Remembered<V> | undefined,
			remember: (key, value, attempts) => {
				const entries = this.touch(id);
				if (!entries.calls.has(key)) this.held += 1;
				entries.calls.set(key, { value, attempts });
				this.trim(id);
			},
			memory: (keyOf) => ({
				recall: (index) => ledger.recall(keyOf(index)),
				remember: (index, value, attempts) => ledger.remember(keyOf(index), value, attempts),
			}),
			close: (output) => {
				if (mayBeRetried(output)) this.touch(id);
				else this.drop(id);
			},
		};
		return ledger;
	}

	/** Marks a run as just used (and last in line for eviction), creating it if needed. */
	private touch(id: string): RunEntries {
		const entries = this.runs.get(id) ?? { calls: new Map(), touchedAt: 0 };
		entries.touchedAt = this.now();
		this.runs.delete(id);
		this.runs.set(id, entries);
		return entries;
	}

	private drop(id: string): void {
		const entries = this.runs.get(id);
		if (!entries) return;
		this.held -= entries.calls.size;
		this.runs.delete(id);
	}

	private expire(): void {
		const cutoff = this.now() - this.limits.idleMs;
		for (const [id, entries] of this.runs) {
			if (entries.touchedAt >= cutoff) break;
			this.drop(id);
		}
	}

	/** Drops the least recently used runs other than `current` while too many calls are held. */
	private trim(current: string): void {
		for (const id of this.runs.keys()) {
			if (this.held <= this.limits.maxCalls) return;
			if (id !== current) this.drop(id);
		}
	}
}

/** The process-wide ledger the node uses. */
export const deliveredCalls = new DeliveryLedger({ maxCalls: 100_000, idleMs: 15 * 60_000 });
