import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** Return All and Limit, as n8n's listing operations have them (Limit shown while Return All is off). */
export function returnAllParameters(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/** How many records one item's listing outputs at most: all (Return All), or its Limit (at least 1). */
export function readMaxResults(this: IExecuteFunctions, itemIndex: number): number {
	if (this.getNodeParameter('returnAll', itemIndex, false) === true) return Number.POSITIVE_INFINITY;
	return Math.max(1, Math.floor(Number(this.getNodeParameter('limit', itemIndex, 50))));
}
