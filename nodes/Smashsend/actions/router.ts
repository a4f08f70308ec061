import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Operation } from '../contract/Operation';
import { resources } from './resources';

/** The operation the node is set to (actions/resources.ts), for the runner to run for every input item. */
export function findOperation(this: IExecuteFunctions): Operation<unknown, unknown, unknown> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = resources.find((r) => r.value === resource)?.operations[operation];
	if (!module) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not known to this version of the SMASHSEND node`,
		);
	}
	return module.operation;
}
