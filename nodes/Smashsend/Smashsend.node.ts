import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { resources } from './actions/resources';
import { findOperation } from './actions/router';
import { editorMethods } from './methods';
import { runOperation } from './runner/runOperation';

export class Smashsend implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SMASHSEND',
		name: 'smashsend',
		icon: { light: 'file:smashsend.svg', dark: 'file:smashsend.dark.svg' },
		group: ['output'],
		// 2: pickers (Contact, Template, From), a template's variables and the custom properties as typed
		// fields, and Simplify; saved version 1 nodes keep their parameters.
		// 3: one contact shape for every contact operation (Simplify on Create or Update and Update
		// too), Delete outputs { deleted: true }; saved version 2 nodes keep their output.
		// 4: Event → Send's properties as name/value fields (or JSON), its Timestamp without a zone in
		// the workflow's time zone (as Send At and Created At), Get Many's Sort out of the Filters;
		// saved version 3 nodes keep Properties (JSON), their timestamps and their Sort.
		version: [1, 2, 3, 4],
		defaultVersion: 4,
		// The operation's action in words, written out (n8n's lint reads a literal) by
		// `npm run docs:operations` from the operations' actions; a unit test holds it to them.
		subtitle:
			'={{ ({"broadcast:cancel":"Cancel a broadcast","broadcast:create":"Create a broadcast","broadcast:get":"Get a broadcast","broadcast:getMany":"Get many broadcasts","broadcast:schedule":"Schedule a broadcast","broadcast:sendTest":"Send a test of a broadcast","contact:upsert":"Create or update a contact","contact:delete":"Delete a contact","contact:find":"Find a contact by email","contact:get":"Get a contact","contact:getMany":"Get many contacts","contact:update":"Update a contact","contactProperty:create":"Create a contact property","contactProperty:delete":"Delete a contact property","contactProperty:getMany":"Get many contact properties","contactProperty:update":"Update a contact property","email:send":"Send a transactional email","event:send":"Send an event","flow:trigger":"Trigger a flow","form:get":"Get a form","form:getEntryPosition":"Get an entry position","form:getEntryRewards":"Get entry rewards","form:getLeaderboard":"Get a leaderboard","form:submit":"Submit a form"})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}',
		description: 'Trigger SMASHSEND flows, manage contacts, send events and transactional emails',
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
			{
				name: 'smashsendApi',
				required: true,
				// `hide`, not `show: contact, email, event`: were every Resource named in the credentials'
				// `show`, n8n's editor would take Resource for the choice of credential, hide it, and set it
				// from the credential it picks (adding "Trigger a flow" would become Contact → Create or Update).
				displayOptions: { hide: { resource: ['flow'] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: resources.map(({ name, value }) => ({ name, value })),
				// Flow stays the default: workflows saved before the other resources rely on it.
				default: 'flow',
			},
			...resources.flatMap((resource) => resource.description),
		],
	};

	methods = editorMethods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// The operation the node is set to, run for every input item.
		return [await runOperation.call(this, findOperation.call(this))];
	}
}
