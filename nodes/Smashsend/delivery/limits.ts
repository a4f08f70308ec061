/**
 * Bounds on what users can set, so that no wait, timeout or pace can overflow a timer or
 * leave an execution hanging for days: one retry waits at most an hour, a call at most ten
 * minutes, and a rate limit paces at least one call an hour.
 */
export const LIMITS = {
	maxWaitSeconds: 3600,
	maxTimeoutMs: 600_000,
	maxIntervalMs: 3_600_000,
};
