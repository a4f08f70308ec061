import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { callKey, keyScope } from '../../shared/keys';
import { callWithRetries, standaloneCalls, takeTurn, type AttemptResult, type CallResult } from '../delivery/call';
import { AdaptiveLimit, CONCURRENCY_LIMITS } from '../delivery/concurrencyLimit';
import type { BatchItemResult } from '../delivery/batchDelivery';
import { deliverItems, type Caller, type ItemResult } from '../delivery/itemDelivery';
import { retryOnFailMemory } from '../delivery/retryOnFailMemory';
import { classifyFailure } from '../delivery/retryPolicy';
import { failedItem } from './failedItem';
import {
	crashFailure,
	describeDeliveryFailure,
	describeNetworkError,
	describeOtherItems,
	failureText,
	forItem,
	type CallFailure,
} from '../contract/failures';
import { callInBatches, sentWithNote } from './batchCalls';
import type { Channel, Operation, PrepareContext } from '../contract/Operation';
import type { Settings } from '../contract/settings';
import { readSettings } from './options';
import { walkPages } from './pages';
import { isLookupFailure } from './lookupFailure';
import { reportConcurrency, reportSlowPace } from './hints';
import { sharedPacer } from '../delivery/sharedPace';
import { BROKEN_TEXT_ADVICE } from '../helpers/text';

