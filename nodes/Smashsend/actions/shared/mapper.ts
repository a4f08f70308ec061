import type { IDataObject, IExecuteFunctions, ResourceMapperField } from 'n8n-workflow';

/** A resource mapper's value that means "leave it out": nothing set. */
const isEmpty = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * One item's values of a resource mapper: the fields set below (n8n has already converted
 * them to their types), or under Map Automatically the item's own fields named like the
 * mapper's fields. Empty fields are left out: they are not sent.
 */
export function mappedValues(this: IExecuteFunctions, name: string, itemIndex: number): IDataObject {
	const mode = this.getNodeParameter(`${name}.mappingMode`, itemIndex, 'defineBelow');
	let values: IDataObject;
	if (mode === 'autoMapInputData') {
		const schema = (this.getNodeParameter(`${name}.schema`, itemIndex, []) ?? []) as ResourceMapperField[];
		const json = this.getInputData()[itemIndex]?.json ?? {};
		values = {};
		for (const field of schema) if (Object.prototype.hasOwnProperty.call(json, field.id)) values[field.id] = json[field.id];
	} else {
		values = (this.getNodeParameter(`${name}.value`, itemIndex, {}) ?? {}) as IDataObject;
	}
	return Object.fromEntries(Object.entries(values).filter(([, value]) => !isEmpty(value)));
}
