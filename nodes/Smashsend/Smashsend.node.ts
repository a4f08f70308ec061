import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as flow from './actions/flow/Flow.resource';
import { router } from './actions/router';

export class Smashsend implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SMASHSEND',
		name: 'smashsend',
		icon: { light: 'file:smashsend.svg', dark: 'file:smashsend.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "trigger" ? "Trigger a Flow" : $parameter["operation"] }}',
		description: 'Trigger SMASHSEND automation flows, one flow run per item',
		defaults: { name: 'SMASHSEND' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'smashsendFlowWebhookApi',
				required: true,
				displayOptions: { show: { resource: ['flow'] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Flow', value: 'flow' }],
				default: 'flow',
			},
			...flow.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