type Failed = Extract<ItemResult<IDataObject[], CallFailure>, { status: 'failed' | 'abandoned' }>;

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
		const shared = new Map<string, unknown>();
		let stopping = false;
		const context: PrepareContext<R, A> = {
			items,
			callKey: (keyPrefix, itemIndex, content) => callKey(scope, keyPrefix, itemIndex, content),
			once: <T>(name: string, make: () => T): T => {
				if (!shared.has(name)) shared.set(name, make());
				return shared.get(name) as T;
			},
			forget: (name) => shared.delete(name),
			lookup: async (request, options) => {
				// Under Stop Workflow, once an item has failed nothing will be sent: no more lookups either.
				if (stopping) throw new NotLookedUp();
				// Under Retry On Fail, the next try finds what this one looked up (when the caller says it
				// may): an Update by email that changed the email then finds the contact again.
				const kept = options?.reuse ? runMemory : undefined;
				const key = callKey(scope, 'lookup', -1, JSON.stringify(request));
				const earlier = kept?.recall(key);
				if (earlier?.delivered) return { status: 'delivered', value: earlier.value[0] as A, attempts: 0, earlierTry: true };
				const looked = await callWithRetries((_n, s) => channel.send(request, -1, s), lookups);
				const keep = looked.status === 'delivered' ? options?.reuse?.(looked.value) : undefined;
				if (keep !== undefined && looked.status === 'delivered')
					kept?.remember(key, { delivered: true, value: [keep as IDataObject], attempts: looked.attempts });
				return looked;
			},
		};

		// A request that could not be sent (half of a character in its address) fails its item now.
		const sendable = (plan: P, itemIndex: number): P => {
			let where: string | undefined;
			try {
				where = channel.unsendable?.(operation.request(plan));
			} catch (error) {
				if (!(error instanceof URIError)) throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
				where = 'its address';
			}
			if (where === undefined) return plan;
			throw new NodeOperationError(this.getNode(), forItem(`The item has half of a character in ${where}`, itemIndex), {
				description: BROKEN_TEXT_ADVICE,
				itemIndex,
			});
		};
		// Items are prepared as many at once as calls may be in flight: their lookups then go at the delivery's pace.
		const preparing = { concurrency: limiter ? CONCURRENCY_LIMITS.max : settings.concurrency, sendable };
		let prepared: Array<P | NodeOperationError>;
		try {
			prepared = await prepareAll(this, operation, context, items.length, continueOnFail, () => (stopping = !continueOnFail), preparing);
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
			deliverItems<P, IDataObject[], CallFailure>(
				some,
				async (plan, itemIndex, call) => {
					const counted = { sent: false };
					try {
						return await deliverOne(plan, itemIndex, call, counted);
					} catch (error) {
						// One item's exception fails that item alone, with what may have happened.
						return crashed(error, itemIndex, counted.sent);
					}
				},
				{ ...delivery, keyOf: orderKeys && ((index) => orderKeys[index]), onSettled: forgetDelivered(some) },
				memory,
			);
		const crashed = (error: unknown, itemIndex: number, sent: boolean): CallResult<IDataObject[], CallFailure> => {
			const failure = crashFailure(error, itemIndex, sent, channel);
			if ('rejected' in failure) failure.rejected.message = channel.redact(failure.rejected.message);
			return sent
				? {
						status: 'failed',
						failure,
						attempts: 1,
						history: [],
						cause: 'maybe-arrived',
						retriesExhausted: false,
						lostAttempt: CRASHED_AFTER_SENDING,
					}
				: { status: 'failed', failure, attempts: 0, history: [], cause: 'final', retriesExhausted: false };
		};
		const deliverOne = async (
			plan: P,
			itemIndex: number,
			call: Caller<CallFailure>,
			counted: { sent: boolean },
		): Promise<CallResult<IDataObject[], CallFailure>> => {
			const send = async (request: R, s: AbortSignal) => {
				counted.sent = true;
				return await channel.send(request, itemIndex, s);
			};
			const outputs = (answer: A, attempts: number) => operation.output(answer, plan, items[itemIndex], attempts);
			const pages = operation.pages;
			if (pages) {
				const listing = await walkPages(
					operation.request(plan),
					{ items: pages.items, next: (answer, collected) => pages.next(answer, plan, collected) },
					pages.max(plan),
					(request) => call((_n, s) => send(request, s)),
					"SMASHSEND's listing",
					itemIndex,
				);
				if (listing.status !== 'delivered') return listing;
				// The records are answers of their own: each becomes the operation's output.
				return { ...listing, value: listing.value.flatMap((record) => outputs(record as A, listing.attempts)) };
			}
			// After an attempt whose answer was lost, a retry's answer may say that attempt did the
			// work (a Delete finding the contact gone), or a lookup finds what it made: its output is
			// then `doneEarlier`.
			let lost: AttemptResult<A, CallFailure> | undefined;
			let doneEarlier: IDataObject[] | undefined;
			// Each page of the look is a call of its own: it keeps to the pace.
			const find = (s: AbortSignal) =>
				findFirst(operation.findExisting!.bind(operation), plan, async (request): Promise<AttemptResult<A, CallFailure>> => {
					if (!(await takeTurn(findCalls))) {
						const code = 'ERR_CANCELED';
						const failure: CallFailure = { network: describeNetworkError(code, itemIndex, channel), code };
						return { ok: false, outcome: { kind: 'network', code }, failure, label: 'cancelled' };
					}
					return await send(request, s);
				});
			const result = await call<A | undefined>(async (_n, s) => {
				if (lost && operation.findExisting) {
					const found = await find(s);
					// A lookup refused for good says nothing about the lost attempt: the item keeps its
					// "not confirmed"; a lookup that may succeed later is retried as the call would be.
					if (!found.ok) return classifyFailure(found.attempt.outcome) === 'final' ? lost : found.attempt;
					doneEarlier = found.output;
					if (doneEarlier) return { ok: true, value: undefined };
				}
				const attempt = await send(operation.request(plan), s);
				if (attempt.ok) return attempt;
				if ('answer' in attempt.failure) {
					const { answer } = attempt.failure;
					if (lost) doneEarlier = operation.doneAfterLostAnswer?.(answer, plan);
					// "It exists already": made by an earlier try (Retry On Fail) or run, when it is the same.
					if (!doneEarlier && operation.findExisting && operation.conflict?.(answer)) {
						const found = await find(s);
						if (found.ok) doneEarlier = found.output;
					}
				}
				if (doneEarlier) return { ok: true, value: undefined };
				if (classifyFailure(attempt.outcome) === 'maybe-arrived') lost = attempt;
				return attempt;
			});
			if (result.status !== 'delivered') return result;
			if (result.value === undefined) return { ...result, value: doneEarlier ?? [] };
			const refused = operation.refuse?.(result.value, plan, itemIndex);
			if (refused) {
				const { attempts, history = [] } = result;
				return { status: 'failed', failure: { rejected: refused }, attempts, history, cause: 'final', retriesExhausted: false };
			}
			return { ...result, value: outputs(result.value, result.attempts) };
		};
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

/** The label of an attempt the node itself failed after it was sent. */
const CRASHED_AFTER_SENDING = 'failed in the node after it was sent';

/** Thrown by `find` inside an operation's findExisting: its call failed. */
class FindFailed extends Error {}

/**
 * Runs an operation's findExisting with a `find` that makes one call: what it found (or
 * nothing), or the failed attempt of that call, which then counts as this attempt.
 */
async function findFirst<P, R, A>(
	findExisting: (plan: P, find: (request: R) => Promise<A>) => Promise<IDataObject[] | undefined>,
	plan: P,
	send: (request: R) => Promise<AttemptResult<A, CallFailure>>,
): Promise<
	{ ok: true; output: IDataObject[] | undefined } | { ok: false; attempt: Extract<AttemptResult<A, CallFailure>, { ok: false }> }
> {
	let failed: Extract<AttemptResult<A, CallFailure>, { ok: false }> | undefined;
	const find = async (request: R): Promise<A> => {
		const attempt = await send(request);
		if (attempt.ok) return attempt.value;
		failed = attempt;
		throw new FindFailed();
	};
	return await findExisting(plan, find).then(
		(output) => ({ ok: true as const, output }),
		async (error: unknown) =>
			failed && error instanceof FindFailed ? { ok: false as const, attempt: failed } : await Promise.reject(error),
	);
}

/** An item of a retried run whose earlier try's record was dropped (delivery/retryOnFailMemory.ts): failed, not sent again. */
function recordDropped(itemIndex: number): Failed {
	return {
		status: 'failed',
		failure: {
			rejected: {
				message: forItem('Not sent again when n8n retried the node (Retry On Fail)', itemIndex),
				description:
					"An earlier try of this node may have sent it, and the node's record of what that try sent was dropped to keep n8n's memory bounded (more than 100,000 calls were held). Check in SMASHSEND which items arrived, then send only the missing ones.",
			},
		},
		attempts: 0,
		history: [],
		cause: 'maybe-arrived',
		retriesExhausted: false,
	};
}

/** Thrown by `context.lookup` once the node is stopping: the item is not bad, it was not looked at further. */
class NotLookedUp extends Error {}

/** Thrown by an item's own lookup in the first pass under Stop Workflow: made in the second, if at all. */
class LookupLater extends Error {}

/** An item left unprepared because an earlier one stopped the node (On Error: Stop Workflow). */
const unprepared = new WeakSet<NodeOperationError>();

/**
 * Every item's call, or the error that makes it fail alone (bad data, or an expression that
 * failed). `failed` is told of each failure, so that a stopping node makes no more lookups.
 *
 * Under Stop Workflow (`continueOnFail` false) every item's own data is checked first, without
 * the lookups made for one item (a contact by its email): a bad item then stops the node before
 * any of them, instead of after minutes of lookups at the rate limit. Only if all are good are
 * those items prepared again, with their lookups.
 */
async function prepareAll<P, R, A>(
	node: IExecuteFunctions,
	operation: Operation<P, R, A>,
	context: PrepareContext<R, A>,
	count: number,
	continueOnFail: boolean,
	failed: () => void,
	preparing: Preparing<P>,
): Promise<Array<P | NodeOperationError>> {
	const all = Array.from({ length: count }, (_, index) => index);
	if (continueOnFail) return (await prepareItems(node, operation, context, all, failed, preparing)) as Array<P | NodeOperationError>;
	const firstPass: PrepareContext<R, A> = {
		...context,
		lookup: async (request, options) => {
			if (options?.itemOnly) throw new LookupLater();
			return await context.lookup(request, options);
		},
		// What a deferred lookup left behind is not kept: the second pass makes it.
		once: (name, make) =>
			context.once(name, () => {
				const made = make();
				if (made instanceof Promise) made.catch((error: unknown) => error instanceof LookupLater && context.forget(name));
				return made;
			}),
	};
	const prepared = await prepareItems(node, operation, firstPass, all, () => undefined, preparing, true);
	const later = all.filter((index) => prepared[index] === LATER);
	const bad = prepared.some((plan) => plan instanceof NodeOperationError);
	if (bad) {
		for (const index of later) prepared[index] = notLookedUp(node, index);
		return prepared as Array<P | NodeOperationError>;
	}
	const second = await prepareItems(node, operation, context, later, failed, preparing);
	for (const index of later) prepared[index] = second[index];
	return prepared as Array<P | NodeOperationError>;
}

/** Marks an item whose own lookup waits for the second pass. */
const LATER = Symbol('prepared later');

/** How items are prepared: how many at once, and the check that their request can be sent. */
interface Preparing<P> {
	concurrency: number;
	sendable(plan: P, itemIndex: number): P;
}

/**
 * Prepares the items `indices`, up to `concurrency` at once (an item's own lookup, a contact by
 * its email, is a call: they go side by side, at the delivery's pace); the result is indexed by item.
 */
async function prepareItems<P, R, A>(
	node: IExecuteFunctions,
	operation: Operation<P, R, A>,
	context: PrepareContext<R, A>,
	indices: number[],
	failed: () => void,
	preparing: Preparing<P>,
	deferring = false,
): Promise<Array<P | NodeOperationError | typeof LATER>> {
	const prepared: Array<P | NodeOperationError | typeof LATER> = [];
	let next = 0;
	const worker = async () => {
		while (next < indices.length) await prepareItem(indices[next++]);
	};
	const prepareItem = async (itemIndex: number) => {
		try {
			prepared[itemIndex] = preparing.sendable(await operation.prepare.call(node, itemIndex, context), itemIndex);
		} catch (error) {
			if (deferring && error instanceof LookupLater) {
				prepared[itemIndex] = LATER;
				return;
			}
			if (error instanceof NotLookedUp) {
				prepared[itemIndex] = notLookedUp(node, itemIndex);
				return;
			}
			const itemError = error instanceof NodeOperationError ? error : new NodeOperationError(node.getNode(), error as Error, { itemIndex });
			itemError.context.itemIndex = itemIndex;
			// Whoever threw it says what happened; the item it happened to is said here, once.
			itemError.message = forItem(itemError.message, itemIndex);
			prepared[itemIndex] = itemError;
			failed();
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(preparing.concurrency, indices.length)) }, worker));
	return prepared;
}

