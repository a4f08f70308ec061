import type { IDataObject, INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The output item for a failed input item when "On Error" continues, paired with it. Its
 * error travels in `json` only: n8n replaces the `json` of an item that carries an `error`
 * with `{error: message}` (both lines, `normalizeNodeErrors`), which would drop what to do next.
 *
 * - Continue (regular output): `{error, errorDescription, httpCode?, …extra}`, flat.
 * - Continue (using error output): `{error, details: {errorDescription, httpCode?, …extra}}`:
 *   n8n sends an item to the error branch when its `json` holds only `error`, `message` and
 *   `details`, and adds the input item's fields to it there.
 */
export function failedItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
	extra: IDataObject = {},
	toErrorOutput = false,
): INodeExecutionData {
	const details: IDataObject = { ...extra };
	if (error.description) details.errorDescription = error.description;
	const httpCode = (error as NodeApiError).httpCode;
	if (httpCode) details.httpCode = httpCode;
	const json: IDataObject = toErrorOutput ? { error: error.message, details } : { ...details, error: error.message };
	return { json, pairedItem: { item: itemIndex } };
}
