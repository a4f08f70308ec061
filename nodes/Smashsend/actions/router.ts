import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as contact from './contact/Contact.resource';
import * as email from './email/Email.resource';
import * as event from './event/Event.resource';
import * as flow from './flow/Flow.resource';
import type { Operation } from '../runner/Operation';
import { runOperation } from '../runner/runOperation';

type OperationModule = { operation: Operation<unknown, unknown, unknown> };

const resources: Record<string, Record<string, OperationModule>> = {
	flow: flow.operations,
	contact: contact.operations,
	event: event.operations,
	email: email.operations,
};

/** Finds the operation the node is set to and runs it for every input item (actions/shared/run.ts). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = resources[resource]?.[operation];
	if (!module) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not known to this version of the SMASHSEND node`,
		);
	}
	return [await runOperation.call(this, module.operation)];
}
