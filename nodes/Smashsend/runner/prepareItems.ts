import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { callKey, type KeyScope } from '../../shared/keys';
import { callWithRetries, type CallContext } from '../delivery/call';
import type { RunMemory } from '../delivery/retryOnFailMemory';
import { BROKEN_TEXT_ADVICE } from '../helpers/text';
import { forItem, type CallFailure } from '../contract/failures';
import type { Channel, Operation, PrepareContext } from '../contract/Operation';
import { isLookupFailure } from './lookupFailure';

/**
 * Preparing the items of a run: each item's plan (its call), or the error that makes it fail
 * alone, before anything is sent. `lookups`: the calls preparation makes (a contact by its
 * email, the workspace's custom properties), with the execution's retries and pace.
 */
export async function prepareItems<P, R, A>(
	node: IExecuteFunctions,
	run: {
		operation: Operation<P, R, A>;
		channel: Channel<R, A>;
		items: INodeExecutionData[];
		continueOnFail: boolean;
		scope: KeyScope;
		lookups: CallContext;
		runMemory?: RunMemory<IDataObject[], CallFailure>;
		concurrency: number;
	},
): Promise<Array<P | NodeOperationError>> {
	const { operation, channel, items, continueOnFail, scope, lookups, runMemory } = run;
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
			if (!(error instanceof URIError)) throw new NodeOperationError(node.getNode(), error as Error, { itemIndex });
			where = 'its address';
		}
		if (where === undefined) return plan;
		throw new NodeOperationError(node.getNode(), forItem(`The item has half of a character in ${where}`, itemIndex), {
			description: BROKEN_TEXT_ADVICE,
			itemIndex,
		});
	};
	// Items are prepared as many at once as calls may be in flight: their lookups then go at the delivery's pace.
	const preparing = { concurrency: run.concurrency, sendable };
	return await prepareAll(node, operation, context, items.length, continueOnFail, () => (stopping = !continueOnFail), preparing);
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
	if (continueOnFail) return (await prepareSome(node, operation, context, all, failed, preparing)) as Array<P | NodeOperationError>;
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
	const prepared = await prepareSome(node, operation, firstPass, all, () => undefined, preparing, true);
	const later = all.filter((index) => prepared[index] === LATER);
	const bad = prepared.some((plan) => plan instanceof NodeOperationError);
	if (bad) {
		for (const index of later) prepared[index] = notLookedUp(node, index);
		return prepared as Array<P | NodeOperationError>;
	}
	const second = await prepareSome(node, operation, context, later, failed, preparing);
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
async function prepareSome<P, R, A>(
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
	// Each worker prepares the next item not yet taken, one after another.
	const worker = async () => {
		while (next < indices.length) {
			const itemIndex = indices[next++];
			try {
				prepared[itemIndex] = preparing.sendable(await operation.prepare.call(node, itemIndex, context), itemIndex);
			} catch (error) {
				if (deferring && error instanceof LookupLater) {
					prepared[itemIndex] = LATER;
					continue;
				}
				if (error instanceof NotLookedUp) {
					prepared[itemIndex] = notLookedUp(node, itemIndex);
					continue;
				}
				const itemError =
					error instanceof NodeOperationError ? error : new NodeOperationError(node.getNode(), error as Error, { itemIndex });
				itemError.context.itemIndex = itemIndex;
				// Whoever threw it says what happened; the item it happened to is said here, once.
				itemError.message = forItem(itemError.message, itemIndex);
				prepared[itemIndex] = itemError;
				failed();
			}
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
export function stopBeforeSending<P>(prepared: Array<P | NodeOperationError>): NodeOperationError | undefined {
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
