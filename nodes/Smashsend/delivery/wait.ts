import * as workflow from 'n8n-workflow';

type SleepWithAbort = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Node's timers take at most 2³¹−1 ms: a longer one fires after 1 ms (and past 2³²−1 ms throws). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Waits `ms`, or less if the signal fires first. Resolves true when the whole time passed,
 * false when the wait was cut short. n8n-workflow's sleepWithAbort is used where this n8n
 * has it (the 1.x line); elsewhere an AbortSignal.timeout, whose timer never keeps the
 * process alive.
 */
export async function cancellableWait(requested: number, signal?: AbortSignal): Promise<boolean> {
	if (signal?.aborted) return false;
	if (!(requested > 0)) return true;
	// Callers bound their waits far below this (an hour at most); never let a timer overflow.
	const ms = Math.min(requested, MAX_TIMER_MS);
	const fromN8n = (workflow as unknown as { sleepWithAbort?: SleepWithAbort }).sleepWithAbort;
	if (typeof fromN8n === 'function') {
		return await fromN8n(ms, signal).then(
			() => !signal?.aborted,
			() => false,
		);
	}
	return await abortSignalWait(ms, signal);
}

export function abortSignalWait(ms: number, signal?: AbortSignal): Promise<boolean> {
	return new Promise((resolve) => {
		if (signal?.aborted) return resolve(false);
		// AbortSignal.timeout takes whole milliseconds only (a learned pace is fractional).
		const timeout = AbortSignal.timeout(Math.min(Math.ceil(ms), MAX_TIMER_MS));
		const onTimeout = () => {
			signal?.removeEventListener('abort', onAbort);
			resolve(true);
		};
		const onAbort = () => {
			timeout.removeEventListener('abort', onTimeout);
			resolve(false);
		};
		timeout.addEventListener('abort', onTimeout, { once: true });
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
