import { useRestEmulator } from '../../support/restEmulator';
import { restNode } from '../../support/restNode';

/**
 * The REST operations' Rate Limit and SMASHSEND's 429.
 */

const emulator = useRestEmulator();
const { run } = restNode(emulator);
const rest = () => emulator.received.filter((r) => r.path.startsWith('/v1/'));
const contact = (parameters: Record<string, unknown>) => ({ resource: 'contact', ...parameters });

describe('rate limits', () => {
	it("waits out SMASHSEND's 429 and Retry-After: every contact is saved exactly once (one call per contact)", async () => {
		emulator.setRestRateLimit({ limit: 3, windowMs: 1000 });
		const items = Array.from({ length: 7 }, (_, i) => ({ email: `r${i}@example.com` }));
		const output = await run({
			items,
			parameters: contact({ operation: 'upsert', options: { rateLimit: 0, concurrency: 7, batchSize: 1 } }),
		});
		expect(output.every((i) => typeof i.json.id === 'string')).toBe(true);
		expect(emulator.rest.contacts).toHaveLength(7);
		expect(rest().some((r) => r.status === 429)).toBe(true);
		expect(rest().filter((r) => r.status === 201)).toHaveLength(7);
	});

	it('keeps to its own rate limit without any 429 (600 per minute: 10 calls take at least 0.9 s)', async () => {
		const items = Array.from({ length: 10 }, (_, i) => ({ email: `p${i}@example.com` }));
		await run({ items, parameters: contact({ operation: 'upsert', options: { rateLimit: 600, concurrency: 10, batchSize: 1 } }) });
		const times = rest().map((r) => r.receivedAt);
		expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(850);
	});
});
