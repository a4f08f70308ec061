import type { IExecuteFunctions } from 'n8n-workflow';

import { createHash } from 'crypto';

/**
 * An ID that is the same for one item of one execution of one node: every retry, and n8n's
 * node-level Retry On Fail, sends the same one, so SMASHSEND can drop the repeat.
 */
export function itemKey(this: IExecuteFunctions, kind: string, itemIndex: number): string {
	const execution = this.getExecutionId?.() ?? 'manual';
	const digest = createHash('sha256').update(`${kind}\u0000${execution}\u0000${this.getNode().id}\u0000${itemIndex}`).digest('hex');
	return `n8n-${digest.slice(0, 40)}`;
}