/** An item not looked up because another stopped the node first. */
function notLookedUp(node: IExecuteFunctions, itemIndex: number): NodeOperationError {
	const skipped = new NodeOperationError(node.getNode(), forItem('Not looked up: an earlier item stopped the node', itemIndex), {
		itemIndex,
	});
	unprepared.add(skipped);
	return skipped;
}

/**
 * With On Error at Stop Workflow, bad data stops the node before anything is sent (a rerun
 * after fixing it then sends every item once): the error to stop with, if any.
 */
function stopBeforeSending<P>(prepared: Array<P | NodeOperationError>): NodeOperationError | undefined {
	const failed = prepared.filter((plan): plan is NodeOperationError => plan instanceof NodeOperationError);
	const bad = failed.filter((error) => !unprepared.has(error));
	if (bad.length === 0) return undefined;
	const [first] = bad;
	const unchecked = failed.length - bad.length;
	const notChecked =
		unchecked > 0
			? ` (${unchecked} ${unchecked === 1 ? 'item that needed a lookup was' : 'items that needed a lookup were'} not looked up.)`
			: '';
	// The item's own advice first ("A contact ID has no spaces, slashes…"), then what happened to the others.
	const advice = first.description ? `${first.description} ` : '';
	first.description = isLookupFailure(first)
		? `${advice}Nothing was sent to SMASHSEND. Once the lookup works (check the credential, or wait until SMASHSEND answers), run the workflow again; or set "On Error" to continue so that the other items go through.${notChecked}`
		: bad.length === 1
			? `${advice}Nothing was sent to SMASHSEND: fix this item, filter it out, or set "On Error" to continue so that the other items go through.${notChecked}`
			: `${advice}${bad.length} items have bad data (the first is shown). Nothing was sent to SMASHSEND: fix or filter them, or set "On Error" to continue so that the other items go through.${notChecked}`;
	return first;
}

