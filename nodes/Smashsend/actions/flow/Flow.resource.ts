import type { INodeProperties } from 'n8n-workflow';

import * as trigger from './triggerFlow.operation';

export const operations = { trigger };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['flow'] } },
		options: [
			{
				name: 'Trigger a Flow',
				value: 'trigger',
				action: 'Trigger a flow',
				description: 'Start a SMASHSEND flow through its Webhook trigger, once for each item',
			},
		],
		default: 'trigger',
	},
	...trigger.description,
];
