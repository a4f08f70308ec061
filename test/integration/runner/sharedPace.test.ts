import type { IDataObject } from 'n8n-workflow';

import { createEmulator } from '../../../emulator/server';
import { paceKey } from '../../../nodes/shared/keys';
import { heldPaces, sharedPacer } from '../../../nodes/Smashsend/delivery/sharedPace';
import { Smashsend } from '../../../nodes/Smashsend/Smashsend.node';
import { executeContext } from '../../support/executeContext';

/**
 * Executions of one n8n process that call the same flow (or account) at the same time share
 * one pace: a Rate Limit is what they send together, a 429's pause holds for all of them.
 */

const A = { flowId: 'flw_shared_a', workspaceId: 'wrk_shared' };
const B = { flowId: 'flw_shared_b', workspaceId: 'wrk_shared' };
const emulator = createEmulator({ flows: [A, B] });

beforeAll(async () => await emulator.start());
afterAll(async () => await emulator.stop());
beforeEach(() => emulator.reset());

/** One execution of Trigger a Flow: `count` contacts to `flow`, at `rate` calls a second. */
async function execution(flow: typeof A, prefix: string, count: number, rate: number) {
	const context = executeContext({
		items: Array.from({ length: count }, (_, i) => ({ email: `${prefix}${i}@example.com` })),
		credentials: { webhookUrl: emulator.webhookUrl(flow.flowId, flow.workspaceId) },
		parameters: { options: { rateLimit: rate, concurrency: 5 } },
	});
	const [output] = await new Smashsend().execute.call(context);
	return output;
}

const arrivals = (flowId: string) => emulator.accepted.filter((r) => r.flowId === flowId).map((r) => r.receivedAt);

describe('the pace shared by executions at once', () => {
	it('two executions to the same flow at Rate Limit 10/s send 10 calls a second together', async () => {
		await Promise.all([execution(A, 'x', 10, 10), execution(A, 'y', 10, 10)]);
		const times = arrivals(A.flowId).sort((a, b) => a - b);
		expect(times).toHaveLength(20);
		// 20 calls at one shared 10/s: the last starts 1.9 s after the first (alone each, 0.9 s).
		expect(times[19] - times[0]).toBeGreaterThanOrEqual(1800);
		expect(new Set(emulator.accepted.map((r) => (r.body as IDataObject).email)).size).toBe(20);
		expect(heldPaces()).toBe(0);
	});

	it('executions to different flows keep their own pace', async () => {
		await Promise.all([execution(A, 'x', 10, 10), execution(B, 'y', 10, 10)]);
		const a = arrivals(A.flowId);
		const b = arrivals(B.flowId);
		expect(a).toHaveLength(10);
		expect(b).toHaveLength(10);
		// Side by side, not one after the other: B's first call comes before A's last.
		expect(Math.min(...b)).toBeLessThan(Math.max(...a));
		expect(Math.min(...a)).toBeLessThan(Math.max(...b));
	});

	it('one pace per account and settings, held while used, never by its secret', () => {
		const key = paceKey('flow', 'https://api.smashsend.com/v1/flows/flw_secret/wrk_secret/call');
		expect(key).not.toContain('secret');
		const first = sharedPacer(key, 10, true);
		const second = sharedPacer(key, 10, true);
		const faster = sharedPacer(key, 20, true);
		const other = sharedPacer(paceKey('flow', 'https://other'), 10, true);
		expect(second.pacer).toBe(first.pacer);
		expect(faster.pacer).not.toBe(first.pacer);
		expect(other.pacer).not.toBe(first.pacer);
		first.release();
		first.release();
		const third = sharedPacer(key, 10, true);
		expect(third.pacer).toBe(first.pacer);
		for (const held of [second, third, faster, other]) held.release();
		// The last user gone, the pace is forgotten: a later execution starts afresh.
		expect(heldPaces()).toBe(0);
		expect(sharedPacer(key, 10, true).pacer).not.toBe(first.pacer);
	});
});
