import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as remove from './delete.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const operations = { create, update, delete: remove, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contactProperty'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a contact property',
				description: 'Create a custom property that contacts can have (a text, a number, a date, a select…)',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a contact property',
				description: 'Delete a custom property, and the values contacts have for it',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many contact properties',
				description: "Retrieve a list of the workspace's custom properties, with their types and options",
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a contact property',
				description: 'Rename a custom property or change its description',
			},
		],
		default: 'create',
	},
	...create.description,
	...update.description,
	...remove.description,
	...getMany.description,
];
