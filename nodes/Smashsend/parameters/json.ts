import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { showValue } from '../helpers/emailAddress';
import { forItem } from '../contract/failures';

/** A JSON parameter that must hold an object (written as JSON, or an object from an expression). */
export function jsonObject(this: IExecuteFunctions, value: unknown, name: string, itemIndex: number): IDataObject {
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return {};
		try {
			parsed = JSON.parse(value);
		} catch {
			throw new NodeOperationError(this.getNode(), forItem(`'${name}' is not valid JSON`, itemIndex), {
				description: 'Write an object, such as {"plan": "pro"}, or map one with an expression.',
				itemIndex,
			});
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(this.getNode(), forItem(`'${name}' is not a JSON object: ${showValue(parsed)}`, itemIndex), {
			description: 'Write an object, such as {"plan": "pro"}, or map one with an expression.',
			itemIndex,
		});
	}
	return parsed as IDataObject;
}
