import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { FROM_VERSION_2, FROM_VERSION_3, nodeVersion, type Show } from '../../parameters/versions';

/**
 * A contact as SMASHSEND returns it: {id, createdAt, updatedAt, workspaceId, properties}; with
 * `simplify`, flat: id, email, the standard fields and custom properties at the top level,
 * then createdAt and updatedAt.
 */
export function contactOutput(contact: unknown, simplify = false): IDataObject {
	const c = (contact ?? {}) as IDataObject;
	if (!simplify) return { ...c };
	const { id, createdAt, updatedAt, properties } = c;
	const fields = typeof properties === 'object' && properties !== null && !Array.isArray(properties) ? (properties as IDataObject) : {};
	const { email, ...rest } = fields;
	const flat: IDataObject = { id, ...(email !== undefined ? { email } : {}), ...rest };
	// SMASHSEND's own fields win over a custom property of the same name (`id` stays first).
	flat.id = id;
	if (createdAt !== undefined) flat.createdAt = createdAt;
	if (updatedAt !== undefined) flat.updatedAt = updatedAt;
	return flat;
}

/**
 * Simplify, on every operation that outputs contacts: from version 2 on Get, Find and Get Many,
 * from version 3 on Create or Update and Update too (`since`), so that swapping one contact
 * operation for another keeps the shape a workflow reads. On: one flat contact (id, email, the
 * standard fields and custom properties); off: SMASHSEND's answer, the fields under `properties`.
 */
export function simplifyParameter(show: Show, since: 2 | 3 = 2): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		displayOptions: { show: { ...show, ...(since === 3 ? FROM_VERSION_3 : FROM_VERSION_2) } },
	};
}

/** One item's Simplify: before the version that has it (`since`), SMASHSEND's answer as it is. */
export function readSimplify(this: IExecuteFunctions, itemIndex: number, since: 2 | 3 = 2): boolean {
	if (nodeVersion.call(this) < since) return false;
	return this.getNodeParameter('simplify', itemIndex, true) === true;
}
