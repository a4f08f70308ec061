import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { callWithRetries, takeTurn, type AttemptResult, type CallContext, type CallResult } from '../delivery/call';
import { deliverItems, type DeliveryOptions, type ItemResult } from '../delivery/itemDelivery';
import type { TaskMemory } from '../delivery/retryOnFailMemory';
import { classifyFailure } from '../delivery/retryPolicy';
import { crashFailure, describeNetworkError, forItem, type CallFailure, type ErrorText } from '../contract/failures';
import type { Channel, Operation } from '../contract/Operation';
import { walkPages } from './pages';

/**
 * The items of a run one call each (or one per page of a listing), at the delivery's
 * concurrency and pace, in the order the delivery's ItemOrder allows; each item's outcome in
 * input order. An exception while an item is sent fails that item alone.
 */
export async function callOneByOne<P, R, A>(run: {
	operation: Operation<P, R, A>;
	channel: Channel<R, A>;
	items: INodeExecutionData[];
	tasks: Array<P | undefined>;
	options: DeliveryOptions & { keyOf?: (index: number) => string | undefined };
	memory?: TaskMemory<IDataObject[], CallFailure>;
	/** The calls a look for what a lost attempt made makes inside an attempt (Contact Property → Create). */
	findCalls: CallContext;
}): Promise<Array<ItemResult<IDataObject[], CallFailure>>> {
	const { operation, channel, items, tasks, memory, findCalls } = run;
	// The items something was sent for: an exception after that may have come after SMASHSEND did the work.
	const sentFor = new Set<number>();
	const crashed = (error: unknown, itemIndex: number): CallResult<IDataObject[], CallFailure> => {
		const sent = sentFor.has(itemIndex);
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
	// A refusal that holds for the whole run (operation.closesRun): the first item's words, for the others without a call.
	let closed: ErrorText | undefined;
	const deliverOne = async (plan: P, itemIndex: number, context: CallContext): Promise<CallResult<IDataObject[], CallFailure>> => {
		const notSent = (why: ErrorText) => ({ message: forItem(`Not sent: ${why.message}`, itemIndex), description: why.description });
		if (closed)
			return {
				status: 'failed',
				failure: { rejected: notSent(closed) },
				attempts: 0,
				history: [],
				cause: 'final',
				retriesExhausted: false,
			};
		// Every call of the item: not made once the run is closed; the refusal that closes it, worded.
		const send = async (request: R, s: AbortSignal): Promise<AttemptResult<A, CallFailure>> => {
			if (closed)
				return { ok: false, outcome: { kind: 'answer', statusCode: 403 }, failure: { rejected: notSent(closed) }, label: 'not sent' };
			sentFor.add(itemIndex);
			const attempt = await channel.send(request, itemIndex, s);
			const why = !attempt.ok && 'answer' in attempt.failure ? operation.closesRun?.(attempt.failure.answer) : undefined;
			if (!why || attempt.ok) return attempt;
			closed ??= why;
			return { ...attempt, failure: { rejected: { message: forItem(why.message, itemIndex), description: why.description } } };
		};
		const outputs = (answer: A, attempts: number) => operation.output(answer, plan, items[itemIndex], attempts);
		const pages = operation.pages;
		if (pages) {
			const listing = await walkPages(
				operation.request(plan),
				{ items: pages.items, next: (answer, collected) => pages.next(answer, plan, collected) },
				pages.max(plan),
				async (request) => await callWithRetries((_n, s) => send(request, s), context),
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
		// One attempt of the item's call (callWithRetries makes as many as the retries allow).
		const oneAttempt = async (_n: number, s: AbortSignal): Promise<AttemptResult<A | undefined, CallFailure>> => {
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
		};
		const result = await callWithRetries(oneAttempt, context);
		if (result.status !== 'delivered') return result;
		if (result.value === undefined) return { ...result, value: doneEarlier ?? [] };
		const refused = operation.refuse?.(result.value, plan, itemIndex);
		if (refused) {
			const { attempts, history = [] } = result;
			return { status: 'failed', failure: { rejected: refused }, attempts, history, cause: 'final', retriesExhausted: false };
		}
		return { ...result, value: outputs(result.value, result.attempts) };
	};
	// One item's exception fails that item alone, with what may have happened (`crashed`).
	return await deliverItems<P, IDataObject[], CallFailure>(tasks, deliverOne, { ...run.options, crashed }, memory);
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