function outputItems<P, R, A>(
	this: IExecuteFunctions,
	run: {
		operation: Operation<P, R, A>;
		channel: Channel<R, A>;
		settings: Settings;
		prepared: Array<P | NodeOperationError>;
		results: Array<BatchItemResult<IDataObject[], CallFailure>>;
		continueOnFail: boolean;
		signal: AbortSignal | undefined;
	},
): INodeExecutionData[] {
	const { operation, channel, settings, prepared, results, continueOnFail, signal } = run;
	const wording = { successSentence: operation.successSentence, unsure: channel.unsure };
	if (signal?.aborted) {
		throw new NodeOperationError(this.getNode(), 'The execution was cancelled while sending items to SMASHSEND', {
			description: describeOtherItems(results, -1, wording),
		});
	}
	const output: INodeExecutionData[] = [];
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
	for (let itemIndex = 0; itemIndex < prepared.length; itemIndex++) {
		const plan = prepared[itemIndex];
		const result = results[itemIndex];
		if (plan instanceof NodeOperationError) {
			output.push(failedItem(plan, itemIndex, {}, toErrorOutput));
			continue;
		}
		if (result.status === 'delivered') {
			for (const json of result.value) output.push({ json, pairedItem: { item: itemIndex } });
			continue;
		}
		if (result.status !== 'failed' && result.status !== 'abandoned') continue;
		const error = toNodeError.call(this, result, itemIndex, channel, settings);
		const batchNote = sentWithNote(result.sentWith);
		if (batchNote) error.description = [error.description, batchNote].filter(Boolean).join(' ');
		if (continueOnFail) {
			output.push(failedItem(error, itemIndex, { ...operation.failedFields?.(plan), attempts: result.attempts }, toErrorOutput));
			continue;
		}
		if (result.status === 'abandoned') continue;
		error.description = channel.redact([error.description, describeOtherItems(results, itemIndex, wording)].filter(Boolean).join(' '));
		throw error;
	}
	return output;
}

function toNodeError<R, A>(
	this: IExecuteFunctions,
	result: Failed,
	itemIndex: number,
	channel: Channel<R, A>,
	settings: Settings,
): NodeApiError {
	const text = describeDeliveryFailure({
		result,
		itemIndex,
		ambiguous: settings.ambiguous,
		describeAnswer: channel.describeAnswer,
		words: channel,
	});
	const { failure } = result;
	const body: JsonObject =
		'answer' in failure
			? {
					statusCode: failure.answer.statusCode,
					message: failure.answer.serverMessage,
					...(failure.answer.serverError ? { error: failure.answer.serverError } : {}),
					...(failure.answer.requestId ? { requestId: failure.answer.requestId } : {}),
				}
			: { message: failureText(failure).message, ...('rejected' in failure && failure.code ? { error: failure.code } : {}) };
	return new NodeApiError(this.getNode(), body, {
		message: forItem(text.message, itemIndex),
		description: text.description,
		httpCode: 'answer' in failure ? String(failure.answer.statusCode) : undefined,
		itemIndex,
	});
}
