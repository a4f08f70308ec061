import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { LIMITS } from '../delivery/limits';
import { FROM_VERSION_3, UP_TO_VERSION_2 } from '../parameters/versions';
import type { AmbiguousPolicy } from '../delivery/retryPolicy';
import { DEFAULTS, type OptionsSpec, type Settings } from '../contract/settings';

const batchSize: INodeProperties = {
	displayName: 'Batch Size',
	name: 'batchSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: DEFAULTS.maxBatchSize },
	default: 100,
	description:
		'How many items go to SMASHSEND together, in one call. One call counts once against the Rate Limit. 1 sends each item on its own. If SMASHSEND says a batch is too big, the node sends smaller ones.',
};

// Defaults are written out (n8n's lint reads them as literals); a unit test holds them to DEFAULTS.
const concurrency: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 100 },
	default: 0,
	hint: '0 is Auto: the node finds out how many SMASHSEND can take',
	description:
		'How many calls to SMASHSEND are made at the same time (each carries one item, or a batch). 0 (the default) lets the node find out: it makes more at once while SMASHSEND keeps up, and fewer when SMASHSEND slows down or asks it to wait (from 1 to 100). Set a number to keep it fixed. The Rate Limit applies either way.',
};

const maxRetries: INodeProperties = {
	displayName: 'Max Retries',
	name: 'maxRetries',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 20 },
	default: 5,
	description:
		'How many more times the node tries a call when SMASHSEND is busy, has a problem, takes too long or cannot be reached. It waits a little longer before each try, or as long as SMASHSEND asks. Only that call is sent again (with batches, the items it carried).',
};

const maxRetryWait: INodeProperties = {
	displayName: 'Max Wait per Retry (Seconds)',
	name: 'maxRetryWait',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: LIMITS.maxWaitSeconds },
	default: 60,
	description: `The longest the node waits before trying an item again, in seconds (at most ${LIMITS.maxWaitSeconds}), even when SMASHSEND asks it to wait longer`,
};

const timeoutSeconds: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeoutSeconds',
	type: 'number',
	typeOptions: { minValue: 0.1, maxValue: LIMITS.maxTimeoutMs / 1000, numberPrecision: 1 },
	default: 30,
	description: `How long one call to SMASHSEND may take, in seconds (at most ${LIMITS.maxTimeoutMs / 1000}, ten minutes). Each try has its own. Past it, the call counts as not answered and may be tried again (see Max Retries).`,
};

/** The name of version 3's group of retry settings, and of its one set of values (n8n's fixedCollection). */
export const RETRY_GROUP = { name: 'retryAndTimeout', values: 'settings' } as const;

/**
 * Version 3 keeps the settings few users change in one option, Retries and Timeout, so that
 * the common ones (Rate Limit, Batch Size) stand out; versions 1 and 2 keep them one by one,
 * with the timeout in milliseconds.
 */
const retrySettings: INodeProperties[] = [
	{ ...maxRetries, displayOptions: { show: UP_TO_VERSION_2 } },
	{ ...maxRetryWait, displayOptions: { show: UP_TO_VERSION_2 } },
	{
		displayName: 'Timeout (Ms)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: LIMITS.maxTimeoutMs },
		default: 30000,
		description: `How long one call to SMASHSEND may take, in milliseconds: 30000 is 30 seconds (at most ${LIMITS.maxTimeoutMs}, ten minutes). Each try has its own. Past it, the call counts as not answered and may be tried again (see Max Retries).`,
		displayOptions: { show: UP_TO_VERSION_2 },
	},
	{
		displayName: 'Retries and Timeout',
		name: RETRY_GROUP.name,
		type: 'fixedCollection',
		placeholder: 'Add Retries and Timeout',
		typeOptions: { multipleValues: false },
		default: { [RETRY_GROUP.values]: {} },
		description: 'How often and how long the node keeps trying a call SMASHSEND did not take, and how long one call may take',
		options: [{ displayName: 'Retries and Timeout', name: RETRY_GROUP.values, values: [maxRetries, maxRetryWait, timeoutSeconds] }],
		displayOptions: { show: FROM_VERSION_3 },
	},
];

/** "about 17 minutes", "about a minute". */
function aboutMinutes(minutes: number): string {
	return minutes < 1.5 ? 'about a minute' : `about ${Math.round(minutes)} minutes`;
}

