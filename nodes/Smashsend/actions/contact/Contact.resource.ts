import type { INodeProperties } from 'n8n-workflow';

import * as remove from './delete.operation';
import * as find from './find.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export const operations = { upsert, get, find, update, delete: remove, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Create or Update',
				value: 'upsert',
				action: 'Create or update a contact',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
			},
			{ name: 'Delete', value: 'delete', action: 'Delete a contact', description: 'Delete a contact from the workspace' },
			{
				name: 'Find by Email',
				value: 'find',
				action: 'Find a contact by email',
				description: 'Look up a contact by email: outputs found: false instead of failing when there is none',
			},
			{ name: 'Get', value: 'get', action: 'Get a contact', description: 'Retrieve a contact' },
			{ name: 'Get Many', value: 'getMany', action: 'Get many contacts', description: 'Retrieve a list of contacts, filtered and sorted' },
			{ name: 'Update', value: 'update', action: 'Update a contact', description: "Update a contact's fields" },
		],
		default: 'upsert',
	},
	...upsert.description,
	...get.description,
	...find.description,
	...update.description,
	...remove.description,
	...getMany.description,
];
