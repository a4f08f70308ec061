import type { IHttpRequestOptions } from 'n8n-workflow';

import { SmashsendApi } from '../../credentials/SmashsendApi.credentials';

const authenticate = new SmashsendApi().authenticate as (
	credentials: Record<string, unknown>,
	options: IHttpRequestOptions,
) => Promise<IHttpRequestOptions>;
const key = { apiKey: 'sk_live_secret', baseUrl: 'https://api.smashsend.com' };

describe('where the SMASHSEND API credential sends its key', () => {
	it('to its Base URL, as a Bearer header, never along a redirect', async () => {
		const options = await authenticate(key, { url: 'https://api.smashsend.com/v1/contacts', method: 'GET' });
		expect(options.headers).toMatchObject({ Authorization: 'Bearer sk_live_secret' });
		expect(options.disableFollowRedirect).toBe(true);
		const test = await authenticate(
			{ ...key, baseUrl: 'http://127.0.0.1:4010/v1/' },
			{ baseURL: 'http://127.0.0.1:4010', url: '/v1/api-keys/check' },
		);
		expect(test.headers).toMatchObject({ Authorization: 'Bearer sk_live_secret' });
	});

	it.each([
		['another host', { url: 'https://evil.example.com/collect' }],
		['the same host over plain http', { url: 'http://api.smashsend.com/v1/contacts' }],
		['another port', { url: 'https://api.smashsend.com:8443/v1/contacts' }],
		['a relative URL against another base', { baseURL: 'https://evil.example.com', url: '/v1/contacts' }],
	])('not to %s', async (_, request) => {
		await expect(authenticate(key, request as IHttpRequestOptions)).rejects.toThrow(
			"only sent to the credential's Base URL (https://api.smashsend.com)",
		);
	});

	it('not to a plain-http Base URL other than this machine', async () => {
		await expect(
			authenticate({ ...key, baseUrl: 'http://api.example.com' }, { url: 'http://api.example.com/v1/contacts' }),
		).rejects.toThrow('must start with https://');
	});
});
