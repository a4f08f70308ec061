import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as schedule from './schedule.operation';
import * as sendTest from './sendTest.operation';

export const operations = { create, get, getMany, schedule, cancel, sendTest };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['broadcast'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				action: 'Cancel a broadcast',
				description: 'Stop a scheduled broadcast before it is sent',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create a broadcast',
				description: 'Make a draft newsletter from HTML, for every subscribed contact',
			},
			{ name: 'Get', value: 'get', action: 'Get a broadcast', description: 'Retrieve a broadcast and its status' },
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many broadcasts',
				description: "Retrieve a list of the workspace's broadcasts, by status",
			},
			{
				name: 'Schedule',
				value: 'schedule',
				action: 'Schedule a broadcast',
				description: 'Send a draft to the audience at a given time, or now',
			},
			{
				name: 'Send Test',
				value: 'sendTest',
				action: 'Send a test of a broadcast',
				description: 'Send a copy to members of the workspace, its subject starting [TEST]',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getMany.description,
	...schedule.description,
	...cancel.description,
	...sendTest.description,
];
