import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { FailedAnswer } from '../../shared/transport/response';
import type { CallResult, AttemptResult } from '../delivery/call';
import type { CallFailure, ErrorText } from './failures';
import type { OptionsSpec, Settings } from './settings';

/**
 * The Operation contract: what an operation declares (below), and what the runner
 * (runOperation.ts) does with it for every item. An operation's file says how an item becomes a
 * call and how an answer becomes output; it never speaks HTTP or decides retries.
 *
 * The results, from one HTTP call up to one output item:
 *
 * | type | from | what it says |
 * | --- | --- | --- |
 * | `RestOutcome` | shared/transport/restApi.ts | one REST call: a 2xx's JSON, SMASHSEND's refusal (`FailedAnswer`), or a network failure's code |
 * | `FailedAnswer` | shared/transport/response.ts | an answer that was not a success, in safe words (status, message, Retry-After, request ID) |
 * | `AttemptResult<V, F>` | delivery/call.ts | one attempt as the retry policy sees it: a value, or an outcome (`AttemptOutcome`) and a failure |
 * | `FailureClass` | delivery/retryPolicy.ts | never-arrived (safe to send again), maybe-arrived (it may have been done), final |
 * | `CallFailure` | contract/failures.ts | why a call failed for good, to be worded: an answer, the network, a listing, a refusal inside a batch |
 * | `CallResult<V, F>` | delivery/call.ts | one call after its retries: delivered, failed, abandoned (stopped after an attempt), not sent, cancelled |
 * | `ItemResult<V, F>` | delivery/itemDelivery.ts | an item's `CallResult`, or skipped (bad data, caught before sending) |
 * | `ItemVerdict<V, F>` / `BatchAnswer<V, F>` | delivery/batchDelivery.ts | what a batch's answer says of each of its items, or "too large" |
 * | `BatchItemResult<V, F>` | delivery/batchDelivery.ts | an `ItemResult` that also names the items its batch was sent with |
 * | `Remembered<V, F>` | delivery/retryOnFailMemory.ts | what an earlier try of the same node run did with a call (n8n's Retry On Fail) |
 */

/**
 * Where an operation's calls go and how their answers are told: the flow webhook, or the
 * REST API. Opened once per execution from the node's credential.
 */
export interface Channel<R, A> {
	/** One attempt of one call; never throws (network failures come back as failures). */
	send(request: R, itemIndex: number, signal: AbortSignal): Promise<AttemptResult<A, CallFailure>>;
	/** What an answer that was not a success means, and what to do next. */
	describeAnswer(answer: FailedAnswer, itemIndex: number): ErrorText;
	/** What may be true when a call's answer was lost ("the flow may or may not have started"). */
	unsure: string;
	/** What to check then, before sending the item again ("Check the flow's runs in SMASHSEND"). */
	checkFirst: string;
	/** Why such a call was not sent again, under At Most Once (the flows' option by default). */
	notRetried?: string;
	/** Removes the channel's secrets from a text headed for an error. */
	redact(text: string): string;
	/** Where a request holds text no request can carry (half of a character in its path or query), if anywhere. */
	unsendable?(request: R): string | undefined;
	/** Names the account or flow the calls go to, without its secret: executions calling the same one share a pace. */
	paceKey: string;
}

/** What an operation's `prepare` may use besides the item's parameters. */
export interface PrepareContext<R = unknown, A = unknown> {
	/** The input items. */
	items: INodeExecutionData[];
	/** The key of one logical call (shared/keys.ts), for ids SMASHSEND deduplicates by. */
	callKey(keyPrefix: string, itemIndex: number, content: string): string;
	/** A value computed once per execution and shared by all items (a lookup, readers). */
	once<T>(name: string, make: () => T): T;
	/** Forgets a value `once` computed, so that the next asks anew. */
	forget(name: string): void;
	/**
	 * A call before the items go out (a lookup), with the execution's retries, pace and
	 * concurrency (items are prepared several at once). With `reuse`, what it returns of an answer
	 * (only what is needed: a contact's id) is kept for n8n's next try of this run (Retry On
	 * Fail), which then gets it without a call; undefined keeps nothing. `itemOnly`: a lookup for
	 * this item alone (a contact by its email), made only once every item's own data is known to
	 * be good when the node stops at the first bad item; without it, a lookup for all items (the
	 * workspace's properties).
	 */
	lookup(request: R, options?: { reuse?: (answer: A) => unknown; itemOnly?: boolean }): Promise<CallResult<A, CallFailure>>;
}

/**
 * One operation of the node, declared: how an item becomes a call, how an answer becomes
 * output items, and its words. runner/runOperation.ts runs every operation the same way.
 */
