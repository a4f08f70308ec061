/** Node's timers take at most 2³¹−1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** How a call with a deadline ended: its value, or the deadline came first. */
export type Deadlined<T> = { late: false; value: T } | { late: true };

/**
 * Runs one call within `ms` from now, whatever the server does meanwhile: n8n's request
 * timeout is an idle timeout, which a server that answers a byte at a time never meets. The
 * call gets a signal that aborts at the deadline (and with `signal`); a helper that honours it
 * (`httpRequest`) stops the request, one that replaces it with the execution's own
 * (`httpRequestWithAuthentication`) is left to finish unheard.
 *
 * One controller and one timer per call, both let go of as soon as the call is over: a timer
 * that outlives its call (AbortSignal.timeout stays queued for the whole timeout) keeps its
 * signal, and all a request hung on it, through every young-generation collection meanwhile,
 * so each call's garbage would reach the old generation (issue 30).
 */
export async function withDeadline<T>(
	ms: number | undefined,
	signal: AbortSignal | undefined,
	work: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<Deadlined<T>> {
	if (ms === undefined || !(ms > 0)) return { late: false, value: await work(signal) };
	const controller = new AbortController();
	let timedOut = false;
	let onLate = () => {};
	const late = new Promise<{ late: true }>((resolve) => {
		onLate = () => resolve({ late: true });
	});
	const timer = setTimeout(
		() => {
			timedOut = true;
			controller.abort(new DOMException('The call took longer than its deadline', 'TimeoutError'));
			onLate();
		},
		Math.min(Math.ceil(ms), MAX_TIMER_MS),
	);
	// Never keeps the process alive.
	timer.unref();
	const stop = () => controller.abort(signal?.reason);
	if (signal?.aborted) stop();
	else signal?.addEventListener('abort', stop, { once: true });
	const running = work(controller.signal).then(
		(value) => ({ late: false as const, value }),
		// Aborted by the deadline, not by the execution: the deadline's outcome.
		async (error: unknown) => (timedOut && !signal?.aborted ? { late: true as const } : await Promise.reject(error)),
	);
	// An answer after the deadline is heard by no one: its failure must not surface either.
	running.catch(() => undefined);
	try {
		return await Promise.race([running, late]);
	} finally {
		clearTimeout(timer);
		signal?.removeEventListener('abort', stop);
	}
}
