import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RestRequest } from '../../../shared/transport/restApi';
import { forItem } from '../../contract/failures';
import type { PrepareContext } from '../../contract/Operation';
import { showValue } from '../../helpers/emailAddress';
import { readDate } from '../../parameters/date';
import { requireEmail } from '../../parameters/email';
import { mappedValues, readMapper } from '../../parameters/resourceMapper';
import { nodeVersion } from '../../parameters/versions';
import { coerce, workspaceProperties } from './customProperties';
import { readMultiSelectChanges } from './multiSelectChanges';

/** One item's custom properties, by apiSlug, as set: version 1's name/value pairs, or version 2's mapper. */
async function readCustomValues(
	this: IExecuteFunctions,
	itemIndex: number,
	context: PrepareContext<RestRequest, IDataObject>,
): Promise<Array<{ name: string; value: unknown }>> {
	if (nodeVersion.call(this) < 2) {
		return (this.getNodeParameter('customProperties.property', itemIndex, []) as Array<{ name: string; value: unknown }>) ?? [];
	}
	// Map Automatically matches the item's fields against the workspace's properties as they are
	// now, not only those the editor loaded when the node was set up.
	const automatic = readMapper.call(this, 'customPropertyFields', itemIndex).mappingMode === 'autoMapInputData';
	const known = automatic ? (await workspaceProperties.call(this, context)).properties.keys() : undefined;
	return Object.entries(mappedValues.call(this, 'customPropertyFields', itemIndex, known)).map(([name, value]) => ({ name, value }));
}

/** Builds `properties` from the standard fields and the custom properties of one item. */
export async function readContactProperties(
	this: IExecuteFunctions,
	itemIndex: number,
	context: PrepareContext<RestRequest, IDataObject>,
): Promise<IDataObject> {
	const standard = this.getNodeParameter('contactFields', itemIndex, {}) as IDataObject;
	const properties: IDataObject = {};
	for (const [name, value] of Object.entries(standard)) {
		if (value === '' || value === undefined || value === null) continue;
		properties[name] = typeof value === 'string' ? value.trim() : value;
	}
	if (typeof properties.email === 'string') properties.email = requireEmail.call(this, properties.email, itemIndex);
	if (typeof properties.countryCode === 'string') properties.countryCode = properties.countryCode.toUpperCase();
	if (properties.createdAt !== undefined) {
		// SMASHSEND would quietly use today's date for one it cannot read: say so before sending.
		const time = readDate(properties.createdAt, this.getTimezone?.());
		if (time === undefined) {
			throw new NodeOperationError(this.getNode(), forItem(`'Created At' is not a date: ${showValue(properties.createdAt)}`, itemIndex), {
				description: 'Map it to a date, such as 2023-01-15 or 2023-01-15T10:30:00Z.',
				itemIndex,
			});
		}
		properties.createdAt = new Date(time).toISOString();
	}
	const custom = await readCustomValues.call(this, itemIndex, context);
	if (custom.length > 0) {
		const { properties: known, complete } = await workspaceProperties.call(this, context);
		for (const { name, value } of custom) {
			if (!name) continue;
			const definition = known.get(name);
			if (definition) {
				properties[name] = coerce.call(this, definition, value, itemIndex) as IDataObject[string];
				continue;
			}
			// SMASHSEND listed only some of its properties (more, but no way to ask for them): this
			// one may exist, so its value goes as given and SMASHSEND judges it.
			if (!complete) {
				properties[name] = (typeof value === 'string' ? value.trim() : value) as IDataObject[string];
				continue;
			}
			throw new NodeOperationError(this.getNode(), forItem(`The custom property "${name}" is not in this SMASHSEND workspace`, itemIndex), {
				description: `Create it in SMASHSEND under Contacts → Properties, or pick one of: ${[...known.keys()].join(', ') || '(none)'}.`,
				itemIndex,
			});
		}
	}
	for (const [name, change] of Object.entries(await readMultiSelectChanges.call(this, itemIndex, context))) {
		if (properties[name] !== undefined) {
			throw new NodeOperationError(
				this.getNode(),
				forItem(`"${name}" is set under Custom Properties and under Tags and Multi-Selects`, itemIndex),
				{
					description: 'Keep one of the two: a value under Custom Properties replaces the list, a change adds, removes or clears.',
					itemIndex,
				},
			);
		}
		properties[name] = change as IDataObject[string];
	}
	return properties;
}
