import { networkLabel } from '../../shared/transport/networkErrors';
import type { FailedAnswer } from '../../shared/transport/response';
import type { AttemptResult } from '../delivery/call';
import { describeNetworkError, type CallFailure, type Unsure } from '../contract/failures';

/** An attempt that failed before any answer, for the retry policy and the item's error. */
export function networkAttempt<V>(code: string | undefined, itemIndex: number, words: Unsure): AttemptResult<V, CallFailure> {
	return {
		ok: false,
		outcome: { kind: 'network', code },
		failure: { network: describeNetworkError(code, itemIndex, words), code },
		label: networkLabel(code),
	};
}

/** An attempt that SMASHSEND answered with something other than a success. */
export function refusedAttempt<V>(failure: FailedAnswer): AttemptResult<V, CallFailure> {
	return {
		ok: false,
		outcome: { kind: 'answer', statusCode: failure.statusCode, retryAfter: failure.retryAfter },
		failure: { answer: failure },
		label: `HTTP ${failure.statusCode}`,
	};
}
