import type { IDataObject, IExecuteFunctions, ResourceMapperValue } from 'n8n-workflow';

/** A resource mapper's value that means "leave it out": nothing set. */
const isEmpty = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** One item's resource mapper as stored: its mode, values and the fields the editor loaded. */
export function readMapper(this: IExecuteFunctions, name: string, itemIndex: number): Partial<ResourceMapperValue> {
	return (this.getNodeParameter(name, itemIndex, {}) ?? {}) as Partial<ResourceMapperValue>;
}

/**
 * One item's values of a resource mapper: the fields set below, or under Map Automatically
 * the item's own fields named like the mapper's fields. Empty fields are left out: they are
 * not sent. The mapper is read whole, not as `name.value`: n8n would then check each value
 * against the field's type itself and fail an item for an empty date; the node checks the
 * values it sends, with its own per-item errors.
 */
export function mappedValues(this: IExecuteFunctions, name: string, itemIndex: number, fieldIds?: Iterable<string>): IDataObject {
	const mapper = readMapper.call(this, name, itemIndex);
	let values: IDataObject;
	if (mapper.mappingMode === 'autoMapInputData') {
		// The fields known now (`fieldIds`), or those the editor saved with the node.
		const json = this.getInputData()[itemIndex]?.json ?? {};
		values = {};
		for (const id of fieldIds ?? (mapper.schema ?? []).map((field) => field.id)) {
			if (Object.prototype.hasOwnProperty.call(json, id)) values[id] = json[id];
		}
	} else {
		values = (mapper.value ?? {}) as IDataObject;
	}
	return Object.fromEntries(Object.entries(values).filter(([, value]) => !isEmpty(value)));
}
