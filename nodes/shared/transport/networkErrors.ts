/**
 * What a request that failed before any answer came back was: its error code, wherever n8n
 * put it, and how to speak of it. Shared by every channel; what the failure means for the
 * call (did a flow start?) is the caller's wording.
 */

const NETWORK_CAUSES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset',
	EPIPE: 'the connection was closed while sending',
	ENOTFOUND: 'the host name could not be resolved (DNS)',
	EAI_AGAIN: 'the host name could not be resolved (DNS, for now)',
	ETIMEDOUT: 'the connection timed out',
	ECONNABORTED: 'no answer came before the timeout',
	ESOCKETTIMEDOUT: 'no answer came before the timeout',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	ERR_CANCELED: 'the execution was cancelled',
	ERR_BAD_RESPONSE: 'the connection broke off while SMASHSEND answered',
	ERR_BAD_REQUEST: 'the request could not be made',
	ERR_INVALID_URL: 'the address is not a valid URL',
	EPROTO: 'the connection broke off (protocol)',
	Z_DATA_ERROR: "SMASHSEND's answer could not be decompressed",
	Z_BUF_ERROR: "SMASHSEND's answer broke off",
	CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
	DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed",
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate could not be verified",
};

const NETWORK_LABELS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	EPIPE: 'connection closed',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name not found',
	ETIMEDOUT: 'connect timeout',
	ECONNABORTED: 'timeout',
	ESOCKETTIMEDOUT: 'timeout',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ERR_CANCELED: 'cancelled',
	ERR_BAD_RESPONSE: 'answer broke off',
};

const NETWORK_CODE = /^(E[A-Z0-9_]+|ERR_[A-Z0-9_]+|[A-Z_]*CERT[A-Z_]*|UNABLE_TO_[A-Z_]+)$/;

/**
 * The error code of a failed request, wherever n8n's helper put it: axios sets `code`, Node
 * nests it in `cause`; `httpRequestWithAuthentication` wraps every failure in a NodeApiError,
 * which keeps the original as `cause` on n8n 2.x but drops it on 1.x, where only the code it
 * found survives, as `httpCode`.
 */
export function networkErrorCode(error: unknown, depth = 0): string | undefined {
	if (typeof error !== 'object' || error === null || depth > 5) return undefined;
	const { code, cause, httpCode } = error as { code?: unknown; cause?: unknown; httpCode?: unknown };
	// axios' ERR_BAD_RESPONSE (an answer broken off) says less than the socket's code in its cause, when there is one.
	const vague = code === 'ERR_BAD_RESPONSE' || code === 'ERR_BAD_REQUEST';
	if (typeof code === 'string' && !vague) return code;
	const nested = networkErrorCode(cause, depth + 1);
	if (nested !== undefined) return nested;
	if (typeof code === 'string') return code;
	return typeof httpCode === 'string' && NETWORK_CODE.test(httpCode) ? httpCode : undefined;
}

/**
 * What a network failure was, in words only: n8n replaces an error message that names the
 * code (ECONNREFUSED, …, in any case) with a generic sentence that would drop the item
 * number, so the code belongs in the description.
 */
export function networkCause(code: string | undefined): string {
	return (code && NETWORK_CAUSES[code]) ?? 'the request ended without a complete answer';
}

/** The code of a network failure, for an error's description. */
export function networkCodeNote(code: string | undefined): string {
	return code ? `Code ${code}.` : '';
}

/** A failed attempt in the list of attempts an error message shows: in words, for the same reason. */
export function networkLabel(code: string | undefined): string {
	return (code && NETWORK_LABELS[code]) ?? 'no answer';
}
