import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runOperation } from '../runner/runOperation';
import { resources } from './resources';

/** Finds the operation the node is set to (actions/resources.ts) and runs it for every input item (runner/runOperation.ts). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = resources.find((r) => r.value === resource)?.operations[operation];
	if (!module) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not known to this version of the SMASHSEND node`,
		);
	}
	return [await runOperation.call(this, module.operation)];
}
