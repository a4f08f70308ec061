import { systemClock, type Clock } from './clock';
import type { AdaptiveLimit, LoadSignal } from './concurrencyLimit';
import type { Pacer } from './pacer';
import {
	classifyFailure,
	isOverload,
	parseRetryAfter,
	retryDelay,
	shouldRetry,
	type AttemptOutcome,
	type FailureClass,
	type RetryOptions,
} from './retryPolicy';
import { SignalFanOut } from './signals';

/** What one attempt came back with: a value, or a failure the retry policy can classify. */
export type AttemptResult<V, F> =
	/** `untimed`: an answer that went through but says nothing about the server's queue (a batch refused as too large). */
	{ ok: true; value: V; untimed?: boolean } | { ok: false; outcome: AttemptOutcome; failure: F; label: string };

/** What one call came to, after its retries. */
export type CallResult<V, F> =
	/**
	 * `earlierTry`: the outcome of an earlier try of this node run, answered from memory without a call.
	 * `history`: the failed attempts before the one that went through.
	 */
	| { status: 'delivered'; value: V; attempts: number; earlierTry?: boolean; history?: string[]; lostAttempt?: string }
	| {
			status: 'failed';
			failure: F;
			attempts: number;
			history: string[];
			/** `maybe-arrived` when any attempt may have been carried out, whatever the last one's answer. */
			cause: FailureClass;
			retriesExhausted: boolean;
			earlierTry?: boolean;
			/**
			 * An earlier attempt that may have been carried out (its label: "connection reset"), when
			 * the last attempt's own answer does not say so (a 429, a 400): the call may have been done.
			 */
			lostAttempt?: string;
	  }
	/**
	 * Attempted, but not confirmed: the delivery stopped (another item failed) or the execution was
	 * cancelled. `lostAttempt`: an attempt that may have been carried out (one cut off in flight).
	 */
	| { status: 'abandoned'; failure: F; attempts: number; history: string[]; lostAttempt?: string }
	| { status: 'not-sent' }
	| { status: 'cancelled' };

/** Why no new attempt may start: the execution was cancelled, or the delivery stopped after a failure. */
export type Halt = 'cancelled' | 'stopped' | undefined;

/** What every call of one delivery shares: the retry policy, the pace, the clock and the signals. */
export interface CallContext {
	retry: RetryOptions;
	pacer: Pacer;
	clock: Clock;
	/** Waits end on cancellation or on a stop after another item failed. */
	waits: SignalFanOut;
	/** Calls in flight end only on cancellation: a call already sent is better finished than left in doubt. */
	calls: SignalFanOut;
	halted(): Halt;
	/** Concurrency: Auto — how many calls may be in flight, learned from the answers. */
	limiter?: AdaptiveLimit;
	/** Counts the calls this run sent (the pace may be shared with other executions'): runner/hints.ts. */
	sent?: { count: number };
}

/** What an attempt's outcome says about the server's load (see concurrencyLimit.ts). */
export function loadSignal(result: AttemptResult<unknown, unknown>): LoadSignal {
	// Only calls that went through are timed: a quick 400 or 404 is no round trip of the work.
	if (result.ok) return result.untimed ? 'none' : 'ok';
	return isOverload(result.outcome) ? 'overload' : 'none';
}

/**
 * One call, with everything that makes a single call robust: it waits for the pace (the
 * rate limit and any 429 pause), retries what the policy says with backoff or Retry-After
 * (a 429 pauses every call of the delivery), and stops when the execution is cancelled.
 */
