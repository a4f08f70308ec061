import type { IExecuteFunctions } from 'n8n-workflow';

import { callKey, keyScope, type KeyScope } from '../../nodes/shared/keys';

const scope: KeyScope = { execution: '101', node: 'node-a', run: 0 };
const content = JSON.stringify({ to: 'ada@example.com', subject: 'Hi' });

describe('the key of a call', () => {
	it('is the same for the same run, item and content (our retries, n8n Retry On Fail)', () => {
		expect(callKey({ ...scope }, 'email', 3, content)).toBe(callKey(scope, 'email', 3, content));
	});

	it.each<[string, () => string]>([
		['another run index (Loop Over Items, a second branch, a tool call)', () => callKey({ ...scope, run: 1 }, 'email', 3, content)],
		['another item', () => callKey(scope, 'email', 4, content)],
		['other content', () => callKey(scope, 'email', 3, JSON.stringify({ to: 'grace@example.com', subject: 'Hi' }))],
		['another execution', () => callKey({ ...scope, execution: '102' }, 'email', 3, content)],
		['another node', () => callKey({ ...scope, node: 'node-b' }, 'email', 3, content)],
		['another kind of call', () => callKey(scope, 'event', 3, content)],
	])('changes with %s', (_, other) => {
		expect(other()).not.toBe(callKey(scope, 'email', 3, content));
	});

	it('cannot be confused by where one part ends and the next begins', () => {
		expect(callKey({ ...scope, run: 1 }, 'email', 23, content)).not.toBe(callKey({ ...scope, run: 12 }, 'email', 3, content));
	});

	it('names its kind and stays far below the 128 characters SMASHSEND allows', () => {
		const key = callKey(scope, 'contact.upsert', 0, content);
		expect(key).toMatch(/^n8n-contact\.upsert-[0-9a-f]{40}$/);
		expect(key.length).toBeLessThanOrEqual(128);
	});
});

describe('the scope of a run', () => {
	const context = (executionId: string | undefined, runIndex: unknown) =>
		({
			getExecutionId: () => executionId,
			getNode: () => ({ id: 'node-a' }),
			getWorkflowDataProxy: () => ({ $runIndex: runIndex }),
		}) as unknown as IExecuteFunctions;

	it("is n8n's execution id, node id and run index", () => {
		expect(keyScope.call(context('101', 2))).toEqual({ execution: '101', node: 'node-a', run: 2 });
	});

	it('is unique to the run when n8n does not say which execution or run it is, so nothing is dropped', () => {
		const a = keyScope.call(context(undefined, undefined));
		const b = keyScope.call(context(undefined, undefined));
		expect(callKey(a, 'flow', 0, content)).not.toBe(callKey(b, 'flow', 0, content));
		const c = keyScope.call(context('101', undefined));
		const d = keyScope.call(context('101', undefined));
		expect(callKey(c, 'flow', 0, content)).not.toBe(callKey(d, 'flow', 0, content));
	});
});
