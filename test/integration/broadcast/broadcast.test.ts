import { type IDataObject } from 'n8n-workflow';

import { useRestEmulator } from '../../support/restEmulator';
import { locator, restNode } from '../../support/restNode';

/**
 * The Broadcast resource: a draft made from HTML, scheduled, cancelled, tested; each call once,
 * whatever answers are lost; a workspace without early access told once.
 */

const emulator = useRestEmulator();
const { run, failure } = restNode(emulator, { typeVersion: 4, parameters: { resource: 'broadcast' } });
const quick = { rateLimit: 0, retryAndTimeout: { settings: { maxRetryWait: 0 } } };
const draft = {
	operation: 'create',
	subject: 'This week at Acme',
	sender: locator('address', 'Acme News <news@acme.example>'),
	html: '<p>Hello {{firstName}}</p>',
	options: quick,
};
const calls = (path: string) => emulator.received.filter((r) => r.path === `/v1${path}`);
const anyCalls = () => emulator.received.filter((r) => r.path.startsWith('/v1/broadcasts'));

/** A draft in the emulator, made through the node; its id. */
async function makeDraft(): Promise<string> {
	const [item] = await run({ items: [{}], parameters: draft });
	return String(item.json.id);
}

describe('Broadcast', () => {
	it('Create: a draft for every subscribed contact, the sender taken apart, Reply To as a list, tracking as set', async () => {
		const [item] = await run({
			items: [{}],
			parameters: {
				...draft,
				additionalFields: { name: 'Weekly #42', replyTo: 'help@acme.example, sales@acme.example', trackClicks: false },
			},
		});
		expect(item.json).toMatchObject({
			id: expect.stringMatching(/^bcs_/),
			status: 'DRAFT',
			subject: 'This week at Acme',
			name: 'Weekly #42',
		});
		expect(calls('/broadcasts')[0].body).toEqual({
			subject: 'This week at Acme',
			fromEmail: 'news@acme.example',
			fromName: 'Acme News',
			html: '<p>Hello {{firstName}}</p>',
			audience: { all: true },
			name: 'Weekly #42',
			replyTo: ['help@acme.example', 'sales@acme.example'],
			settings: { trackClicks: false },
		});
	});

	it('Create whose answer was lost is not sent again: the item says the draft may have been made', async () => {
		emulator.addFaults([{ path: 'POST /v1/broadcasts', acceptThenFail: true, reset: true }]);
		const [item] = await run({ items: [{}], continueOnFail: true, parameters: draft });
		expect(String(item.json.errorDescription)).toContain('may or may not have carried the call out');
		expect(String(item.json.errorDescription)).toContain('never makes a draft twice');
		expect(calls('/broadcasts')).toHaveLength(1);
		expect(emulator.rest.broadcasts.items).toHaveLength(1);
	});

	it('Schedule, then Cancel; each retried after a lost answer is the call done, not a failure', async () => {
		const id = await makeDraft();
		emulator.addFaults([{ path: `POST /v1/broadcasts/${id}/schedule`, acceptThenFail: true, reset: true }]);
		const [scheduled] = await run({
			items: [{}],
			parameters: { operation: 'schedule', broadcast: locator('id', id), sendAt: '2027-03-01T09:00:00Z', options: quick },
		});
		expect(scheduled.json).toEqual({ id, status: 'SCHEDULED' });
		expect(emulator.rest.broadcasts.items[0].sendAt).toBe('2027-03-01T09:00:00.000Z');
		expect(calls(`/broadcasts/${id}/schedule`).map((r) => r.status)).toEqual([0, 409]);
		emulator.addFaults([{ path: `POST /v1/broadcasts/${id}/cancel`, acceptThenFail: true, reset: true }]);
		const [cancelled] = await run({ items: [{}], parameters: { operation: 'cancel', broadcast: locator('list', id), options: quick } });
		expect(cancelled.json).toMatchObject({ id, status: 'CANCELLED' });
		expect(emulator.rest.broadcasts.items[0].status).toBe('CANCELLED');
	});

	it('Schedule of a broadcast already sending (no lost answer) fails with what SMASHSEND said', async () => {
		const id = await makeDraft();
		const output = await run({
			items: [{}, {}],
			continueOnFail: true,
			parameters: { operation: 'schedule', broadcast: locator('id', id), options: quick },
		});
		expect(output[0].json).toMatchObject({ id, status: 'SENDING' });
		expect(output[1].json.error).toBe('SMASHSEND rejected the item: A sending broadcast cannot be scheduled [item 1]');
	});

	it('Schedule for now after a lost answer: the retry finds it sending, the item is done with what is known', async () => {
		const id = await makeDraft();
		emulator.addFaults([{ path: `POST /v1/broadcasts/${id}/schedule`, acceptThenFail: true, reset: true }]);
		const [item] = await run({ items: [{}], parameters: { operation: 'schedule', broadcast: locator('id', id), options: quick } });
		expect(item.json).toEqual({ id, status: 'SENDING' });
		expect(emulator.rest.broadcasts.items[0].status).toBe('SENDING');
	});

	it('Create works in nodes of every version: the resource came with version 4, the From picker with it', async () => {
		const [item] = await restNode(emulator, { typeVersion: 1, parameters: { resource: 'broadcast' } }).run({
			items: [{}],
			parameters: draft,
		});
		expect(item.json).toMatchObject({ status: 'DRAFT', fromEmail: 'news@acme.example' });
	});

	it('Send Test: to workspace members; after a lost answer not sent again, unless At Least Once', async () => {
		const id = await makeDraft();
		const test = { operation: 'sendTest', broadcast: locator('id', id), emails: 'owner@acme.example, team@acme.example' };
		const [sent] = await run({ items: [{}], parameters: { ...test, options: quick } });
		expect(sent.json).toMatchObject({ id, testSentTo: ['owner@acme.example', 'team@acme.example'] });
		emulator.addFaults([{ path: `POST /v1/broadcasts/${id}/test`, acceptThenFail: true, reset: true }]);
		const [unsure] = await run({ items: [{}], continueOnFail: true, parameters: { ...test, options: quick } });
		expect(String(unsure.json.errorDescription)).toContain('When Unsure If the Test Was Sent is set to fail');
		expect(emulator.rest.broadcasts.tests).toHaveLength(2);
		emulator.addFaults([{ path: `POST /v1/broadcasts/${id}/test`, acceptThenFail: true, reset: true }]);
		const [again] = await run({ items: [{}], parameters: { ...test, options: { ...quick, ambiguousFailure: 'retry' } } });
		expect(again.json).toMatchObject({ id });
		expect(emulator.rest.broadcasts.tests).toHaveLength(4);
		expect(emulator.rest.broadcasts.tests[0].subject).toBe('[TEST] This week at Acme');
	});

	it('a workspace without early access is told once: one call, one sentence, the other items not sent', async () => {
		emulator.rest.setBroadcastAccess(false);
		const output = await run({
			items: [{}, {}, {}],
			continueOnFail: true,
			parameters: { ...draft, options: { ...quick, concurrency: 1 } },
		});
		expect(calls('/broadcasts')).toHaveLength(1);
		expect(output.map((item) => item.json.error)).toEqual([
			"SMASHSEND's Broadcasts API is not open to this workspace yet [item 0]",
			"Not sent: SMASHSEND's Broadcasts API is not open to this workspace yet [item 1]",
			"Not sent: SMASHSEND's Broadcasts API is not open to this workspace yet [item 2]",
		]);
		expect(String(output[0].json.errorDescription)).toContain('early access');
		// At the default Concurrency (Auto) too: every item gets the sentence, and the calls stop once it came.
		emulator.received.length = 0;
		const auto = await run({ items: Array.from({ length: 20 }, () => ({})), continueOnFail: true, parameters: draft });
		expect(auto.every((item) => String(item.json.error).includes("SMASHSEND's Broadcasts API is not open to this workspace yet"))).toBe(
			true,
		);
		expect(calls('/broadcasts').length).toBeLessThan(20);
		const stopped = await failure({ items: [{}, {}], parameters: { ...draft, options: { ...quick, concurrency: 1 } } });
		expect(stopped.message).toBe("SMASHSEND's Broadcasts API is not open to this workspace yet [item 0]");
		expect(stopped.description).toContain("ask SMASHSEND's support");
	});

	it('Get and Get Many (by status, over pages): the broadcasts with their status', async () => {
		const ids = [await makeDraft(), await makeDraft(), await makeDraft()];
		await run({
			items: [{}],
			parameters: { operation: 'schedule', broadcast: locator('id', ids[0]), sendAt: '2027-03-01T09:00:00Z', options: quick },
		});
		const [got] = await run({ items: [{}], parameters: { operation: 'get', broadcast: locator('id', ids[0]), options: quick } });
		expect(got.json).toMatchObject({ id: ids[0], status: 'SCHEDULED' });
		const drafts = await run({
			items: [{}],
			parameters: { operation: 'getMany', returnAll: true, filters: { status: 'DRAFT' }, options: quick },
		});
		expect(drafts.map((item) => (item.json as IDataObject).id)).toEqual(ids.slice(1));
		const one = await run({ items: [{}], parameters: { operation: 'getMany', limit: 1, options: quick } });
		expect(one).toHaveLength(1);
	});

	it('a bad item fails alone before anything is sent: an empty subject, a Reply To that is no address, an id with a slash', async () => {
		const output = await run({
			items: [{ subject: '' }, { reply: 'not an address' }, {}],
			continueOnFail: true,
			parameters: {
				...draft,
				subject: (json: IDataObject) => json.subject ?? 'Fine',
				additionalFields: { replyTo: (json: IDataObject) => json.reply ?? '' },
			},
		});
		expect(output.map((item) => item.json.error ?? item.json.status)).toEqual([
			"'Subject' is empty [item 0]",
			expect.stringContaining('[item 1]'),
			'DRAFT',
		]);
		const [bad] = await run({
			items: [{}],
			continueOnFail: true,
			parameters: { operation: 'get', broadcast: locator('id', '../contacts'), options: quick },
		});
		expect(bad.json.error).toBe(`'Broadcast' is not a valid broadcast ID: "../contacts" [item 0]`);
		// One call: the good item's create; nothing for the bad ones.
		expect(anyCalls()).toHaveLength(1);
	});
});
