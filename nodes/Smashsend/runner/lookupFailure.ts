import type { NodeOperationError } from 'n8n-workflow';

import type { CallFailure } from '../contract/failures';

/** Items' errors that come from a lookup SMASHSEND did not answer, or refused for the credential. */
const marked = new WeakSet<NodeOperationError>();

/**
 * Marks an item's error as a lookup's, when the lookup was not answered (the network, a 5xx,
 * a 429) or the credential was refused (401, 403): no fault of the item's data, so the node
 * does not say "fix this item" when it stops. A 4xx about the request itself stays bad data.
 */
export function lookupFailure(error: NodeOperationError, failure: CallFailure | undefined): NodeOperationError {
	const status = failure && 'answer' in failure ? failure.answer.statusCode : undefined;
	const unanswered = failure !== undefined && (status === undefined || status >= 500 || [401, 403, 429].includes(status));
	if (unanswered) marked.add(error);
	return error;
}

/** Whether an item's error is a lookup's that was not answered (see `lookupFailure`). */
export function isLookupFailure(error: NodeOperationError): boolean {
	return marked.has(error);
}
