import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getEntryPosition from './getEntryPosition.operation';
import * as getEntryRewards from './getEntryRewards.operation';
import * as getLeaderboard from './getLeaderboard.operation';
import * as submit from './submit.operation';

export const operations = { submit, get, getEntryPosition, getLeaderboard, getEntryRewards };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['form'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a form',
				description: 'Retrieve a published form and its fields, by its public key',
			},
			{
				name: 'Get Entry Position',
				value: 'getEntryPosition',
				action: 'Get an entry position',
				description: "Retrieve where a person stands on a form's waitlist, with their points and referrals",
			},
			{
				name: 'Get Entry Rewards',
				value: 'getEntryRewards',
				action: 'Get entry rewards',
				description: "Retrieve a person's points: each referral, task and adjustment",
			},
			{
				name: 'Get Leaderboard',
				value: 'getLeaderboard',
				action: 'Get a leaderboard',
				description: "Retrieve a form's waitlist, best first: rank, email, points and referrals",
			},
			{
				name: 'Submit',
				value: 'submit',
				action: 'Submit a form',
				description: 'Sign a person up through a hosted form, with their answers (one entry per form and email)',
			},
		],
		default: 'submit',
	},
	...submit.description,
	...get.description,
	...getEntryPosition.description,
	...getLeaderboard.description,
	...getEntryRewards.description,
];
