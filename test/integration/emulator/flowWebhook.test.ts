import { createEmulator } from '../../../emulator/server';

const emulator = createEmulator({ flows: [{ flowId: 'flw_1', workspaceId: 'wrk_1' }] });
let url = '';

beforeAll(async () => {
	await emulator.start();
	url = emulator.webhookUrl('flw_1', 'wrk_1');
});
afterAll(async () => await emulator.stop());
beforeEach(() => emulator.reset());

async function post(body: string, contentType = 'application/json', target = url) {
	const response = await fetch(target, { method: 'POST', headers: { 'content-type': contentType }, body });
	return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

describe('the emulated flow webhook contract', () => {
	it('answers 200 with a fresh flowRunId and records the accepted request', async () => {
		const first = await post(JSON.stringify({ email: 'a@b.co', firstName: 'A' }));
		const second = await post(JSON.stringify({ email: 'a@b.co' }));
		expect(first.status).toBe(200);
		expect(first.json).toEqual({ success: true, flowRunId: expect.stringMatching(/^run_/), message: 'Flow triggered successfully' });
		expect(second.json.flowRunId).not.toBe(first.json.flowRunId);
		expect(emulator.accepted.map((r) => r.body)).toEqual([{ email: 'a@b.co', firstName: 'A' }, { email: 'a@b.co' }]);
	});

	it.each([
		['{}', 'application/json'],
		['{"email": ""}', 'application/json'],
		['{"email": 5}', 'application/json'],
		['firstName=A', 'application/x-www-form-urlencoded'],
	])('requires email: %s → 400 with the documented error body', async (body, type) => {
		const answer = await post(body, type);
		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({ error: 'Validation failed', message: 'Email field is required', statusCode: 400 });
		expect(emulator.accepted).toHaveLength(0);
	});

	it('answers an unknown flow with 404', async () => {
		const answer = await post('{"email":"a@b.co"}', 'application/json', emulator.webhookUrl('flw_nope', 'wrk_1'));
		expect(answer.status).toBe(404);
		expect(answer.json).toMatchObject({ statusCode: 404 });
	});

	it('refuses other content types with 415', async () => {
		expect((await post('email=a@b.co', 'text/plain')).status).toBe(415);
	});

	it('plays scripted faults in order, for the matching email, then behaves again', async () => {
		emulator.addFaults([
			{ status: 429, retryAfter: 3, email: 'slow@b.co' },
			{ status: 503, times: 2 },
		]);
		const limited = await post('{"email":"slow@b.co"}');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('3');
		expect((await post('{"email":"x@b.co"}')).status).toBe(503);
		expect((await post('{"email":"x@b.co"}')).status).toBe(503);
		expect((await post('{"email":"x@b.co"}')).status).toBe(200);
		expect(emulator.received.map((r) => r.fault)).toEqual(['status-429', 'status-503', 'status-503', undefined]);
	});

	it('can reset the connection', async () => {
		emulator.addFaults([{ reset: true }]);
		await expect(post('{"email":"a@b.co"}')).rejects.toThrow();
		expect(emulator.received[0].status).toBe(0);
	});

	it('can trigger the flow and then lose the answer', async () => {
		emulator.addFaults([{ acceptThenFail: true, status: 504 }]);
		expect((await post('{"email":"a@b.co"}')).status).toBe(504);
		expect(emulator.accepted).toHaveLength(1);
	});

	it('is driven by other processes through its control API', async () => {
		await fetch(`${emulator.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify([{ status: 500 }]) });
		expect((await post('{"email":"a@b.co"}')).status).toBe(500);
		const recorded = (await (await fetch(`${emulator.url}/__emulator/requests`)).json()) as { requests: unknown[] };
		expect(recorded.requests).toHaveLength(1);
		await fetch(`${emulator.url}/__emulator/reset`, { method: 'POST' });
		expect(emulator.received).toHaveLength(0);
	});
});

describe('the emulated rate limit', () => {
	afterEach(() => emulator.setRateLimit(0));

	it('admits a fixed number of calls per second and answers the rest with 429 and Retry-After', async () => {
		emulator.setRateLimit(3);
		const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(JSON.stringify({ email: `r${i}@b.co` }))));
		const limited = answers.filter((a) => a.status === 429);
		// Ten calls may straddle one second boundary: three to six get in, the rest are limited.
		expect(limited.length).toBeGreaterThanOrEqual(4);
		expect(limited.length).toBeLessThanOrEqual(7);
		for (const answer of limited) expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		expect(emulator.accepted.length + limited.length).toBe(10);
	});
});
