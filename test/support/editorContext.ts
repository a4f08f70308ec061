import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';

import { SmashsendApi } from '../../credentials/SmashsendApi.credentials';
import { TEST_NODE } from './executeContext';
import { authenticatedHttpRequest } from './n8nHttp';
import { EDITOR } from './restNode';

/**
 * What n8n gives an editor method (a picker, a dropdown, a mapper's fields) of a version 2
 * node: the node, its SMASHSEND API credential for `baseUrl`, and its current parameters. As
 * n8n's, expressions are resolved (and fail in the editor, where there is no item) unless raw
 * ones are asked for.
 */
export function editorContext(baseUrl: string, parameters: IDataObject = {}, apiKey = EDITOR): ILoadOptionsFunctions {
	const creds = { apiKey, baseUrl };
	return {
		getNode: () => ({ ...TEST_NODE, typeVersion: 2 }),
		getCredentials: async () => creds,
		getNodeParameter: (name: string, fallback: unknown, options?: { extractValue?: boolean; rawExpressions?: boolean }) => {
			const value = parameters[name];
			if (value === undefined) return fallback;
			const inner = typeof value === 'object' && value !== null ? (value as IDataObject).value : value;
			if (!options?.rawExpressions && typeof inner === 'string' && inner.startsWith('=')) throw new Error('No execution data available');
			return options?.extractValue && typeof value === 'object' && value !== null ? inner : value;
		},
		helpers: { httpRequestWithAuthentication: authenticatedHttpRequest(new SmashsendApi().authenticate, creds) },
	} as unknown as ILoadOptionsFunctions;
}

/** The error an editor method's list failed with (the test fails if it did not). */
export async function listError(promise: Promise<unknown>): Promise<Error & { description?: string }> {
	return await promise.then(
		() => {
			throw new Error('expected the list to fail');
		},
		(error: Error & { description?: string }) => error,
	);
}

/** A resource mapper's value as n8n stores it, its fields defined below. */
export const mapper = (value: IDataObject | null, extra: IDataObject = {}) => ({ mappingMode: 'defineBelow', value, ...extra });
