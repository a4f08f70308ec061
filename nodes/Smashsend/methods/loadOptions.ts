import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { loadCustomProperties } from '../actions/contact/customProperties';
import { editorCall, listFailure } from './listCall';

const TYPE_NAMES: Record<string, string> = {
	BOOLEAN: 'true/false',
	DATE: 'date',
	MULTI_SELECT: 'multi-select',
	NUMBER: 'number',
	SELECT: 'select',
	STRING: 'text',
};

/** The workspace's custom contact properties, by name, for the Custom Properties picker (every page of them). */
export async function getCustomProperties(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	// The editor waits for the list: one call per page, no retries.
	const loaded = await loadCustomProperties(async (request) => await editorCall.call(this, request));
	if (!loaded.ok) throw listFailure.call(this, 'the custom properties', loaded.failure);
	return [...loaded.properties.values()]
		.map((p) => ({
			name: p.displayName,
			value: p.apiSlug,
			description: `${p.apiSlug} · ${p.multiple ? TYPE_NAMES.MULTI_SELECT : (TYPE_NAMES[p.type] ?? p.type.toLowerCase())}${p.options ? `: ${p.options.join(', ')}` : ''}`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Tags and Multi-Selects → Property: the workspace's multi-select properties (tags, interests…), by name. */
export async function getMultiSelectProperties(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const loaded = await loadCustomProperties(async (request) => await editorCall.call(this, request));
	if (!loaded.ok) throw listFailure.call(this, 'the custom properties', loaded.failure);
	return [...loaded.properties.values()]
		.filter((p) => p.multiple)
		.map((p) => ({ name: p.displayName, value: p.apiSlug, description: `${p.apiSlug}${p.options ? `: ${p.options.join(', ')}` : ''}` }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