function rateLimit(spec: OptionsSpec): INodeProperties[] {
	if (spec.ratePeriod === 'minute') {
		const perMinute = spec.rateLimit;
		return [
			{
				displayName: 'Rate Limit (Requests per Minute)',
				name: 'rateLimit',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: perMinute,
				description: `At most this many calls to SMASHSEND a minute from this node, tries again included (0: no limit). SMASHSEND's free plan allows ${perMinute.toLocaleString('en')} a minute: at ${perMinute.toLocaleString('en')}, 1,000 items sent one by one take ${aboutMinutes(1000 / Math.max(1, perMinute))}. Raise it if your plan allows more.`,
			},
		];
	}
	return [
		{
			displayName: 'Rate Limit',
			name: 'rateLimit',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'At most this many calls a second or a minute (see Rate Limit Period), tries again included. 0 means no limit.',
		},
		{
			displayName: 'Rate Limit Period',
			name: 'rateLimitPeriod',
			type: 'options',
			default: 'second',
			options: [
				{ name: 'Per Second', value: 'second' },
				{ name: 'Per Minute', value: 'minute' },
			],
			description: 'Whether Rate Limit counts calls per second or per minute',
		},
	];
}

/** The Options collection of an operation: the delivery knobs every operation has, and its own. */
export function optionsParameter(show: Record<string, string[]>, spec: OptionsSpec): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [concurrency, ...retrySettings, ...rateLimit(spec), ...(spec.batches ? [batchSize] : []), ...(spec.extra ?? [])].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}

function number(value: unknown, fallback: number, { min = 0, max = Number.POSITIVE_INFINITY, allowZero = false } = {}): number {
	const n = Number(value);
	if (!Number.isFinite(n) || n < min || (!allowZero && n === 0)) return fallback;
	return Math.min(n, max);
}

/** The Options as one flat object, whatever the version: version 3's Retries and Timeout read like versions 1 and 2's options. */
function flatOptions(options: IDataObject): IDataObject {
	const group = options[RETRY_GROUP.name] as IDataObject | undefined;
	const values = group?.[RETRY_GROUP.values] as IDataObject | undefined;
	return values ? { ...options, ...values } : options;
}

export function readSettings(given: IDataObject, spec: OptionsSpec): Settings {
	const options = flatOptions(given);
	const rate = number(options.rateLimit, spec.ratePeriod === 'minute' ? spec.rateLimit : 0, { allowZero: true });
	const perMinute = spec.ratePeriod === 'minute' || options.rateLimitPeriod === 'minute';
	return {
		concurrency: Math.floor(number(options.concurrency, DEFAULTS.concurrency, { allowZero: true, max: 100 })),
		maxRetries: Math.floor(number(options.maxRetries, DEFAULTS.maxRetries, { allowZero: true, max: 20 })),
		maxWaitMs: number(options.maxRetryWait, DEFAULTS.maxRetryWaitSeconds, { allowZero: true, max: LIMITS.maxWaitSeconds }) * 1000,
		baseDelayMs: DEFAULTS.baseDelayMs,
		// Only operations that ask read the choice (flows, a broadcast's test); the others keep
		// their own rule, whatever a stale option says: most REST calls may be sent again (reads and
		// upserts are idempotent, events and emails carry keys SMASHSEND deduplicates by).
		ambiguous: ((spec.atMostOnceChoice ? (options.ambiguousFailure ?? spec.ambiguousDefault) : spec.ambiguousDefault) === 'fail'
			? 'fail'
			: 'retry') as AmbiguousPolicy,
		ratePerSecond: perMinute ? rate / 60 : rate,
		ratePerMinute: perMinute ? rate : rate * 60,
		// Version 3's Timeout (Seconds), or versions 1 and 2's Timeout (Ms).
		timeoutMs:
			options.timeoutSeconds !== undefined
				? number(Number(options.timeoutSeconds) * 1000, DEFAULTS.timeoutMs, { max: LIMITS.maxTimeoutMs })
				: number(options.timeout, DEFAULTS.timeoutMs, { max: LIMITS.maxTimeoutMs }),
		batchSize: spec.batches ? Math.floor(number(options.batchSize, DEFAULTS.batchSize, { min: 1, max: DEFAULTS.maxBatchSize })) : 1,
	};
}