export interface Operation<P, R, A> {
	/**
	 * "contact.upsert": the start of every key derived for its calls (shared/keys.ts: the
	 * Idempotency-Key, an event's messageId, an email's idempotencyKey). Stored in SMASHSEND
	 * with every call: never renamed, or a retry after an upgrade would no longer be a repeat.
	 */
	keyPrefix: string;
	/**
	 * "Contacts saved for": the start of the sentence that lists the items that went through
	 * when the node stops ("Contacts saved for items 0–3, 5."; contract/failures.ts).
	 */
	successSentence: string;
	/**
	 * Whether a call changes something in SMASHSEND. Such calls, once delivered, are not sent
	 * again when n8n's Retry On Fail runs the node again (delivery/retryOnFailMemory.ts), and a
	 * call whose answer was lost is worded "may or may not have been carried out"; reads are
	 * simply made again.
	 */
	isWrite: boolean;
	/** The Options collection's defaults (rate limit and its period). */
	options: OptionsSpec;
	/** The channel, from the node's credential; throws NodeOperationError when it is unusable. */
	open(this: IExecuteFunctions, settings: Settings): Promise<Channel<R, A>>;
	/** Reads and checks one item's parameters; throws NodeOperationError for bad data. */
	prepare(this: IExecuteFunctions, itemIndex: number, context: PrepareContext<R, A>): Promise<P> | P;
	request(plan: P): R;
	/** The call's key for remembering it across Retry On Fail; derived from the request by default. */
	key?(plan: P): string | undefined;
	/** The output items of one input item, from the answer. */
	output(answer: A, plan: P, item: INodeExecutionData, attempts: number): IDataObject[];
	/**
	 * For a success that still fails the item (a search that found no contact, for an
	 * operation that needs one): the item's error, or undefined when the answer is its output.
	 */
	refuse?(answer: A, plan: P, itemIndex: number): ErrorText | undefined;
	/** For listings: the next page's request after an answer (undefined: done), and each page's records. */
	pages?: {
		/** The page's records; undefined when the answer holds no list (a malformed page). */
		items(answer: A): IDataObject[] | undefined;
		next(answer: A, plan: P, collected: number): R | undefined;
		/** Most records to output for one input item. */
		max(plan: P): number;
	};
	/**
	 * After an attempt whose answer was lost (a reset, a timeout, a 5xx), a retry's answer may
	 * say that the lost attempt did the work (a Delete finding the contact gone: 404; a create
	 * meeting its own record: 409). The output items then, or undefined for a plain failure.
	 */
	doneAfterLostAnswer?(answer: FailedAnswer, plan: P): IDataObject[] | undefined;
	/**
	 * For a call that creates something SMASHSEND refuses to create twice: looks for what an
	 * earlier attempt may have made, after an attempt whose answer was lost (before sending
	 * again) and when SMASHSEND answers that it exists (`conflict`: an earlier try of n8n's Retry
	 * On Fail, or an earlier run). `find` makes one call and throws when it fails (the item then
	 * keeps the outcome it had). The output items when found; undefined when not.
	 */
	findExisting?(plan: P, find: (request: R) => Promise<A>): Promise<IDataObject[] | undefined>;
	/** With findExisting: whether a refusal says that what the call creates exists already (a 409). */
	conflict?(answer: FailedAnswer): boolean;
	/**
	 * For a refusal that holds for every item of the run, not this one's data (a workspace without
	 * early access to an API): its words. The item fails with them, and the run's other items
	 * fail with them without a call (one refusal, one sentence, not one per item).
	 */
	closesRun?(answer: FailedAnswer): ErrorText | undefined;
	/** Fields a failed item carries besides the error (the flow's email). */
	failedFields?(plan: P): IDataObject;
	/**
	 * What the item's call changes, for calls whose order matters (one contact: its email or id;
	 * one property: its id). Items with the same key are carried out in input order, each once
	 * the one before it is settled, in single calls and in batches alike (delivery/itemOrder.ts),
	 * so that the last item's data is what stays in SMASHSEND.
	 */
	orderKey?(plan: P): string | undefined;
	/**
	 * For operations SMASHSEND can also do for many items in one call: used when more than one
	 * item is to be sent and Options → Batch Size is above 1 (runner/batchCalls.ts).
	 */
	batch?: BatchSpec<P, R, A>;
}

/** One item SMASHSEND refused inside a batch, as its answer lists it. */
export interface BatchItemError {
	code?: string;
	message: string;
	/** SMASHSEND says a later attempt may succeed. */
	retryable: boolean;
	retryAfterMs?: number;
}

/** How several items go in one call, and how the call's answer tells each item's outcome. */
export interface BatchSpec<P, R, A> {
	/** The call for several items at once. A batch may be sent more than once: it must be idempotent. */
	request(plans: P[]): R;
	/**
	 * Each item's answer, in the shape its one-item call answers (so that `output` serves both),
	 * in the order of `plans` (the refused ones are not read).
	 */
	answers(answer: A, plans: P[]): A[];
	/**
	 * The items SMASHSEND refused, by their position in the batch; `allNamed` is false when the
	 * answer counts more failures than it names (then no other item is known to have gone through).
	 */
	errors(answer: A): { refused: Map<number, BatchItemError>; allNamed: boolean };
	/** Whether a refusal of the whole batch says it holds too many items. */
	tooLarge(answer: FailedAnswer): boolean;
	/**
	 * Plans that only the batch call carries out (a contact's own Created At, kept by the import
	 * alone): always sent in batches (alone too, whatever the Batch Size), never in a call with
	 * plans that are not. When there are any, every item goes in the one ordered delivery of
	 * batches; with Batch Size 1 the others go in their own one-item calls there.
	 */
	only?(plan: P): boolean;
}
