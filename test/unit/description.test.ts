import type { INodeProperties } from 'n8n-workflow';

import { DEFAULTS } from '../../nodes/Smashsend/actions/flow/trigger.operation';
import { Smashsend } from '../../nodes/Smashsend/Smashsend.node';

const { description } = new Smashsend();
const byName = (list: INodeProperties[], name: string) => list.find((p) => p.name === name) as INodeProperties;

describe('the node description (parameter names are stored in users\' workflows)', () => {
	it('keeps its public parameter names', () => {
		expect(description.properties.map((p) => p.name)).toEqual([
			'resource',
			'operation',
			'email',
			'payloadMode',
			'fields',
			'jsonBody',
			'options',
		]);
		expect((byName(description.properties, 'options').options as INodeProperties[]).map((o) => o.name).sort()).toEqual(
			['ambiguousFailure', 'bodyContentType', 'concurrency', 'includeInputFields', 'maxRetries', 'maxRetryWait', 'rateLimit', 'rateLimitPeriod', 'timeout'],
		);
	});

	it('shows the defaults the code uses', () => {
		const options = byName(description.properties, 'options').options as INodeProperties[];
		expect(byName(options, 'concurrency').default).toBe(DEFAULTS.concurrency);
		expect(byName(options, 'maxRetries').default).toBe(DEFAULTS.maxRetries);
		expect(byName(options, 'maxRetryWait').default).toBe(DEFAULTS.maxRetryWaitSeconds);
		expect(byName(options, 'timeout').default).toBe(DEFAULTS.timeoutMs);
		expect(byName(description.properties, 'email').default).toBe('={{ $json.email }}');
	});

	it('can be used by AI agents and names its credential', () => {
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials).toEqual([expect.objectContaining({ name: 'smashsendFlowWebhookApi', required: true })]);
	});
});
