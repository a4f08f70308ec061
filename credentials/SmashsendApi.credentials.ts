import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { parseBaseUrl } from '../nodes/shared/transport/restApi';
import { USER_AGENT } from '../nodes/shared/transport/userAgent';

/**
 * A SMASHSEND API key, for contacts, events, emails and the SMASHSEND Trigger. Sent as
 * `Authorization: Bearer …`; the base URL can point at another SMASHSEND (or the emulator).
 */
/** What the test says when SMASHSEND's key check answers, but not SUCCEED. */
const NOT_SUCCEEDED = "SMASHSEND's check of this API key did not say SUCCEED. Copy the key again from Settings → API Keys.";

/**
 * A 200 whose `status` is not SUCCEED fails the test, as in SMASHSEND's SDK (`valid: status ===
 * 'SUCCEED'`). n8n's declarative rules fail a test only when a field equals a value (read with
 * lodash's `get`), so "not SUCCEED" is written as the ways of differing: no status (or one that is
 * not text), another length up to 32, or at one of its seven places another letter, digit or
 * underscore. (Text that differs only in other characters, or is longer than 32, would pass.)
 */
const statusNotSucceed = [
	// No status, or one that is not text.
	{ type: 'responseSuccessBody', properties: { key: 'status.length', value: undefined, message: NOT_SUCCEEDED } },
	...Array.from({ length: 33 }, (_, length) => length)
		.filter((length) => length !== 'SUCCEED'.length)
		.map((length) => ({ type: 'responseSuccessBody', properties: { key: 'status.length', value: length, message: NOT_SUCCEEDED } })),
	...[...'SUCCEED'].flatMap((letter, place) =>
		[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_']
			.filter((other) => other !== letter)
			.map((other) => ({ type: 'responseSuccessBody', properties: { key: `status[${place}]`, value: other, message: NOT_SUCCEEDED } })),
	),
];

export class SmashsendApi implements ICredentialType {
	// Written out (n8n's lint and scanner read it as a literal); a unit test holds it to nodes/shared/credentials.ts.
	name = 'smashsendApi';

	displayName = 'SMASHSEND API';

	icon: Icon = {
		light: 'file:../nodes/Smashsend/smashsend.svg',
		dark: 'file:../nodes/Smashsend/smashsend.dark.svg',
	};

	documentationUrl = 'https://github.com/smashsend/n8n-nodes-smashsend#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'sk_live_…',
			description:
				'Create one in SMASHSEND under Settings → API Keys. An EDITOR key can do everything this node offers; a VIEWER key can only get, find and list contacts.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.smashsend.com',
			description: "SMASHSEND's API address. Change it only to reach another SMASHSEND (or a test server).",
		},
	];

	/**
	 * The key as a Bearer header, only to the Base URL's origin, over https (or to this
	 * machine), and never along a redirect: every request made with this credential, the
	 * credential test included.
	 */
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const base = parseBaseUrl(credentials.baseUrl);
		if (!base.ok) throw new Error(base.reason);
		// The key goes to its Base URL only, whoever makes the request (another node may use
		// this credential with any URL).
		let target: URL | undefined;
		try {
			target = new URL(requestOptions.url, requestOptions.baseURL);
		} catch {
			target = undefined;
		}
		if (!target || target.origin !== new URL(base.url).origin) {
			throw new Error(`The SMASHSEND API key is only sent to the credential's Base URL (${new URL(base.url).origin}).`);
		}
		return {
			...requestOptions,
			disableFollowRedirect: true,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey ?? '')}`, 'User-Agent': USER_AGENT },
		};
	};

	/**
	 * `GET /v1/api-keys/check`. n8n shows text only when a test fails, so the key's role is
	 * reported when it limits what the node can do (VIEWER); an EDITOR key simply passes.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ String($credentials.baseUrl || "https://api.smashsend.com").replace(/\\/+$/, "").replace(/\\/v1$/, "") }}',
			url: '/v1/api-keys/check',
			method: 'GET',
		},
		// n8n checks responseCode rules when the call fails and responseSuccessBody rules when
		// it succeeds, whatever the mix; the type only admits one kind per list, hence the cast.
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'SMASHSEND does not accept this API key. Copy it again from Settings → API Keys in SMASHSEND.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'SMASHSEND refused this API key. Check that the key is active in Settings → API Keys.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: "The Base URL does not lead to SMASHSEND's API. Leave it at https://api.smashsend.com unless you know otherwise.",
				},
			},
			...[301, 302, 303, 307, 308].map((value) => ({
				type: 'responseCode',
				properties: {
					value,
					message: `The Base URL redirects elsewhere; the API key is never sent along a redirect. Enter the address it redirects to, or leave it at https://api.smashsend.com.`,
				},
			})),
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message: 'SMASHSEND is rate-limiting this key right now, so it could not be checked. Try again in a minute.',
				},
			},
			...statusNotSucceed,
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'role',
					value: 'VIEWER',
					message:
						'The key works, with the VIEWER role: it can get, find and list contacts only. Creating, updating and deleting contacts, sending events and emails, and the SMASHSEND Trigger need an EDITOR key.',
				},
			},
		] as unknown as ICredentialTestRequest['rules'],
	};
}
