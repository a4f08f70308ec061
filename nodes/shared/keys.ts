import type { IExecuteFunctions } from 'n8n-workflow';

import { createHash, randomUUID } from 'crypto';

/**
 * Every key the package derives for a call comes from here: the flow webhook's
 * Idempotency-Key, an event's messageId, an email's idempotencyKey, and the key under which
 * a delivered call is remembered for n8n's Retry On Fail (delivery/retryOnFailMemory.ts).
 *
 * The rule: a key names one logical call, that is
 *
 *   (what kind of call, execution id, node id, run index, item index, content)
 *
 * - n8n's Retry On Fail runs the node again with the same run index and the same items, and
 *   our own retries resend the same request: same key, so SMASHSEND (or the Retry On Fail memory) drops
 *   the repeat.
 * - Every other way n8n runs a node again in one execution gets a new run index: a Loop
 *   Over Items pass, a second input branch, a loop built with IF/Merge, an AI Agent's tool
 *   call, a run after a Wait node. New run index, new key: the call is sent.
 * - Another execution has another id; another item or other content is another call.
 */
export interface KeyScope {
	readonly execution: string;
	readonly node: string;
	readonly run: number | string;
}

/** The run index n8n gives this run of the node (`$runIndex`, on n8n 1.x and 2.x alike). */
function runIndexOf(context: IExecuteFunctions): number | undefined {
	const proxy = typeof context.getWorkflowDataProxy === 'function' ? context.getWorkflowDataProxy(0) : undefined;
	const runIndex = proxy?.$runIndex;
	return typeof runIndex === 'number' && Number.isInteger(runIndex) && runIndex >= 0 ? runIndex : undefined;
}

/**
 * What the keys of this run of the node have in common. Where n8n does not say which
 * execution or run this is, the run gets a random scope of its own: its keys then never
 * match another run's (nothing is dropped), at the price of Retry On Fail sending again.
 */
export function keyScope(this: IExecuteFunctions): KeyScope {
	const execution = this.getExecutionId?.();
	const run = runIndexOf(this);
	const unknown = `unknown-${randomUUID()}`;
	return {
		execution: typeof execution === 'string' && execution !== '' ? execution : unknown,
		node: this.getNode().id,
		run: run ?? unknown,
	};
}

/**
 * The key of one call. `content` is what the call sends (already serialised, so that a
 * caller that has the JSON at hand does not stringify it twice). A key is 45 characters plus
 * the kind's length, well within SMASHSEND's 128.
 */
export function callKey(scope: KeyScope, kind: string, itemIndex: number, content: string): string {
	const digest = createHash('sha256')
		.update(`${kind}\u0000${scope.execution}\u0000${scope.node}\u0000${scope.run}\u0000${itemIndex}\u0000`)
		.update(content)
		.digest('hex');
	return `n8n-${kind}-${digest.slice(0, 40)}`;
}

/**
 * A key the user set (an event's Message ID, an email's Idempotency Key), sent exactly as
 * given. An expression may make it a number (an order id): that is its text. Empty means
 * "derive one"; anything else that is not text is `invalid`.
 */
export function givenKey(value: unknown): { key?: string; invalid?: true } {
	if (value === undefined || value === null) return {};
	if (typeof value === 'number' || typeof value === 'bigint') return { key: String(value) };
	if (typeof value !== 'string') return { invalid: true };
	return value.trim() === '' ? {} : { key: value };
}

/** A digest that names an account or a flow without holding its secret: the key of a shared pace (delivery/sharedPace.ts). */
export function paceKey(...parts: string[]): string {
	return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}
