import type { IDataObject, INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The output item for a failed input item when "On Error" continues, paired with it. Its
 * error travels in `json` only: n8n replaces the `json` of an item that carries an `error`
 * with `{error: message}` (both lines, `normalizeNodeErrors`), which would drop what to do next.
 *
 * - Continue (regular output): `{error, errorDescription, httpCode?, …extra}`, flat.
 * - Continue (using error output): `{error, message}`, the message being what to do next: n8n
 *   sends an item to the error branch when its `json` is exactly that (1.x; 2.x also takes
 *   `details`), and adds the input item's fields to it there.
 */
export function failedItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
	extra: IDataObject = {},
	toErrorOutput = false,
): INodeExecutionData {
	if (toErrorOutput)
		return { json: { error: error.message, message: error.description || error.message }, pairedItem: { item: itemIndex } };
	const json: IDataObject = { ...extra, error: error.message };
	if (error.description) json.errorDescription = error.description;
	const httpCode = (error as NodeApiError).httpCode;
	if (httpCode) json.httpCode = httpCode;
	return { json, pairedItem: { item: itemIndex } };
}
