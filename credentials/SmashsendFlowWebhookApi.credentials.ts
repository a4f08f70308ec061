import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { parseWebhookUrl, WEBHOOK_URL_EXAMPLE } from '../nodes/shared/flowWebhookUrl';
import { USER_AGENT } from '../nodes/shared/transport/userAgent';

const COPY_AGAIN = "Copy the URL again from the flow's Webhook trigger in SMASHSEND.";

function answerRule(statusCode: number | undefined, message: string) {
	return { type: 'responseSuccessBody' as const, properties: { key: 'statusCode', value: statusCode, message } };
}

/**
 * A SMASHSEND flow's webhook URL. SMASHSEND authenticates flow webhook calls by the URL
 * alone, so the whole URL is the secret: it is stored encrypted and shown as a password.
 */
export class SmashsendFlowWebhookApi implements ICredentialType {
	// Written out (n8n's lint and scanner read it as a literal); a unit test holds it to nodes/shared/credentials.ts.
	name = 'smashsendFlowWebhookApi';

	// n8n's verification wants credential names to end in "API"; only the display name, which
	// workflows do not store, says so.
	displayName = 'SMASHSEND Flow Webhook API';

	icon: Icon = {
		light: 'file:../nodes/Smashsend/smashsend.svg',
		dark: 'file:../nodes/Smashsend/smashsend.dark.svg',
	};

	documentationUrl = 'https://github.com/smashsend/n8n-nodes-smashsend#credentials';

	properties: INodeProperties[] = [
		{
			displayName:
				'Each flow has a URL of its own: make one credential per flow, and name it after the flow (e.g. "SMASHSEND – Welcome series") so that it is easy to pick in the node.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		// The URL is the secret that starts the flow, so it is stored and shown as a password.
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: WEBHOOK_URL_EXAMPLE,
			description:
				"The URL of the flow's Webhook trigger in SMASHSEND (it ends in /v1/flows/{flowId}/{workspaceId}/call). Anyone with this URL can start the flow, so treat it like a password.",
		},
	];

	/**
	 * Checks the URL's shape before anything is sent, with a message that shows the expected
	 * form, and points the request at the normalised URL. The node checks the same way.
	 */
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const parsed = parseWebhookUrl(credentials.webhookUrl);
		if (!parsed.ok) throw new Error(parsed.reason);
		return {
			...requestOptions,
			url: parsed.webhook.url,
			headers: { ...requestOptions.headers, 'User-Agent': USER_AGENT },
		};
	};

	/**
	 * Proves that the URL answers without starting a flow run: a call without `email`, which
	 * SMASHSEND answers with its 400 validation error. Any other answer names what is wrong.
	 * (Rules compare one field of the answer; the first match fails the test.)
	 */
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: '={{$credentials.webhookUrl}}',
			body: { source: 'n8n credential test (no email, so no flow run)' },
			json: true,
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'success',
					value: true,
					message:
						"This URL accepted a call without an email, which a SMASHSEND flow webhook never does. Check that it is the URL of a flow's Webhook trigger.",
				},
			},
			answerRule(404, `SMASHSEND does not know this flow webhook: the flow may have been deleted. ${COPY_AGAIN}`),
			answerRule(410, `SMASHSEND does not know this flow webhook any more. ${COPY_AGAIN}`),
			answerRule(401, `SMASHSEND refused this webhook URL. ${COPY_AGAIN}`),
			answerRule(403, `SMASHSEND refused this webhook URL. ${COPY_AGAIN}`),
			answerRule(429, 'SMASHSEND is rate-limiting calls right now, so the URL could not be checked. Try again in a minute.'),
			answerRule(500, 'SMASHSEND could not handle the request, so the URL could not be checked. Try again later.'),
			answerRule(
				502,
				'SMASHSEND or a proxy in front of it could not handle the request, so the URL could not be checked. Try again later.',
			),
			answerRule(503, 'SMASHSEND is unavailable, so the URL could not be checked. Try again later.'),
			answerRule(504, 'SMASHSEND did not answer in time, so the URL could not be checked. Try again later.'),
			answerRule(
				undefined,
				`The URL answered, but not like a SMASHSEND flow webhook. It should look like ${WEBHOOK_URL_EXAMPLE}. ${COPY_AGAIN}`,
			),
		],
	};
}
