/** Node's timers take at most 2³¹−1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** How a call with a deadline ended: its value, or the deadline came first. */
export type Deadlined<T> = { late: false; value: T } | { late: true };

/**
 * Runs one call within `ms` from now, whatever the server does meanwhile: n8n's request
 * timeout is an idle timeout, which a server that answers a byte at a time never meets. The
 * call gets a signal that aborts at the deadline (and with `signal`); a helper that honours it
 * (`httpRequest`) stops the request, one that replaces it with the execution's own
 * (`httpRequestWithAuthentication`) is left to finish unheard. No timer outlives the call
 * (AbortSignal.timeout, which never keeps the process alive).
 */
export async function withDeadline<T>(
	ms: number | undefined,
	signal: AbortSignal | undefined,
	work: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<Deadlined<T>> {
	if (ms === undefined || !(ms > 0)) return { late: false, value: await work(signal) };
	const timer = AbortSignal.timeout(Math.min(Math.ceil(ms), MAX_TIMER_MS));
	const combined = signal ? AbortSignal.any([signal, timer]) : timer;
	let onLate = () => {};
	const late = new Promise<{ late: true }>((resolve) => {
		onLate = () => resolve({ late: true });
		timer.addEventListener('abort', onLate, { once: true });
	});
	const running = work(combined).then(
		(value) => ({ late: false as const, value }),
		// Aborted by the deadline, not by the execution: the deadline's outcome.
		async (error: unknown) => (timer.aborted && !signal?.aborted ? { late: true as const } : await Promise.reject(error)),
	);
	// An answer after the deadline is heard by no one: its failure must not surface either.
	running.catch(() => undefined);
	try {
		return await Promise.race([running, late]);
	} finally {
		timer.removeEventListener('abort', onLate);
	}
}
