import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { callKey, keyScope } from '../../shared/keys';
import { standaloneCalls } from '../delivery/call';
import { AdaptiveLimit, CONCURRENCY_LIMITS } from '../delivery/concurrencyLimit';
import type { BatchItemResult } from '../delivery/batchDelivery';
import { retryOnFailMemory } from '../delivery/retryOnFailMemory';
import { sharedPacer } from '../delivery/sharedPace';
import type { CallFailure } from '../contract/failures';
import type { Operation } from '../contract/Operation';
import { callInBatches } from './batchCalls';
import { reportConcurrency, reportSlowPace } from './hints';
import { callOneByOne } from './itemCalls';
import { isLookupFailure } from './lookupFailure';
import { readSettings } from './options';
import { outputItems, recordDropped } from './outputItems';
import { prepareItems, stopBeforeSending } from './prepareItems';

/**
 * Runs one operation for every input item, the same way for all of them: reads the
 * Options once, opens the channel, prepares every item (a bad item fails alone, before
 * anything is sent for it), delivers the calls (bounded concurrency, one pace for the whole
 * execution, per-call retries with Retry-After, cancellation, nothing sent twice under n8n's
 * Retry On Fail), and outputs one result per item, paired, honouring On Error.
 */
export async function runOperation<P, R, A>(this: IExecuteFunctions, operation: Operation<P, R, A>): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	if (items.length === 0) return [];
	const settings = readSettings(this.getNodeParameter('options', 0, {}) as IDataObject, operation.options);
	const channel = await operation.open.call(this, settings);
	const continueOnFail = this.continueOnFail();
	const signal = this.getExecutionCancelSignal?.();
	// Concurrency: Auto — the calls in flight and, after a 429, the pace follow SMASHSEND's answers.
	const auto = settings.concurrency === 0;
	const limiter = auto ? new AdaptiveLimit() : undefined;
	const scope = keyScope.call(this);

	// Only n8n's Retry On Fail runs the same node run again: only then is there anything to remember.
	const runMemory =
		operation.isWrite && this.getNode().retryOnFail === true ? retryOnFailMemory.forRun<IDataObject[], CallFailure>(scope) : undefined;
	// Shared with the executions of this process that call the same account or flow right now
	// (taken last before the try, whose finally gives it back).
	const { pacer, release: releasePace } = sharedPacer(channel.paceKey, settings.ratePerSecond, auto, limiter);
	// The calls this run sends, and since when: whether Rate Limit made the run long (runner/hints.ts).
	const sent = { count: 0, since: performance.now() };
	// Closed whatever happens (a throw included): a run left open would be kept for ever.
	let output: INodeExecutionData[] | undefined;
	let finds: ReturnType<typeof standaloneCalls> | undefined;
	try {
		const lookups = standaloneCalls({ retry: settings, pacer, signal, sent, limiter });
		// The calls a look for what a lost attempt made (Contact Property → Create) makes inside an attempt.
		const findCalls = standaloneCalls({ retry: settings, pacer, signal, sent });
		finds = findCalls;
		let prepared: Array<P | NodeOperationError>;
		try {
			// Items are prepared as many at once as calls may be in flight: their lookups go at the delivery's pace.
			const concurrency = limiter ? CONCURRENCY_LIMITS.max : settings.concurrency;
			prepared = await prepareItems(this, { operation, channel, items, continueOnFail, scope, lookups, runMemory, concurrency });
		} finally {
			lookups.dispose();
		}
		const stop = continueOnFail ? undefined : stopBeforeSending(prepared);
		if (stop) throw stop;

		const tasks = prepared.map((plan) => (plan instanceof NodeOperationError ? undefined : plan));
		const callKeyOf = (index: number) => {
			const plan = tasks[index] as P;
			return operation.key?.(plan) ?? callKey(scope, operation.keyPrefix, index, JSON.stringify(operation.request(plan)));
		};
		// Read before the plans go (a delivered item's plan is let go at once).
		const orderKeys = operation.orderKey ? tasks.map((plan) => (plan === undefined ? undefined : operation.orderKey?.(plan))) : undefined;
		// An earlier try's record was dropped (memory bound): what it sent is not known, so nothing is sent again.
		if (runMemory?.dropped) {
			const results = tasks.map((plan, itemIndex) => (plan === undefined ? { status: 'skipped' as const } : recordDropped(itemIndex)));
			output = outputItems.call(this, { operation, channel, settings, prepared, results, continueOnFail, signal });
			return output;
		}
		const concurrency = limiter ? CONCURRENCY_LIMITS.max : settings.concurrency;
		// An item whose lookup failed (its contact unknown) may be looked up and sent on n8n's next
		// try, after a later item of its contact: then that try sends every item again, in order.
		const rememberDelivered = !(operation.orderKey && prepared.some((plan) => plan instanceof NodeOperationError && isLookupFailure(plan)));
		const delivery = { ...settings, concurrency, limiter, stopOnFailure: !continueOnFail, signal, pacer, sent, rememberDelivered };
		const memory = runMemory?.memory(callKeyOf);
		const { batch } = operation;
		const inBatches = (some: Array<P | undefined>) =>
			callInBatches({ operation: { ...operation, batch: batch! }, channel, tasks: some, items, options: delivery, scope, memory });
		// A delivered item's plan (its request body, its key) is needed no more: 50,000 of them are not kept to the end.
		const forgetDelivered = (some: Array<P | undefined>) => (index: number, result: { status: string }) => {
			if (result.status !== 'delivered') return;
			some[index] = undefined;
			tasks[index] = undefined;
			(prepared as unknown[])[index] = undefined;
		};
		const oneByOne = (some: Array<P | undefined>) =>
			callOneByOne({
				operation,
				channel,
				items,
				tasks: some,
				options: { ...delivery, keyOf: orderKeys && ((index) => orderKeys[index]), onSettled: forgetDelivered(some) },
				memory,
				findCalls,
			});
		// Several items per call where SMASHSEND takes batches: the same output, far fewer calls.
		// Plans only a batch carries out go in batches of their own, whatever the Batch Size, in the
		// same ordered delivery as the others (a batch of one other item is its own one-item call).
		const sending = tasks.filter((plan) => plan !== undefined).length;
		const batchOnly = tasks.some((plan) => plan !== undefined && batch?.only?.(plan) === true);
		const results: Array<BatchItemResult<IDataObject[], CallFailure>> =
			batch && (batchOnly || (settings.batchSize > 1 && sending > 1)) ? await inBatches(tasks) : await oneByOne(tasks);
		output = outputItems.call(this, { operation, channel, settings, prepared, results, continueOnFail, signal });
		return output;
	} finally {
		finds?.dispose();
		releasePace();
		runMemory?.close(output);
		if (limiter) reportConcurrency.call(this, limiter, pacer);
		reportSlowPace.call(this, pacer, sent);
	}
}
