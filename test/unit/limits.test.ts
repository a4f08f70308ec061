import { LIMITS } from '../../nodes/Smashsend/delivery/limits';
import { Pacer } from '../../nodes/Smashsend/delivery/pacer';
import { abortSignalWait, cancellableWait, MAX_TIMER_MS } from '../../nodes/Smashsend/delivery/wait';
import { DEFAULTS } from '../../nodes/Smashsend/contract/settings';
import { readSettings, RETRY_GROUP } from '../../nodes/Smashsend/runner/options';
import { pause } from '../support/executeContext';

/** Values an expression can produce whatever the editor's bounds: none may overflow a timer. */
const huge = { maxRetryWait: 1e12, timeout: 1e15, rateLimit: 1e-12, concurrency: 1e9, maxRetries: 1e9 };

describe('bounds on waits, timeouts and paces', () => {
	it.each([
		['Trigger a Flow', () => readSettings(huge, { ratePeriod: 'second' })],
		['REST operations', () => readSettings(huge, { rateLimit: DEFAULTS.ratePerMinute, ratePeriod: 'minute' })],
		['Version 3 (Timeout in seconds)', () => readSettings({ ...huge, timeout: undefined, timeoutSeconds: 1e13 }, { ratePeriod: 'second' })],
	])('%s: huge option values are capped', (_, settings) => {
		const s = settings();
		expect(s.maxWaitMs).toBe(LIMITS.maxWaitSeconds * 1000);
		expect(s.timeoutMs).toBe(LIMITS.maxTimeoutMs);
		expect(s.concurrency).toBe(100);
		expect(s.maxRetries).toBe(20);
		expect(new Pacer(s.ratePerSecond).interval).toBe(LIMITS.maxIntervalMs);
		for (const ms of [s.maxWaitMs, s.timeoutMs, new Pacer(s.ratePerSecond).interval]) expect(ms).toBeLessThanOrEqual(MAX_TIMER_MS);
	});

	it("version 3's Timeout (Seconds) is read in seconds and wins over a Timeout (Ms) left in the options", () => {
		expect(readSettings({ timeoutSeconds: 2.5 }, { ratePeriod: 'second' }).timeoutMs).toBe(2500);
		expect(readSettings({ timeoutSeconds: 0.3, timeout: 9000 }, { ratePeriod: 'second' }).timeoutMs).toBe(300);
		expect(readSettings({ timeout: 9000 }, { ratePeriod: 'second' }).timeoutMs).toBe(9000);
		expect(readSettings({ timeoutSeconds: 0 }, { ratePeriod: 'second' }).timeoutMs).toBe(DEFAULTS.timeoutMs);
	});

	it("version 3's Retries and Timeout are read from their group", () => {
		const settings = readSettings(
			{ concurrency: 3, [RETRY_GROUP.name]: { [RETRY_GROUP.values]: { maxRetries: 2, maxRetryWait: 7, timeoutSeconds: 1.5 } } },
			{ ratePeriod: 'second' },
		);
		expect(settings).toMatchObject({ concurrency: 3, maxRetries: 2, maxWaitMs: 7000, timeoutMs: 1500 });
		// The group added but left at its defaults.
		expect(readSettings({ [RETRY_GROUP.name]: { [RETRY_GROUP.values]: {} } }, { ratePeriod: 'second' })).toMatchObject({
			maxRetries: DEFAULTS.maxRetries,
			maxWaitMs: DEFAULTS.maxRetryWaitSeconds * 1000,
			timeoutMs: DEFAULTS.timeoutMs,
		});
	});

	it('a wait longer than a timer can hold neither fires at once nor throws', async () => {
		for (const ms of [2 ** 31, 2 ** 32, 2 ** 40]) {
			const cancel = new AbortController();
			let settled: boolean | undefined;
			const waiting = cancellableWait(ms, cancel.signal).then((passed) => (settled = passed));
			const direct = abortSignalWait(ms, cancel.signal);
			await pause(30);
			expect(settled).toBeUndefined();
			cancel.abort();
			await expect(waiting).resolves.toBe(false);
			await expect(direct).resolves.toBe(false);
		}
	});
});
