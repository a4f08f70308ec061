import type { INodeProperties } from 'n8n-workflow';

import type { RetryOptions } from '../delivery/retryPolicy';

/**
 * The Options every operation has, as the contract between operations, channels and the runner:
 * their defaults, what differs between operations (OptionsSpec), and the settings read from
 * them once per execution (Settings; runner/options.ts reads them and builds the collection).
 */

/** The defaults of every operation's Options, in one place; the README explains each. */
export const DEFAULTS = {
	/** 0: Auto (see delivery/concurrencyLimit.ts). */
	concurrency: 0,
	maxRetries: 5,
	maxRetryWaitSeconds: 60,
	baseDelayMs: 1000,
	timeoutMs: 30_000,
	/** SMASHSEND's documented REST limits: 60 requests a minute on free accounts, events 1,000. */
	ratePerMinute: 60,
	eventRatePerMinute: 1000,
	/** Items per call where SMASHSEND takes batches; its largest batch is not documented. */
	batchSize: 100,
	maxBatchSize: 1000,
};

/**
 * What differs between operations' Options: what the Rate Limit counts — calls per second,
 * switchable to per minute with Rate Limit Period, no limit by default (flows, which
 * SMASHSEND does not limit); or requests per minute with SMASHSEND's documented limit as
 * the default (the REST API) — and the options only this operation has.
 */
export type OptionsSpec = ({ ratePeriod: 'second' } | { ratePeriod: 'minute'; rateLimit: number }) & {
	extra?: INodeProperties[];
	/** Whether the operation lets users choose At Most Once (When Unsure If the Flow Started); otherwise every call may be sent again. */
	atMostOnceChoice?: boolean;
	/** What a call that may have been carried out gets when the user chose nothing (or has no choice): sent again (the default) or failed. */
	ambiguousDefault?: 'retry' | 'fail';
	/** Whether the operation can send several items per call (Batch Size). */
	batches?: boolean;
};

/** How the delivery runs: read once per execution, from the first item's Options. */
export interface Settings extends RetryOptions {
	/** Calls in flight at once; 0: Auto. */
	concurrency: number;
	ratePerSecond: number;
	/** The same limit per minute, for the advice after a 429. */
	ratePerMinute: number;
	timeoutMs: number;
	/** Items per call, for operations that take batches (1: one call per item). */
	batchSize: number;
}
