import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { networkCause, networkCodeNote } from '../../shared/transport/networkErrors';
import { requestIdNote, statusNote } from '../../shared/transport/response';
import type { RestRequest } from '../../shared/transport/restApi';
import { openRestClient } from '../../shared/transport/restClient';
import type { CallResult } from '../delivery/call';
import { failureText, type CallFailure } from '../contract/failures';

/** How long the editor waits for one list. */
const EDITOR_TIMEOUT_MS = 30_000;

/**
 * One call of the editor's (a list for a picker) with the node's SMASHSEND API credential:
 * one attempt, no retries, within 30 s, as the editor waits for it. SMASHSEND's failure
 * comes back as the same CallFailure an execution's call would have (with the key
 * redacted); a credential without a usable Base URL throws.
 */
export async function editorCall(this: ILoadOptionsFunctions, request: RestRequest): Promise<CallResult<IDataObject, CallFailure>> {
	const client = await openRestClient.call(this, { nextStep: 'Edit the SMASHSEND API credential of this node.' });
	const outcome = await client.call(request, { timeoutMs: EDITOR_TIMEOUT_MS });
	if (outcome.ok) return { status: 'delivered', value: outcome.json, attempts: 1 };
	const failure: CallFailure =
		'network' in outcome
			? {
					network: { message: networkCause(outcome.network.code), description: networkCodeNote(outcome.network.code) },
					code: outcome.network.code,
				}
			: { answer: outcome.failure };
	return { status: 'failed', failure, attempts: 1, history: [], cause: 'final', retriesExhausted: false };
}

/**
 * One list for a picker: SMASHSEND's answer; its failure thrown as the dropdown's error
 * (`what`: "the contacts"); undefined when the editor gave up on it (cancelled).
 */
export async function editorList(this: ILoadOptionsFunctions, what: string, request: RestRequest): Promise<IDataObject | undefined> {
	const listed = await editorCall.call(this, request);
	if (listed.status === 'delivered') return listed.value;
	if (listed.status === 'failed') throw listFailure.call(this, what, listed.failure);
	return undefined;
}

/**
 * The error n8n shows in a picker's dropdown when SMASHSEND did not give the list: what,
 * why (the status and SMASHSEND's message, or the network cause), and what to check.
 */
export function listFailure(this: ILoadOptionsFunctions, what: string, failure: CallFailure): NodeOperationError {
	if ('answer' in failure) {
		const { statusCode, serverMessage } = failure.answer;
		const check =
			statusCode === 401 || statusCode === 403
				? 'Check the API key of the SMASHSEND API credential (Settings → API Keys in SMASHSEND).'
				: 'Check the Base URL of the SMASHSEND API credential.';
		return new NodeOperationError(this.getNode(), `SMASHSEND did not list ${what}: ${serverMessage}`, {
			description: [statusNote(failure.answer), check, requestIdNote(failure.answer)].filter(Boolean).join(' '),
		});
	}
	const text = failureText(failure);
	return new NodeOperationError(this.getNode(), `SMASHSEND did not list ${what}: ${text.message}`, {
		description: `${text.description} Check the Base URL of the SMASHSEND API credential and that n8n can reach it.`.trim(),
	});
}
