import { type IDataObject } from 'n8n-workflow';

import { useRestEmulator } from '../../support/restEmulator';
import { restNode } from '../../support/restNode';

/**
 * Event → Send, one call per item (the batches: runner/batches.test.ts).
 */

const emulator = useRestEmulator();
const { run, failure: runExpectingError } = restNode(emulator);
const rest = () => emulator.received.filter((r) => r.path.startsWith('/v1/'));

describe('Event: Send', () => {
	const parameters = {
		resource: 'event',
		operation: 'send',
		event: 'order.completed',
		properties: (json: IDataObject) => JSON.stringify({ total: json.total }),
	};

	it('sends an event per item (Batch Size 1) with a messageId that a retry repeats, so SMASHSEND counts it once', async () => {
		emulator.addFaults([{ path: 'POST /v1/events', acceptThenFail: true, status: 502, email: 'ada@example.com' }]);
		const output = await run({
			items: [
				{ email: 'ada@example.com', total: 42 },
				{ email: 'bob@example.com', total: 7 },
			],
			parameters: { ...parameters, options: { rateLimit: 0, maxRetryWait: 0.05, batchSize: 1 } },
		});
		expect(emulator.rest.events).toHaveLength(2);
		expect(emulator.rest.events[0]).toMatchObject({
			event: 'order.completed',
			identify: { email: 'ada@example.com' },
			properties: { total: 42 },
		});
		const ada = rest().filter(
			(r) => (r.body as IDataObject).identify && ((r.body as IDataObject).identify as IDataObject).email === 'ada@example.com',
		);
		expect(ada).toHaveLength(2);
		expect((ada[0].body as IDataObject).messageId).toBe((ada[1].body as IDataObject).messageId);
		// SMASHSEND's answer to one event says nothing of duplicates (its SDK's type has no `duplicated`),
		// but an `info` the repeat carries is passed on.
		expect(output[0].json).toMatchObject({
			success: true,
			duplicated: null,
			info: 'An event with this messageId was already received',
			event: 'order.completed',
			email: 'ada@example.com',
		});
		expect(output[1].json).toMatchObject({ success: true, duplicated: null });
		expect(output[1].json).not.toHaveProperty('info');
	});

	it('uses the given Message ID and timestamp, and rejects a bad event name before sending', async () => {
		await run({
			items: [{ email: 'ada@example.com' }],
			parameters: {
				...parameters,
				additionalFields: { messageId: 'order-1001', timestamp: '2026-11-26T10:00:00Z', traits: '{"firstName":"Ada"}' },
			},
		});
		expect(emulator.rest.events[0]).toMatchObject({
			messageId: 'order-1001',
			timestamp: '2026-11-26T10:00:00.000Z',
			identify: { traits: { firstName: 'Ada' } },
		});

		const error = await runExpectingError({
			items: [{ email: 'ada@example.com' }],
			parameters: { ...parameters, event: 'order completed!' },
		});
		expect(error.message).toBe(`'Event Name' is not a valid event name: "order completed!" [item 0]`);
		expect(emulator.rest.events).toHaveLength(1);
	});
});
