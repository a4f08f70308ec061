import { callWithRetries, type CallResult } from '../../nodes/Smashsend/delivery/call';
import { deliverItems, type AttemptResult } from '../../nodes/Smashsend/delivery/itemDelivery';
import { ItemOrder } from '../../nodes/Smashsend/delivery/itemOrder';
import type { AttemptOutcome } from '../../nodes/Smashsend/delivery/retryPolicy';
import type { Remembered, TaskMemory } from '../../nodes/Smashsend/delivery/retryOnFailMemory';
import { testDeliveryOptions } from '../support/deliveryOptions';
import { FakeClock } from '../support/fakeClock';

/** A task whose work threw, as the delivery's `crashed` words it here: failed for good, with the error's text. */
const crashed = (error: unknown): CallResult<string, string> => ({
	status: 'failed',
	failure: String(error),
	attempts: 0,
	history: [],
	cause: 'final',
	retriesExhausted: false,
});

describe('ItemOrder: one ordering rule for every delivery', () => {
	it('gives items in input order, holding a later item of a key until the earlier one is settled', () => {
		const keys = ['ada', 'bob', 'ada', undefined, 'ada'];
		const order = new ItemOrder([0, 1, 2, 3, 4], (index) => keys[index]);
		expect([order.take(), order.take(), order.take(), order.take()]).toEqual([0, 1, 3, undefined]);
		expect(order.isReady(2)).toBe(false);
		expect(order.settle(0, true)).toBe(2);
		expect(order.take()).toBe(2);
		expect(order.settle(2, true)).toBe(4);
		expect(order.take()).toBe(4);
		expect(order.take()).toBeUndefined();
	});

	it('knows when an earlier item of the key did not go through', () => {
		const order = new ItemOrder([0, 1, 2, 3], (index) => ['ada', 'ada', 'bob', 'bob'][index]);
		order.take();
		order.settle(0, false);
		expect(order.earlierFailed(1)).toBe(true);
		expect(order.earlierFailed(2)).toBe(false);
		order.settle(2, true);
		expect(order.earlierFailed(3)).toBe(false);
	});

	it('an item settled without being started (a stopped delivery) holds nothing back', () => {
		const order = new ItemOrder([0, 1, 2], () => 'ada');
		order.settle(1, false);
		expect(order.isReady(0)).toBe(true);
		order.settle(0, true);
		expect(order.isReady(2)).toBe(true);
	});
});

type Reply = 'ok' | AttemptOutcome;
const answer = (statusCode: number): AttemptOutcome => ({ kind: 'answer', statusCode });

function scripted(scripts: Record<string, Reply[]>, clock: FakeClock) {
	const done: string[] = [];
	const send = async (task: string): Promise<AttemptResult<string, string>> => {
		const reply = scripts[task]?.shift() ?? 'ok';
		// Each call takes 10 ms: a later call started meanwhile lands after it.
		await clock.wait(10);
		if (reply !== 'ok') return { ok: false, outcome: reply, failure: task, label: 'HTTP 503' };
		done.push(task);
		return { ok: true, value: task };
	};
	return { send, done };
}

describe('deliverItems with keys', () => {
	it('[Ada Old, Ada New]: Old meets a 503, New waits for its retry, and lands last', async () => {
		const clock = new FakeClock();
		const { send, done } = scripted({ 'ada:old': [answer(503)] }, clock);
		const tasks = ['ada:old', 'ada:new', 'bob:x'];
		const results = await clock.run(
			deliverItems(tasks, async (task, _i, context) => await callWithRetries(() => send(task), context), {
				...testDeliveryOptions(clock),
				concurrency: 3,
				keyOf: (index) => tasks[index].split(':')[0],
			}),
		);
		expect(results.map((r) => r.status)).toEqual(['delivered', 'delivered', 'delivered']);
		expect(done.filter((t) => t.startsWith('ada'))).toEqual(['ada:old', 'ada:new']);
		// Bob did not wait for Ada's retry.
		expect(done.indexOf('bob:x')).toBeLessThan(done.indexOf('ada:old'));
	});

	it('does not remember an item delivered after an earlier item of its key failed: the next try sends both', async () => {
		const clock = new FakeClock();
		const remembered = new Map<number, Remembered<string, string>>();
		const memory: TaskMemory<string, string> = {
			recall: (index) => remembered.get(index),
			remember: (index, outcome) => void remembered.set(index, outcome),
			lost: () => undefined,
			noteLost: () => undefined,
		};
		const { send } = scripted({ 'ada:old': [answer(400)] }, clock);
		const tasks = ['ada:old', 'ada:new', 'bob:x'];
		await clock.run(
			deliverItems(
				tasks,
				async (task, _i, context) => await callWithRetries(() => send(task), context),
				{ ...testDeliveryOptions(clock), concurrency: 2, keyOf: (index) => tasks[index].split(':')[0] },
				memory,
			),
		);
		expect([...remembered.keys()]).toEqual([2]);
	});

	it('an item whose work throws fails alone, and the delivery ends only after every other call', async () => {
		const clock = new FakeClock();
		const { send, done } = scripted({}, clock);
		const results = await clock.run(
			deliverItems(
				['a', 'boom', 'c'],
				async (task, _i, context) => {
					if (task === 'boom') throw new URIError('URI malformed');
					return await callWithRetries(() => send(task), context);
				},
				{
					...testDeliveryOptions(clock),
					concurrency: 3,
					crashed: (error) => ({
						status: 'failed',
						failure: String(error),
						attempts: 0,
						history: [],
						cause: 'final',
						retriesExhausted: false,
					}),
				},
			),
		);
		expect(results.map((r) => r.status)).toEqual(['delivered', 'failed', 'delivered']);
		expect(done).toEqual(['a', 'c']);
	});

	it('an item whose work throws, after an earlier try sent it and lost the answer, may still have been carried out', async () => {
		const clock = new FakeClock();
		const memory: TaskMemory<string, string> = {
			recall: () => undefined,
			remember: () => undefined,
			lost: (index) => (index === 0 ? 'connection reset' : undefined),
			noteLost: () => undefined,
		};
		const [result] = await clock.run(
			deliverItems(
				['boom'],
				async () => {
					throw new URIError('URI malformed');
				},
				{ ...testDeliveryOptions(clock), concurrency: 1, crashed },
				memory,
			),
		);
		expect(result).toMatchObject({
			status: 'failed',
			cause: 'maybe-arrived',
			lostAttempt: 'connection reset on an earlier try of the node',
		});
	});

	it("an exception outside an item's work (its memory) fails the delivery, once every call has ended", async () => {
		const clock = new FakeClock();
		const { send, done } = scripted({}, clock);
		const memory: TaskMemory<string, string> = {
			recall: (index) => {
				if (index === 1) throw new Error('memory broke');
				return undefined;
			},
			remember: () => undefined,
			lost: () => undefined,
			noteLost: () => undefined,
		};
		await expect(
			clock.run(
				deliverItems(
					['a', 'b', 'c'],
					async (task, _i, context) => await callWithRetries(() => send(task), context),
					{
						...testDeliveryOptions(clock),
						concurrency: 3,
						crashed,
					},
					memory,
				),
			),
		).rejects.toThrow('memory broke');
		expect(done).toEqual(['a', 'c']);
	});
});
