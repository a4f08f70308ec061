import type { IExecuteFunctions } from 'n8n-workflow';

import type { AdaptiveLimit } from '../delivery/concurrencyLimit';
import type { Pacer } from '../delivery/pacer';

/**
 * What a run says about its own pace in the execution's hints (the output pane), only when
 * there is something to act on: where Concurrency: Auto settled after SMASHSEND pushed back,
 * and that Rate Limit, not SMASHSEND, is what made a long run long.
 */

/** Concurrency: Auto — where it settled, in the execution's hints (and n8n's debug log), so that users can fix it if they like. */
export function reportConcurrency(this: IExecuteFunctions, limiter: AdaptiveLimit, pacer: Pacer): void {
	const paced = pacer.learnedRate;
	const settled = `Concurrency: Auto settled at ${limiter.settled} calls at once (at most ${limiter.peak}) over ${limiter.answers} calls`;
	const pace = paced === undefined ? '' : `; after SMASHSEND asked it to wait, it kept to ${formatRate(paced)} calls per second`;
	this.logger?.debug(`${settled}${pace}`, { node: this.getNode().name });
	// Only when SMASHSEND pushed back (asked to wait, or was overloaded) is there something to act on.
	if (paced === undefined && limiter.overloads === 0) return;
	// Both lines have it on a node's execute context; a context that lacks it (a tool call's, say) gets the log only.
	if (typeof this.addExecutionHints !== 'function') return;
	this.addExecutionHints({
		message: `SMASHSEND asked this run to slow down. ${settled}${pace}. ${paced === undefined ? 'To keep it fixed, set Options → Concurrency.' : 'To keep them fixed, set Options → Concurrency and Rate Limit.'}`,
		type: 'info',
		location: 'outputPane',
	});
}

/** A run at least `afterMs` long, `share` of it or more held to Rate Limit, gets a hint saying so. */
export const PACE_HINT = { afterMs: 30_000, share: 0.8 };

/**
 * Rate Limit — when it, not SMASHSEND, made the run slow (the run's calls at that pace take most
 * of its time, and SMASHSEND never asked it to wait), the execution's hints say so and what to
 * change: 1,000 contacts at the free plan's 60 calls a minute take 17 minutes.
 */
export function reportSlowPace(this: IExecuteFunctions, pacer: Pacer, sent: { count: number; since: number }): void {
	const elapsed = performance.now() - sent.since;
	// The Rate Limit's pace as the pacer keeps it (bounded: at least one call an hour).
	const ratePerSecond = pacer.interval > 0 ? 1000 / pacer.interval : 0;
	if (!(ratePerSecond > 0) || elapsed < PACE_HINT.afterMs || pacer.learnedRate !== undefined) return;
	// The pace's share of the run: this run's calls (tries again included), one interval each.
	const calls = sent.count;
	if (calls / ratePerSecond < PACE_HINT.share * (elapsed / 1000)) return;
	if (typeof this.addExecutionHints !== 'function') return;
	const rate =
		ratePerSecond < 1 / 60
			? `${formatRate(ratePerSecond * 3600)} calls an hour`
			: ratePerSecond < 5
				? `${formatRate(ratePerSecond * 60)} calls a minute`
				: `${formatRate(ratePerSecond)} calls a second`;
	this.addExecutionHints({
		message: `This run took ${formatDuration(elapsed)}, most of it keeping to Options → Rate Limit (${rate}, ${calls.toLocaleString('en')} calls). If your SMASHSEND plan allows more calls, raise Rate Limit.`,
		type: 'info',
		location: 'outputPane',
	});
}

/** "17 min 3 s", "45 s". */
function formatDuration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	const minutes = Math.floor(seconds / 60);
	return minutes > 0 ? `${minutes} min ${seconds - minutes * 60} s` : `${seconds} s`;
}

function formatRate(perSecond: number): string {
	return perSecond >= 10 ? String(Math.floor(perSecond)) : perSecond.toFixed(1);
}
