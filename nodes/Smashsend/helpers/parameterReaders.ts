import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeParameterValueType } from 'n8n-workflow';

/** Whether a stored parameter value holds an n8n expression anywhere ("=…" strings). */
export function containsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(containsExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(containsExpression);
	return false;
}

/**
 * Reads a parameter for each item. n8n evaluates a parameter anew for every item, which costs
 * far more than the call it configures when there are thousands of items; a parameter without
 * any expression has the same value for every item, so it is read once.
 */
export function parameterReader<T>(context: IExecuteFunctions, name: string, fallback: T): (itemIndex: number) => T {
	const stored = (context.getNode().parameters as IDataObject)[name.split('.')[0]];
	if (containsExpression(stored)) {
		return (itemIndex) => context.getNodeParameter(name, itemIndex, fallback as NodeParameterValueType) as T;
	}
	const value = context.getNodeParameter(name, 0, fallback as NodeParameterValueType) as T;
	return () => value;
}

const JSON_FIELD = /^=\{\{\s*\$json\.([A-Za-z_$][\w$]*)\s*\}\}$/;

/**
 * Reads the Email parameter for each item. Its default, `={{ $json.email }}`, and any
 * `={{ $json.<field> }}` just read one field of the item, so the node reads the field itself
 * (the value n8n would produce) instead of starting n8n's expression engine per item.
 */
export function emailReader(context: IExecuteFunctions, items: INodeExecutionData[]): (itemIndex: number) => unknown {
	const stored = (context.getNode().parameters as IDataObject).email;
	const field = typeof stored === 'string' ? JSON_FIELD.exec(stored)?.[1] : undefined;
	if (field !== undefined) return (itemIndex) => items[itemIndex].json[field];
	return parameterReader<unknown>(context, 'email', undefined);
}
