import type { NodeExecutionHint } from 'n8n-workflow';

import { createEmulator } from '../../../emulator/server';
import { Smashsend } from '../../../nodes/Smashsend/Smashsend.node';
import { executeContext } from '../../support/executeContext';

/** Concurrency: Auto (the default) against the emulator over real HTTP: what users get without setting anything. */
const emulator = createEmulator();
let webhookUrl = '';

beforeAll(async () => {
	await emulator.start();
	webhookUrl = emulator.webhookUrl();
});
afterAll(async () => await emulator.stop());
beforeEach(() => {
	emulator.reset();
	emulator.setLatency(0);
	emulator.setRateLimit(0);
	emulator.setCapacity({ inFlight: 0 });
});

async function run(count: number, options: Record<string, unknown> = {}) {
	const hints: NodeExecutionHint[] = [];
	const debugLog: string[] = [];
	const items = Array.from({ length: count }, (_, i) => ({ email: `c${i}@example.com` }));
	const context = executeContext({ credentials: { webhookUrl }, items, parameters: { options }, hints, debugLog });
	const [output] = await new Smashsend().execute.call(context);
	// Every contact's flow started exactly once, and every item has its run.
	const started = emulator.accepted.map((r) => (r.body as { email: string }).email);
	expect(started.sort()).toEqual(items.map((i) => i.email).sort());
	expect(output.map((item) => item.json.flowRunId)).toEqual(
		items.map((i) => emulator.accepted.find((r) => (r.body as { email: string }).email === i.email)?.flowRunId),
	);
	return { output, hints, debugLog };
}

const settledAt = (said: Array<NodeExecutionHint | string>) => {
	const text = said.map((s) => (typeof s === 'string' ? s : s.message)).join('\n');
	const match = /Concurrency: Auto settled at (\d+) calls at once \(at most (\d+)\) over (\d+) calls/.exec(text);
	if (!match) throw new Error(`no Concurrency: Auto report in ${JSON.stringify(said)}`);
	return { limit: Number(match[1]), peak: Number(match[2]), calls: Number(match[3]) };
};

describe('Concurrency: Auto against the emulator', () => {
	it('sends more than five at once to a server with room, says where it settled in the debug log, and adds no hint', async () => {
		emulator.setLatency(20);
		emulator.setCapacity({ inFlight: 1000 });
		const { hints, debugLog } = await run(400);
		const settled = settledAt(debugLog);
		expect(settled.calls).toBe(400);
		expect(settled.peak).toBeGreaterThan(5);
		expect(emulator.settings.capacity.peak).toBeGreaterThan(5);
		expect(emulator.settings.capacity.peak).toBeLessThanOrEqual(100);
		// SMASHSEND never pushed back: nothing for the user to act on.
		expect(hints).toEqual([]);
	});

	it('follows a server whose capacity halves in the middle of the run: no failed item, none twice', async () => {
		emulator.setLatency(30);
		emulator.setCapacity({ inFlight: 16, halveAfter: 250 });
		const { output } = await run(600);
		expect(output.every((item) => item.json.success === true)).toBe(true);
		expect(emulator.settings.capacity.current).toBe(8);
	});

	it('after a 429 keeps to the pace the server accepted, instead of a burst of 429s every second', async () => {
		emulator.setRateLimit(100);
		const { hints } = await run(400);
		const refused = emulator.received.filter((r) => r.status === 429).length;
		const pace = /kept to ([\d.]+) calls per second/.exec(hints[0]?.message ?? '');
		expect(pace).not.toBeNull();
		expect(Number(pace?.[1])).toBeLessThanOrEqual(100);
		expect(hints[0]).toMatchObject({
			type: 'info',
			location: 'outputPane',
			message: expect.stringMatching(/^SMASHSEND asked this run to slow down\. Concurrency: Auto settled at \d+ calls at once/),
		});
		// The calls in flight when the first 429 came, and little more: not one burst per window.
		expect(refused).toBeLessThan(150);
	});

	it('a fixed Concurrency keeps to its number and adds no hint', async () => {
		emulator.setLatency(10);
		emulator.setCapacity({ inFlight: 1000 });
		const { hints } = await run(200, { concurrency: 5 });
		expect(emulator.settings.capacity.peak).toBeLessThanOrEqual(5);
		expect(hints).toEqual([]);
	});
});
