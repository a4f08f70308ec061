import { parseWebhookUrl, redact } from '../../nodes/shared/flowWebhookUrl';

describe('parseWebhookUrl', () => {
	it('accepts the URL SMASHSEND shows for a flow', () => {
		const result = parseWebhookUrl(' https://api.smashsend.com/v1/flows/flw_abc/wrk_xyz/call ');
		expect(result).toMatchObject({
			ok: true,
			webhook: { url: 'https://api.smashsend.com/v1/flows/flw_abc/wrk_xyz/call', flowId: 'flw_abc', workspaceId: 'wrk_xyz' },
		});
	});

	it.each(['http://127.0.0.1:4010/v1/flows/f/w/call', 'http://localhost:4010/v1/flows/f/w/call', 'http://[::1]:4010/v1/flows/f/w/call'])(
		'accepts plain http for the loopback host %s (the emulator)',
		(url) => {
			expect(parseWebhookUrl(url).ok).toBe(true);
		},
	);

	it.each([
		['', 'is empty'],
		[undefined, 'is empty'],
		['not a url', 'is not a valid URL'],
		['http://api.smashsend.com/v1/flows/flw_a/wrk_b/call', 'must start with https://'],
		['ftp://api.smashsend.com/v1/flows/flw_a/wrk_b/call', 'must start with https://'],
		['https://api.smashsend.com/v1/flows/flw_a/call', 'does not end in /v1/flows/{flowId}/{workspaceId}/call'],
		['https://api.smashsend.com/v1/flows/flw_a/wrk_b/call?x=1', 'does not end in'],
		['https://u:p@api.smashsend.com/v1/flows/flw_a/wrk_b/call', 'user name or password'],
	])('rejects %j with a message showing the expected form', (url, reason) => {
		const result = parseWebhookUrl(url);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.reason).toContain(reason);
			expect(result.reason).toContain('https://api.smashsend.com/v1/flows/flw_…/wrk_…/call');
			expect(result.reason).not.toContain('flw_a');
			expect(result.reason).not.toContain('wrk_b');
		}
	});
});

describe('redact', () => {
	it('removes every secret, longest first', () => {
		const parsed = parseWebhookUrl('https://api.smashsend.com/v1/flows/flw_abc/wrk_xyz/call');
		if (!parsed.ok) throw new Error('expected a valid URL');
		const text = 'Cannot POST /v1/flows/flw_abc/wrk_xyz/call (flow flw_abc in wrk_xyz)';
		expect(redact(text, parsed.webhook.secrets)).toBe('Cannot POST [redacted] (flow [redacted] in [redacted])');
	});
});
