import { type IDataObject } from 'n8n-workflow';

import { useRestEmulator } from '../../support/restEmulator';
import { restNode } from '../../support/restNode';

/**
 * Node version 4 of Event → Send: its properties as name/value fields (or JSON, when chosen),
 * a Timestamp without a zone in the workflow's time zone; saved version 3 nodes keep
 * Properties (JSON) and read such a timestamp as before.
 */

const emulator = useRestEmulator();
const event = { resource: 'event', operation: 'send', event: 'order.completed' };
// One call per event, so that each item's body is its own request.
const options = { rateLimit: 0, batchSize: 1 };
const v4 = restNode(emulator, { typeVersion: 4, parameters: event });
const v3 = restNode(emulator, { typeVersion: 3, parameters: event });
const sent = () => emulator.received.filter((r) => r.path === '/v1/events').map((r) => r.body as IDataObject);

describe('Event: Send, node version 4', () => {
	it('sends the properties given as fields, each value as the expression gives it', async () => {
		const output = await v4.run({
			items: [{ email: 'ada@example.com', total: 42, currency: 'EUR' }],
			parameters: {
				propertyFields: {
					property: [
						{ name: 'total', value: (json: IDataObject) => json.total },
						{ name: ' currency ', value: (json: IDataObject) => json.currency },
					],
				},
			},
		});
		expect(output[0].json).toMatchObject({ success: true, event: 'order.completed', email: 'ada@example.com' });
		expect(sent().map((body) => body.properties)).toEqual([{ total: 42, currency: 'EUR' }]);
	});

	it('sends Properties (JSON) when Specify Properties is Using JSON; no fields, no properties', async () => {
		await v4.run({
			items: [{ email: 'ada@example.com' }, { email: 'bob@example.com' }],
			parameters: {
				options,
				specifyProperties: (_json: IDataObject, index: number) => (index === 0 ? 'json' : 'fields'),
				properties: '{"total": 7}',
			},
		});
		expect(sent().map((body) => body.properties)).toEqual([{ total: 7 }, {}]);
	});

	it('a property without a name fails its item alone, before anything is sent for it', async () => {
		const output = await v4.run({
			items: [
				{ email: 'ada@example.com', name: '' },
				{ email: 'bob@example.com', name: 'plan' },
			],
			continueOnFail: true,
			parameters: { propertyFields: { property: [{ name: (json: IDataObject) => json.name, value: 'pro' }] } },
		});
		expect(output[0].json.error).toBe("Property 1 of 'Properties' has no name [item 0]");
		expect(sent().map((body) => (body.identify as IDataObject).email)).toEqual(['bob@example.com']);
	});

	it("reads a Timestamp without a zone in the workflow's time zone; version 3 as JavaScript reads it (the server's zone)", async () => {
		const items = [{ email: 'ada@example.com' }];
		const timestamp = { additionalFields: { timestamp: '2026-01-15T10:00:00' } };
		await v4.run({ items, timezone: 'Europe/Paris', parameters: timestamp });
		await v3.run({ items, timezone: 'Europe/Paris', parameters: { ...timestamp, properties: '{}' } });
		// Version 3's: the n8n process's own time zone, whatever the machine's is.
		expect(sent().map((body) => body.timestamp)).toEqual(['2026-01-15T09:00:00.000Z', new Date('2026-01-15T10:00:00').toISOString()]);
	});

	it('version 3 keeps Properties (JSON), whatever version 4 parameters a workflow holds', async () => {
		await v3.run({
			items: [{ email: 'ada@example.com' }],
			parameters: { properties: '{"plan": "pro"}', propertyFields: { property: [{ name: 'ignored', value: 'x' }] } },
		});
		expect(sent().map((body) => body.properties)).toEqual([{ plan: 'pro' }]);
	});
});
