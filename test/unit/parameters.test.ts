import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { containsExpression, emailReader, parameterReader } from '../../nodes/Smashsend/helpers/parameterReaders';

function context(parameters: Record<string, unknown>, evaluate: (name: string, itemIndex: number) => unknown) {
	const getNodeParameter = jest.fn((name: string, itemIndex: number) => evaluate(name, itemIndex));
	const ctx = { getNode: () => ({ parameters }), getNodeParameter } as unknown as IExecuteFunctions;
	return { ctx, getNodeParameter };
}

const items: INodeExecutionData[] = [{ json: { email: 'a@b.co', work: 'w@b.co' } }, { json: {} }, { json: { email: 42 } }];

describe('containsExpression', () => {
	it('finds expressions at any depth', () => {
		expect(containsExpression('={{ $json.x }}')).toBe(true);
		expect(containsExpression({ a: [1, { b: '=x' }] })).toBe(true);
		expect(containsExpression({ a: [1, { b: 'x' }], c: 5 })).toBe(false);
	});
});

describe('parameterReader', () => {
	it('reads a parameter without expressions once, for every item', () => {
		const { ctx, getNodeParameter } = context({ options: { concurrency: 5 } }, () => ({ concurrency: 5 }));
		const read = parameterReader(ctx, 'options', {});
		expect([0, 1, 2].map(read)).toEqual([{ concurrency: 5 }, { concurrency: 5 }, { concurrency: 5 }]);
		expect(getNodeParameter).toHaveBeenCalledTimes(1);
	});

	it('lets n8n evaluate a parameter with an expression for each item', () => {
		const { ctx, getNodeParameter } = context({ options: { timeout: '={{ $json.t }}' } }, (_, i) => ({ timeout: i }));
		const read = parameterReader(ctx, 'options', {});
		expect([0, 1, 2].map(read)).toEqual([{ timeout: 0 }, { timeout: 1 }, { timeout: 2 }]);
		expect(getNodeParameter).toHaveBeenCalledTimes(3);
	});
});

describe('emailReader', () => {
	it.each(['={{ $json.email }}', '={{$json.email}}'])('reads %s straight from each item, as n8n would', (expression) => {
		const { ctx, getNodeParameter } = context({ email: expression }, () => 'never used');
		const read = emailReader(ctx, items);
		expect([0, 1, 2].map(read)).toEqual(['a@b.co', undefined, 42]);
		expect(getNodeParameter).not.toHaveBeenCalled();
	});

	it('reads another single field the same way', () => {
		const { ctx } = context({ email: '={{ $json.work }}' }, () => 'never used');
		expect(emailReader(ctx, items)(0)).toBe('w@b.co');
	});

	it.each(['={{ $json.contact.mail }}', '={{ $json.email.trim() }}', 'fixed@b.co', '=x{{ $json.email }}'])(
		'leaves anything else (%s) to n8n',
		(expression) => {
			const { ctx, getNodeParameter } = context({ email: expression }, (_, i) => `n8n-${i}`);
			const read = emailReader(ctx, items);
			expect(read(1)).toBe(expression.startsWith('=') ? 'n8n-1' : 'n8n-0');
			expect(getNodeParameter).toHaveBeenCalled();
		},
	);
});
