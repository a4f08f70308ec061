import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RestRequest } from '../../../shared/transport/restApi';
import { forItem } from '../../contract/failures';
import type { PrepareContext } from '../../contract/Operation';
import { listOf } from '../../parameters/list';
import { workspaceProperties } from './customProperties';

/**
 * Tags and Multi-Selects: values added to or removed from a contact's multi-select (tags)
 * without reading the contact, or all of them replaced or cleared.
 */
export function multiSelectChangesParameter(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Tags and Multi-Selects',
		name: 'multiSelectChanges',
		type: 'fixedCollection',
		placeholder: 'Add change',
		default: {},
		typeOptions: { multipleValues: true },
		description:
			'Add values to a multi-select (tags) or remove some, without reading the contact first and without touching its other values; or replace or clear them all. Adding a value twice or removing one it does not have changes nothing, so a retry is safe.',
		displayOptions: { show },
		options: [
			{
				displayName: 'Change',
				name: 'change',
				values: [
					{
						displayName: 'Property Name or ID',
						name: 'property',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getMultiSelectProperties' },
						default: '',
						description:
							'A multi-select custom property. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Action',
						name: 'changeAction',
						type: 'options',
						default: 'add',
						options: [
							{ name: 'Add', value: 'add', description: 'Add these values to those the contact has' },
							{ name: 'Clear', value: 'clear', description: 'Remove every value' },
							{ name: 'Remove', value: 'remove', description: 'Remove these values, keep the others' },
							{ name: 'Replace', value: 'replace', description: 'Set exactly these values' },
						],
					},
					{
						displayName: 'Values',
						name: 'values',
						type: 'string',
						default: '',
						placeholder: 'e.g. vip, beta',
						description: 'Separated by commas, or a list from an expression',
						displayOptions: { show: { changeAction: ['add', 'remove', 'replace'] } },
					},
				],
			},
		],
	};
}

/** The Action values of Tags and Multi-Selects (stored in workflows). */
const CHANGE_ACTIONS = ['add', 'remove', 'replace', 'clear'];

/** One change of a multi-select as the user set it. */
interface MultiSelectChange {
	property?: unknown;
	changeAction?: unknown;
	values?: unknown;
}

/**
 * One item's Tags and Multi-Selects as SMASHSEND takes them (its SDK's README): `{add, remove}`
 * lists (several changes of one property merged), a list to replace, `[]` to clear. Each value
 * must be one of the property's options when the workspace's list says which.
 */
export async function readMultiSelectChanges(
	this: IExecuteFunctions,
	itemIndex: number,
	context: PrepareContext<RestRequest, IDataObject>,
): Promise<IDataObject> {
	const changes = (this.getNodeParameter('multiSelectChanges.change', itemIndex, []) as MultiSelectChange[]) ?? [];
	if (changes.length === 0) return {};
	const { properties: known, complete } = await workspaceProperties.call(this, context);
	const result: IDataObject = {};
	const bad = (message: string, description: string) =>
		new NodeOperationError(this.getNode(), forItem(message, itemIndex), { description, itemIndex });
	for (const change of changes) {
		const name = typeof change.property === 'string' ? change.property.trim() : '';
		if (name === '')
			throw bad('A multi-select change has no property', 'Pick the property in Tags and Multi-Selects, or remove the change.');
		const definition = known.get(name);
		if (definition && !definition.multiple) {
			throw bad(
				`"${name}" is changed as a multi-select, but it is a ${definition.type.toLowerCase()}`,
				'Set it under Custom Properties instead.',
			);
		}
		if (!definition && complete) {
			throw bad(`The custom property "${name}" is not in this SMASHSEND workspace`, 'Create it first (Contact Property → Create).');
		}
		const action = String(change.changeAction ?? 'add');
		if (!CHANGE_ACTIONS.includes(action)) {
			throw bad(`"${action}" is not a multi-select action (for "${name}")`, `Use one of ${CHANGE_ACTIONS.join(', ')}.`);
		}
		// Clear takes no values (a Values field left from another action is not read).
		const values = action === 'clear' ? [] : listOf(change.values);
		if (action === 'replace' && values.length === 0) {
			throw bad(`Replace has no values for "${name}"`, 'Give the values to keep, or use Clear to remove them all.');
		}
		const unknown = definition?.options ? values.filter((v) => !definition.options?.includes(v)) : [];
		if (unknown.length > 0) {
			throw bad(
				`${unknown.map((v) => `"${v}"`).join(', ')} ${unknown.length === 1 ? 'is not an option' : 'are not options'} of "${name}"`,
				`Its options: ${definition?.options?.join(', ')}. Add the value in SMASHSEND first, or fix the item.`,
			);
		}
		const earlier = result[name];
		if (action === 'clear' || action === 'replace') {
			if (earlier !== undefined) throw bad(`"${name}" is changed more than once with Replace or Clear`, 'Keep one change for it.');
			result[name] = action === 'clear' ? [] : values;
			continue;
		}
		if (Array.isArray(earlier)) throw bad(`"${name}" is changed more than once with Replace or Clear`, 'Keep one change for it.');
		const merged = { ...((earlier as IDataObject | undefined) ?? {}) };
		merged[action] = [...new Set([...listOf(merged[action]), ...values])];
		const both = listOf(merged.add).filter((v) => listOf(merged.remove).includes(v));
		if (both.length > 0) {
			throw bad(
				`${both.map((v) => `"${v}"`).join(', ')} ${both.length === 1 ? 'is' : 'are'} both added to and removed from "${name}"`,
				'Keep the value under Add or under Remove, not both.',
			);
		}
		result[name] = merged;
	}
	return result;
}
