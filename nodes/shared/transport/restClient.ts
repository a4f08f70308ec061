import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { API_CREDENTIAL } from '../credentials';
import { paceKey } from '../keys';
import { readingFor } from './readings';
import { parseBaseUrl, restCall, type ApiContext, type RestOutcome, type RestRequest } from './restApi';

/**
 * SMASHSEND's REST API with the node's SMASHSEND API credential: the one way every part of the
 * package opens it (an execution's calls, the editor's lists, the trigger's registration).
 */
export interface RestClient {
	/** The credential's Base URL, checked (https, or http to this machine). */
	baseUrl: string;
	/** Names the account without its key: executions calling the same one share a pace. */
	account: string;
	/** Removes the API key and the other secrets given from a text headed for an error. */
	redact(text: string): string;
	/**
	 * One call, never throwing: SMASHSEND's answer, or the network failure's code. The key is
	 * removed from every answer, the other secrets from a failure's texts (a success is data the
	 * caller reads: a registration echoing its token).
	 */
	call(request: RestRequest, options?: { timeoutMs?: number; abortSignal?: AbortSignal }): Promise<RestOutcome>;
}

/** Secrets shorter than this are left alone: they could match ordinary words. */
const SHORTEST_SECRET = 8;

/** Removes every secret of 8 characters or more from a text. */
export function secretRedactor(secrets: Array<string | undefined>): (text: string) => string {
	const known = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= SHORTEST_SECRET);
	return (text: string) => known.reduce((result, secret) => result.split(secret).join('[redacted]'), text);
}

/**
 * Opens the REST API from the node's credential. `secrets`: more than the key to keep out of
 * error texts (the trigger's signing token). A Base URL the key may not travel to throws, with
 * `nextStep` as the error's description.
 */
export async function openRestClient(
	this: ApiContext,
	{ nextStep, secrets = [] }: { nextStep: string; secrets?: Array<string | undefined> },
): Promise<RestClient> {
	const credentials = (await this.getCredentials(API_CREDENTIAL)) as IDataObject;
	const base = parseBaseUrl(credentials.baseUrl);
	if (!base.ok) throw new NodeOperationError(this.getNode(), base.reason, { description: nextStep });
	const key = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	const redactKey = secretRedactor([key]);
	const redactOthers = secretRedactor(secrets);
	const account = paceKey('rest', base.url, key);
	return {
		baseUrl: base.url,
		account,
		redact: (text) => redactOthers(redactKey(text)),
		// Either reading, where SMASHSEND's public sources disagree (readings.ts).
		call: async (request, options = {}) => {
			const how = { ...options, redact: redactKey, redactFailure: redactOthers };
			const reading = readingFor(account, request);
			const first = await restCall.call(this, base.url, reading.first, how);
			const other = reading.next(first);
			return reading.outcome(first, other && (await restCall.call(this, base.url, other, how)));
		},
	};
}
