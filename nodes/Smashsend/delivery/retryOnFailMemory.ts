import type { INodeExecutionData } from 'n8n-workflow';

import type { KeyScope } from '../../shared/keys';

/**
 * What an earlier try of the same call came to: delivered (with what it produced), or
 * failed after the call may have arrived, under At Most Once (so that a later try does not
 * send it again either).
 */
export type Remembered<V, F> =
	| { delivered: true; value: V; attempts: number }
	| { delivered: false; failure: F; attempts: number; history: string[] };

/** The same, by the index of a delivery's task: what `deliver()` consults. */
export interface TaskMemory<V, F> {
	recall(index: number): Remembered<V, F> | undefined;
	remember(index: number, outcome: Remembered<V, F>): void;
	/** An attempt of an earlier try that may have been carried out, though the call failed (its label). */
	lost(index: number): string | undefined;
	noteLost(index: number, label: string): void;
}

/** The calls one run of the node delivered (or must not send again), by call key. */
export interface RunMemory<V, F> {
	/**
	 * An earlier try of this run failed, and what it delivered was dropped to keep the memory
	 * bounded: nothing of it can be sent again without risking a second delivery.
	 */
	readonly dropped: boolean;
	recall(key: string): Remembered<V, F> | undefined;
	remember(key: string, outcome: Remembered<V, F>): void;
	/**
	 * A call that failed after an attempt that may have been carried out (At Least Once sends it
	 * again): the next try's failure then says it may have been done, whatever its own answers.
	 */
	lost(key: string): string | undefined;
	noteLost(key: string, label: string): void;
	/** This memory seen by task index, given each task's call key. */
	memory(keyOf: (index: number) => string): TaskMemory<V, F>;
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
	calls: Map<string, Remembered<unknown, unknown>>;
	/** Calls that failed after an attempt that may have been carried out: that attempt's label. */
	lost: Map<string, string>;
	/** Until closed, a run is never dropped: its next try may be hours of retries away. */
	open: boolean;
	closedAt: number;
}

/**
 * What this n8n process delivered in runs of nodes that have n8n's Retry On Fail on.
 *
 * Retry On Fail runs the node again with the same run index and the same items: every item
 * that went through the first time would be sent again. SMASHSEND drops a repeated event
 * messageId or email idempotencyKey, but documents nothing of the kind for flow webhooks,
 * and every repeat costs a call of a rate-limited account. So, per run, the node remembers
 * what each delivered call answered (and which calls failed after they may have arrived,
 * under At Most Once), and the next try of the same run answers those items from memory.
 *
 * Bounded: a run that ends without a failure is forgotten at once. A run that failed is
 * kept until `idleMs` after it ended; once more than `maxCalls` calls are held, the runs that
 * ended first go, but never one still in progress and never one that failed less than
 * `retryWindowMs` ago (n8n starts the next try within 5 s): the memory may then hold more for
 * a while rather than send a just-failed run's items twice. A run dropped that way is named
 * (`dropped`) when its next try comes, so that its items are not sent again silently. Retry On
 * Fail happens in the process that ran the node, so this process's memory is enough; a
 * retried *execution* (from n8n's executions list) is a new execution.
 */
export class RetryOnFailMemory {
	private readonly runs = new Map<string, RunEntries>();
	/** Runs dropped while their next try could still come, by id: when they were dropped (forgotten `idleMs` later). */
	private readonly dropped = new Map<string, number>();
	private held = 0;

	constructor(
		private readonly limits: { maxCalls: number; idleMs: number; retryWindowMs: number },
		private readonly now: () => number = () => Date.now(),
	) {}

	/** How many calls are held, across runs (for tests and diagnostics). */
	get size(): number {
		return this.held;
	}

	forRun<V, F>(scope: KeyScope): RunMemory<V, F> {
		const id = `${scope.execution}\u0000${scope.node}\u0000${scope.run}`;
		this.expire();
		// Every later try of the run is told too (n8n's Max Tries can be 5): none may send again.
		const dropped = this.dropped.has(id);
		const entries: RunEntries = this.runs.get(id) ?? { calls: new Map(), lost: new Map(), open: true, closedAt: 0 };
		entries.open = true;
		this.runs.set(id, entries);
		const run: RunMemory<V, F> = {
			dropped,
			recall: (key) => this.runs.get(id)?.calls.get(key) as Remembered<V, F> | undefined,
			remember: (key, outcome) => {
				if (!entries.calls.has(key)) this.held += 1;
				entries.calls.set(key, outcome);
				this.trim();
			},
			lost: (key) => this.runs.get(id)?.lost.get(key),
			noteLost: (key, label) => {
				if (entries.lost.has(key)) return;
				this.held += 1;
				entries.lost.set(key, label);
				this.trim();
			},
			memory: (keyOf) => ({
				recall: (index) => run.recall(keyOf(index)),
				remember: (index, outcome) => run.remember(keyOf(index), outcome),
				lost: (index) => run.lost(keyOf(index)),
				noteLost: (index, label) => run.noteLost(keyOf(index), label),
			}),
			close: (output) => {
				if (!mayBeRetried(output)) return this.drop(id);
				entries.open = false;
				entries.closedAt = this.now();
				// Last in line for eviction.
				this.runs.delete(id);
				this.runs.set(id, entries);
				this.trim();
			},
		};
		return run;
	}

	private drop(id: string): void {
		const entries = this.runs.get(id);
		if (!entries) return;
		this.held -= entries.calls.size + entries.lost.size;
		this.runs.delete(id);
	}

	private expire(): void {
		const cutoff = this.now() - this.limits.idleMs;
		for (const [id, entries] of this.runs) {
			if (!entries.open && entries.closedAt < cutoff) this.drop(id);
		}
		for (const [id, at] of this.dropped) {
			if (at >= cutoff) break;
			this.dropped.delete(id);
		}
	}

	/** Drops the ended runs that ended first while too many calls are held, none still within its retry window. */
	private trim(): void {
		const retryable = this.now() - this.limits.retryWindowMs;
		for (const [id, entries] of this.runs) {
			if (this.held <= this.limits.maxCalls) return;
			if (entries.open || entries.closedAt > retryable) continue;
			this.drop(id);
			if (entries.calls.size > 0) this.dropped.set(id, this.now());
		}
	}
}

/** The process-wide memory the node uses. */
export const retryOnFailMemory = new RetryOnFailMemory({ maxCalls: 100_000, idleMs: 15 * 60_000, retryWindowMs: 2 * 60_000 });
