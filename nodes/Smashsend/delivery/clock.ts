import { cancellableWait } from './wait';

/** Time and chance, injectable so that tests can run retries without waiting. */
export interface Clock {
	/**
	 * Monotonic ms (performance.now): the pace, 429 pauses and backoff are measured with it, so
	 * that a system clock stepped back or forward neither stretches a wait nor ends it early.
	 */
	now(): number;
	/** The wall clock (Date.now), only to read a Retry-After given as an HTTP date. */
	date(): number;
	/** Resolves true once `ms` passed, false if the signal cut the wait short. */
	wait(ms: number, signal?: AbortSignal): Promise<boolean>;
	random(): number;
}

export const systemClock: Clock = {
	now: () => performance.now(),
	date: () => Date.now(),
	wait: cancellableWait,
	random: () => Math.random(),
};