export async function callWithRetries<V, F>(
	send: (attemptNumber: number, signal: AbortSignal) => Promise<AttemptResult<V, F>>,
	context: CallContext,
): Promise<CallResult<V, F>> {
	const { retry, pacer, clock } = context;
	const wait = async (ms: number, wake?: AbortSignal) => await waitFor(context, ms, wake);
	const history: string[] = [];
	let last: { failure: F } | undefined;
	// The first attempt that may have been carried out: it decides what a failure may say.
	let lostAttempt: string | undefined;
	for (let attempts = 1; ; attempts++) {
		// The slot first, then the pace: a 429's pause set while this call waited for a slot still holds it back.
		const { limiter } = context;
		if (limiter) {
			const slot = context.waits.child();
			const got = await limiter.acquire(slot.signal).finally(() => slot.release());
			if (!got) {
				if (last)
					return { status: 'abandoned', failure: last.failure, attempts: attempts - 1, history, ...(lostAttempt ? { lostAttempt } : {}) };
				return { status: context.halted() === 'cancelled' ? 'cancelled' : 'not-sent' };
			}
		}
		let paced = false;
		try {
			await pacer.acquire(
				() => clock.now(),
				wait,
				() => context.halted() !== undefined,
			);
			paced = true;
		} finally {
			// Whatever went wrong while waiting, the slot goes back.
			if (!paced) limiter?.release(0, 'none', clock.now(), false);
		}
		const stop = context.halted();
		if (stop) {
			limiter?.release(0, 'none', clock.now(), false);
			if (last)
				return { status: 'abandoned', failure: last.failure, attempts: attempts - 1, history, ...(lostAttempt ? { lostAttempt } : {}) };
			return { status: stop === 'cancelled' ? 'cancelled' : 'not-sent' };
		}
		const call = context.calls.child();
		if (context.sent) context.sent.count += 1;
		const sentAt = clock.now();
		limiter?.send();
		let result: AttemptResult<V, F> | undefined;
		try {
			result = await send(attempts, call.signal);
		} finally {
			call.release();
			const load = result ? loadSignal(result) : 'none';
			// A 429 to a call sent while the limit was still doubling, or before it was cut, is
			// explained by the calls in flight; one after that, with the queue kept short, by calls
			// per second: only then is there a pace to learn.
			const explained = limiter?.explainsOverload(sentAt) ?? false;
			const wave = limiter?.limit;
			limiter?.release(clock.now() - sentAt, load, clock.now());
			const status = result && !result.ok && result.outcome.kind === 'answer' ? result.outcome.statusCode : undefined;
			if (status === 429) pacer.refused(clock.now(), { learn: !explained, ...(wave !== undefined ? { wave } : {}) });
			else if (result?.ok || (status !== undefined && status !== 503)) pacer.accept(clock.now());
		}
		if (result.ok) {
			return {
				status: 'delivered',
				value: result.value,
				attempts,
				...(history.length > 0 ? { history } : {}),
				...(lostAttempt ? { lostAttempt } : {}),
			};
		}
		history.push(result.label);
		last = result;
		const cause = classifyFailure(result.outcome);
		// The node's own failure after the call went out: it may have been carried out, and is never sent again.
		if (result.outcome.kind === 'local' && result.outcome.sent) lostAttempt ??= result.label;
		// Cut off by the cancel while in flight: the call may have done its work (unless its answer said it did not).
		if (context.halted() === 'cancelled') {
			const cutOff = cause === 'maybe-arrived' ? result.label : lostAttempt;
			return { status: 'abandoned', failure: result.failure, attempts, history, ...(cutOff ? { lostAttempt: cutOff } : {}) };
		}
		if (!shouldRetry(cause, attempts, retry)) {
			const retriesExhausted = cause !== 'final' && attempts > retry.maxRetries;
			const earlier = cause === 'maybe-arrived' ? undefined : lostAttempt;
			return {
				status: 'failed',
				failure: result.failure,
				attempts,
				history,
				cause: earlier ? 'maybe-arrived' : cause,
				retriesExhausted,
				...(earlier ? { lostAttempt: earlier } : {}),
			};
		}
		if (cause === 'maybe-arrived') lostAttempt ??= result.label;
		const now = clock.now();
		const retryAfter = result.outcome.kind === 'answer' ? result.outcome.retryAfter : undefined;
		// Retry-After as an HTTP date is a time on the wall clock; every wait is then measured on the monotonic one.
		const retryAfterMs = parseRetryAfter(retryAfter, clock.date());
		const delay = retryDelay({ retry: attempts, options: retry, retryAfterMs, random: clock.random() });
		if (result.outcome.kind === 'answer' && result.outcome.statusCode === 429) pacer.pause(now + delay, now);
		if (!(await wait(delay)))
			return { status: 'abandoned', failure: result.failure, attempts, history, ...(lostAttempt ? { lostAttempt } : {}) };
	}
}

/** Waits `ms` unless the delivery is cancelled or stopped (or `wake` fires); false when the wait was cut short. */
export async function waitFor(context: CallContext, ms: number, wake?: AbortSignal): Promise<boolean> {
	const { signal, release } = context.waits.child();
	try {
		return await context.clock.wait(ms, wake ? AbortSignal.any([signal, wake]) : signal);
	} finally {
		release();
	}
}

/**
 * The pace's turn for one more call made inside an attempt (the pages of a look for what a lost
 * attempt made): it keeps to Rate Limit and a 429's pause like any call, and is counted.
 * False when the execution was cancelled first.
 */
export async function takeTurn(context: CallContext): Promise<boolean> {
	const went = await context.pacer.acquire(
		() => context.clock.now(),
		async (ms, wake) => await waitFor(context, ms, wake),
		() => context.halted() !== undefined,
	);
	if (went && context.sent) context.sent.count += 1;
	return went;
}

/**
 * A call context of its own, for calls outside a delivery of items (a lookup before the
 * items go out): cancellation only, no stop. Dispose of it when done.
 */
export function standaloneCalls(options: {
	retry: RetryOptions;
	pacer: Pacer;
	signal?: AbortSignal;
	clock?: Clock;
	sent?: { count: number };
	limiter?: AdaptiveLimit;
}): CallContext & { dispose(): void } {
	const waits = new SignalFanOut([options.signal]);
	const calls = new SignalFanOut([options.signal]);
	return {
		retry: options.retry,
		pacer: options.pacer,
		clock: options.clock ?? systemClock,
		waits,
		calls,
		halted: () => (options.signal?.aborted ? 'cancelled' : undefined),
		sent: options.sent,
		limiter: options.limiter,
		dispose: () => {
			waits.dispose();
			calls.dispose();
		},
	};
}
