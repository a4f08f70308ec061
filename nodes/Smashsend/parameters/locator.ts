import type { IExecuteFunctions, INodeParameterResourceLocator, INodeProperties, INodePropertyMode } from 'n8n-workflow';

import type { Show } from './versions';

/**
 * One item's resource locator: its mode and its value, trimmed. An expression can give the
 * whole locator a plain string; that counts as `plainMode` (the mode that takes typed text).
 */
export function readLocator(this: IExecuteFunctions, name: string, itemIndex: number, plainMode: string): { mode: string; value: string } {
	const locator = this.getNodeParameter(name, itemIndex, '') as INodeParameterResourceLocator | string | undefined;
	const isLocator = typeof locator === 'object' && locator !== null;
	const raw = isLocator ? locator.value : locator;
	const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	return { mode: isLocator ? String(locator.mode) : plainMode, value };
}

/** One picker (n8n's resource locator): it starts on SMASHSEND's list, then offers `modes` that take typed text. */
export interface Picker {
	displayName: string;
	name: string;
	description: string;
	show: Show;
	/** From List: its placeholder ("Select a contact…"), and the method of methods/ that searches SMASHSEND's list. */
	list: { placeholder: string; searchListMethod: string };
	/** The modes that take typed (or mapped) text, after From List. */
	modes: INodePropertyMode[];
}

/** A picker's parameter: required, starting empty on From List. */
export function pickerParameter({ displayName, name, description, show, list, modes }: Picker): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: list.placeholder,
				typeOptions: { searchListMethod: list.searchListMethod, searchable: true, searchFilterRequired: false },
			},
			...modes,
		],
	};
}
