import type { IDataObject, INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The output item for a failed input item when "On Error" continues: the error travels in
 * `error` (so "Continue (using error output)" routes it to the error branch) and readably
 * in `json`, paired with the input item that failed.
 */
export function failedItem(error: NodeApiError | NodeOperationError, itemIndex: number, extra: IDataObject = {}): INodeExecutionData {
	const json: IDataObject = { ...extra, error: error.message };
	if (error.description) json.errorDescription = error.description;
	const httpCode = (error as NodeApiError).httpCode;
	if (httpCode) json.httpCode = httpCode;
	return { json, error, pairedItem: { item: itemIndex } };
}
