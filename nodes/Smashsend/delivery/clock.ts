import { cancellableWait } from './wait';

/** Time and chance, injectable so that tests can run retries without waiting. */
export interface Clock {
	now(): number;
	/** Resolves true once `ms` passed, false if the signal cut the wait short. */
	wait(ms: number, signal?: AbortSignal): Promise<boolean>;
	random(): number;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	wait: cancellableWait,
	random: () => Math.random(),
};
