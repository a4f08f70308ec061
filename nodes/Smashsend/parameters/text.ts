import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { forItem } from '../contract/failures';

/** What a value that is not text is, in the words of the error. */
function kindOf(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value instanceof Date) return 'a date';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A text parameter's value: text, or a number or true/false written as text; empty for nothing.
 * An object or a list (an expression that maps a whole field) would be sent as "[object Object]"
 * or a comma-joined list: the item fails instead, naming the parameter as the editor shows it.
 */
export function textOf(this: IExecuteFunctions, value: unknown, parameter: string, itemIndex: number): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	throw new NodeOperationError(this.getNode(), forItem(`'${parameter}' must be text, but it is ${kindOf(value)}`, itemIndex), {
		description: `Map '${parameter}' to a text field (for example {{ $json.subject }}), not to an object or a list. Nothing was sent for this item.`,
		itemIndex,
	});
}

/** A text parameter of the item (see textOf). */
export function readText(this: IExecuteFunctions, name: string, parameter: string, itemIndex: number): string {
	return textOf.call(this, this.getNodeParameter(name, itemIndex, ''), parameter, itemIndex);
}
