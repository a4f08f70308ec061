import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { networkCause, networkErrorCode } from '../helpers/messages';
import { interpretResponse } from '../helpers/response';
import { USER_AGENT } from '../helpers/userAgent';
import { parseWebhookUrl, redact } from '../helpers/webhookUrl';

const TEST_TIMEOUT_MS = 15_000;

interface TestResponse {
	statusCode: number;
	statusMessage?: string;
	headers?: Record<string, unknown>;
	body?: unknown;
}

/**
 * Proves that the flow webhook URL answers, without starting a flow run: it posts an
 * object without `email`, which SMASHSEND answers with a 400 validation error.
 */
export async function smashsendFlowWebhookApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const parsed = parseWebhookUrl(credential.data?.webhookUrl);
	if (!parsed.ok) return { status: 'Error', message: parsed.reason };
	const { webhook } = parsed;

	let response: TestResponse;
	try {
		// ICredentialTestFunctions offers only `request` in every n8n line we support (1.x and 2.x).
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
		response = (await this.helpers.request({
			method: 'POST',
			uri: webhook.url,
			headers: { 'User-Agent': USER_AGENT, Accept: 'application/json' },
			body: {},
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			timeout: TEST_TIMEOUT_MS,
		})) as TestResponse;
	} catch (error) {
		return {
			status: 'Error',
			message: redact(`Could not reach SMASHSEND: ${networkCause(networkErrorCode(error))}.`, webhook.secrets),
		};
	}

	const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
	const answer = interpretResponse(
		{ statusCode: response.statusCode, statusMessage: response.statusMessage, headers: response.headers ?? {}, body },
		webhook.secrets,
	);
	const { statusCode } = response;
	if (statusCode === 400 || statusCode === 422) {
		return { status: 'OK', message: 'The flow webhook answers. No flow run was started by this test.' };
	}
	if (answer.ok || (statusCode >= 200 && statusCode < 300)) {
		return {
			status: 'Error',
			message:
				'This URL accepted a call without an email, which a SMASHSEND flow webhook never does: check that it is the URL of a flow\'s Webhook trigger.',
		};
	}
	const server = answer.failure.serverMessage;
	if (statusCode === 404 || statusCode === 405 || statusCode === 410) {
		return {
			status: 'Error',
			message: `SMASHSEND does not know this flow webhook (HTTP ${statusCode}: ${server}). Copy the URL again from the flow's Webhook trigger; the flow may have been deleted.`,
		};
	}
	if (statusCode === 401 || statusCode === 403) {
		return {
			status: 'Error',
			message: `SMASHSEND refused this webhook URL (HTTP ${statusCode}: ${server}). Copy the URL again from the flow's Webhook trigger.`,
		};
	}
	if (statusCode === 429) {
		return {
			status: 'Error',
			message: `SMASHSEND is rate-limiting calls right now (HTTP 429), so the URL could not be checked. Try again${answer.failure.retryAfter ? ` in ${answer.failure.retryAfter} s` : ' in a minute'}.`,
		};
	}
	return {
		status: 'Error',
		message: `SMASHSEND could not be checked: HTTP ${statusCode} (${server}). Try again later.`,
	};
}
