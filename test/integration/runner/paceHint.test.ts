import type { NodeExecutionHint } from 'n8n-workflow';

import { createEmulator } from '../../../emulator/server';
import { Smashsend } from '../../../nodes/Smashsend/Smashsend.node';
import { PACE_HINT } from '../../../nodes/Smashsend/runner/hints';
import { executeContext } from '../../support/executeContext';

/**
 * Rate Limit's hint: a long run held to Rate Limit says so in the execution's hints, and what to
 * change; a run that Rate Limit did not slow (no limit, or a slow server) says nothing. "Long"
 * is 30 s in use; 1 s here.
 */
const emulator = createEmulator();
let webhookUrl = '';
const usual = { ...PACE_HINT };

beforeAll(async () => {
	await emulator.start();
	webhookUrl = emulator.webhookUrl();
	PACE_HINT.afterMs = 1000;
});
afterAll(async () => {
	Object.assign(PACE_HINT, usual);
	await emulator.stop();
});
beforeEach(() => {
	emulator.reset();
	emulator.setLatency(0);
});

async function hintsOf(count: number, options: Record<string, unknown>): Promise<NodeExecutionHint[]> {
	const hints: NodeExecutionHint[] = [];
	const items = Array.from({ length: count }, (_, i) => ({ email: `c${i}@example.com` }));
	const [output] = await new Smashsend().execute.call(
		executeContext({ credentials: { webhookUrl }, items, parameters: { options }, hints }),
	);
	expect(output.every((item) => item.json.success === true)).toBe(true);
	return hints;
}

describe('Rate Limit hint', () => {
	it('a run held to Rate Limit says how long it took, the pace and the calls, and to raise Rate Limit if the plan allows', async () => {
		const hints = await hintsOf(15, { rateLimit: 10, concurrency: 5 });
		expect(hints).toEqual([
			{
				type: 'info',
				location: 'outputPane',
				message: expect.stringMatching(
					/^This run took \d+ s, most of it keeping to Options → Rate Limit \(10 calls a second, 15 calls\)\. If your SMASHSEND plan allows more calls, raise Rate Limit\.$/,
				),
			},
		]);
	});

	it('a slow limit per minute is said per minute', async () => {
		const hints = await hintsOf(3, { rateLimit: 90, rateLimitPeriod: 'minute', concurrency: 1 });
		expect(hints[0]?.message).toContain('(90 calls a minute, 3 calls)');
	});

	it('says nothing when there is no Rate Limit, or when a slow server, not the limit, took the time', async () => {
		emulator.setLatency(250);
		expect(await hintsOf(6, { concurrency: 1 })).toEqual([]);
		expect(await hintsOf(6, { concurrency: 1, rateLimit: 100 })).toEqual([]);
	});
});
