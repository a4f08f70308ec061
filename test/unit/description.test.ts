import type { INodeProperties, INodePropertyCollection } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { DEFAULTS } from '../../nodes/Smashsend/contract/settings';
import { RETRY_GROUP } from '../../nodes/Smashsend/runner/options';
import { resources } from '../../nodes/Smashsend/actions/resources';
import { Smashsend } from '../../nodes/Smashsend/Smashsend.node';
import { SmashsendTrigger } from '../../nodes/SmashsendTrigger/SmashsendTrigger.node';
import { API_CREDENTIAL, FLOW_WEBHOOK_CREDENTIAL } from '../../nodes/shared/credentials';
import { SmashsendApi } from '../../credentials/SmashsendApi.credentials';
import { SmashsendFlowWebhookApi } from '../../credentials/SmashsendFlowWebhookApi.credentials';

const { description } = new Smashsend();
/** Whether a node of `version` meets `@version` conditions, as n8n's own displayParameter judges them. */
const versionShows = (conditions: unknown, version: number) =>
	conditions === undefined ||
	NodeHelpers.displayParameter(
		{},
		{ displayName: 'x', name: 'x', type: 'string', default: '', displayOptions: { show: { '@version': conditions as number[] } } },
		{ typeVersion: version },
		description,
	);
/**
 * The properties n8n shows for one resource and operation (displayOptions.show only) on a node of
 * `version`, in a workflow or (`asTool`) as an AI agent's tool.
 */
const shownFor = (resource: string, operation?: string, version = 1, asTool = false) =>
	description.properties.filter((p) => {
		const show = p.displayOptions?.show;
		if (!show) return true;
		if (!versionShows(show['@version'], version)) return false;
		if (show['@tool'] && !(show['@tool'] as boolean[]).includes(asTool)) return false;
		if (show.resource && !(show.resource as string[]).includes(resource)) return false;
		return !operation || p.name === 'operation' || !show.operation || (show.operation as string[]).includes(operation);
	});
const byName = (list: INodeProperties[], name: string) => list.find((p) => p.name === name) as INodeProperties;

describe("the node description (parameter names are stored in users' workflows)", () => {
	it('keeps its public parameter names', () => {
		expect(shownFor('flow').map((p) => p.name)).toEqual(['resource', 'operation', 'email', 'payloadMode', 'fields', 'jsonBody', 'options']);
		expect((byName(shownFor('flow'), 'options').options as INodeProperties[]).map((o) => o.name).sort()).toEqual([
			'ambiguousFailure',
			'bodyContentType',
			'concurrency',
			'includeInputFields',
			'maxRetries',
			'maxRetryWait',
			'rateLimit',
			'rateLimitPeriod',
			'retryAndTimeout',
			'timeout',
		]);
	});

	it("from version 4, as an AI agent's tool, the model fills Email, To and the Contact picker; before, and in a workflow, the item's email", () => {
		const defaults = (resource: string, operation: string, version: number, asTool: boolean) =>
			shownFor(resource, operation, version, asTool)
				.filter((p) => p.name === 'email' || p.name === 'to')
				.map((p) => p.default);
		for (const [resource, operation] of [
			['flow', 'trigger'],
			['contact', 'upsert'],
			['contact', 'find'],
			['event', 'send'],
			['email', 'send'],
		]) {
			for (const version of [1, 3, 4]) expect(defaults(resource, operation, version, false)).toEqual(['={{ $json.email }}']);
			// Tools saved before version 4 keep what they read (an agent's input item may carry email).
			expect(defaults(resource, operation, 3, true)).toEqual(['={{ $json.email }}']);
			expect(defaults(resource, operation, 4, true)).toEqual([
				expect.stringMatching(/^=\{\{ \$fromAI\('(email|to)', '[^']+', 'string'\) \}\}$/),
			]);
		}
		for (const operation of ['get', 'update', 'delete']) {
			const contact = (version: number, asTool: boolean) =>
				shownFor('contact', operation, version, asTool)
					.filter((p) => p.name === 'contact')
					.map((p) => p.default);
			expect(contact(4, false)).toEqual([{ mode: 'list', value: '' }]);
			expect(contact(2, true)).toEqual([{ mode: 'list', value: '' }]);
			expect(contact(3, true)).toEqual([{ mode: 'list', value: '' }]);
			expect(contact(4, true)).toEqual([
				{ __rl: true, mode: 'email', value: "={{ $fromAI('email', 'The email address of the contact', 'string') }}" },
			]);
			expect(contact(1, true)).toEqual([]);
		}
	});

	it('names the parameters of every REST operation', () => {
		const names = (resource: string, operation: string) => shownFor(resource, operation).map((p) => p.name);
		expect(names('contact', 'upsert')).toEqual([
			'resource',
			'operation',
			'email',
			'contactFields',
			'customProperties',
			'multiSelectChanges',
			'options',
		]);
		expect(names('contact', 'update')).toEqual([
			'resource',
			'operation',
			'contactId',
			'contactFields',
			'customProperties',
			'multiSelectChanges',
			'options',
		]);
		expect(names('contact', 'delete')).toEqual(['resource', 'operation', 'deleteBy', 'email', 'contactId', 'options']);
		expect(names('contact', 'getMany')).toEqual(['resource', 'operation', 'returnAll', 'limit', 'filters', 'options']);
		expect(names('contact', 'get')).toEqual(['resource', 'operation', 'contactId', 'options']);
		expect(names('contact', 'find')).toEqual(['resource', 'operation', 'email', 'options']);
		// Version 2 (new nodes): the Contact locator instead of Contact ID (and Delete By), and Simplify.
		const v2 = (resource: string, operation: string) => shownFor(resource, operation, 2).map((p) => p.name);
		expect(v2('contact', 'get')).toEqual(['resource', 'operation', 'contact', 'simplify', 'options']);
		expect(v2('contact', 'update')).toEqual([
			'resource',
			'operation',
			'contact',
			'contactFields',
			'customPropertyFields',
			'multiSelectChanges',
			'options',
		]);
		expect(v2('contact', 'delete')).toEqual(['resource', 'operation', 'contact', 'options']);
		expect(v2('contact', 'find')).toEqual(['resource', 'operation', 'email', 'simplify', 'options']);
		expect(v2('contact', 'getMany')).toEqual(['resource', 'operation', 'returnAll', 'limit', 'filters', 'simplify', 'options']);
		expect(v2('contact', 'upsert')).toEqual([
			'resource',
			'operation',
			'email',
			'contactFields',
			'customPropertyFields',
			'multiSelectChanges',
			'options',
		]);
		// Contact Property (from version 1 on: a new resource changes no saved node).
		expect(v2('contactProperty', 'create')).toEqual([
			'resource',
			'operation',
			'displayName',
			'propertyType',
			'choices',
			'additionalFields',
			'options',
		]);
		expect(v2('contactProperty', 'update')).toEqual(['resource', 'operation', 'property', 'updateFields', 'options']);
		expect(v2('contactProperty', 'getMany')).toEqual(['resource', 'operation', 'returnAll', 'limit', 'options']);
		// Version 2 of Email → Send: From and Template are pickers, the template's variables are fields.
		expect(v2('email', 'send')).toEqual([
			'resource',
			'operation',
			'to',
			'content',
			'sender',
			'subject',
			'html',
			'text',
			'emailTemplate',
			'templateVariables',
			'otherVariables',
			'additionalFields',
			'options',
		]);
		expect(v2('flow', 'trigger')).toEqual(names('flow', 'trigger'));
		// Version 3 (new nodes): Simplify on every contact operation that outputs a contact; Other
		// Variables (JSON) moves under Additional Fields (for templates only).
		const v3 = (resource: string, operation: string) => shownFor(resource, operation, 3).map((p) => p.name);
		for (const operation of ['upsert', 'update']) {
			expect(v3('contact', operation)).toEqual([...v2('contact', operation).slice(0, -1), 'simplify', 'options']);
		}
		for (const operation of ['get', 'find', 'getMany', 'delete']) expect(v3('contact', operation)).toEqual(v2('contact', operation));
		expect(v3('email', 'send')).toEqual(v2('email', 'send').filter((name) => name !== 'otherVariables'));
		const additional = description.properties.find(
			(p) => p.name === 'additionalFields' && p.displayOptions?.show?.resource?.includes('email'),
		);
		const otherVariables = (additional?.options as Array<{ name: string; displayOptions?: unknown }>).find(
			(o) => o.name === 'otherVariables',
		);
		expect(otherVariables?.displayOptions).toEqual({ show: { '/content': ['template'], '@version': [{ _cnd: { gte: 3 } }] } });
		expect(description.version).toEqual([1, 2, 3, 4]);
		expect(description.defaultVersion).toBe(4);
		expect(names('event', 'send')).toEqual(['resource', 'operation', 'event', 'email', 'properties', 'additionalFields', 'options']);
		// Version 4: the properties as fields (Properties (JSON) when Specify Properties says JSON); Get Many's Sort of its own.
		const v4 = (resource: string, operation: string) => shownFor(resource, operation, 4).map((p) => p.name);
		expect(v4('event', 'send')).toEqual([
			'resource',
			'operation',
			'event',
			'email',
			'specifyProperties',
			'propertyFields',
			'properties',
			'additionalFields',
			'options',
		]);
		expect(v4('contact', 'getMany')).toEqual(['resource', 'operation', 'returnAll', 'limit', 'filters', 'sort', 'simplify', 'options']);
		const filters = byName(shownFor('contact', 'getMany', 4), 'filters').options as INodeProperties[];
		expect(filters.find((f) => f.name === 'sort')?.displayOptions).toEqual({ show: { '@version': [1, 2, 3] } });
		expect(names('email', 'send')).toEqual([
			'resource',
			'operation',
			'to',
			'content',
			'from',
			'subject',
			'html',
			'text',
			'template',
			'variables',
			'additionalFields',
			'options',
		]);
		const resources = byName(description.properties, 'resource');
		expect(resources.default).toBe('flow');
		expect((resources.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'broadcast',
			'contact',
			'contactProperty',
			'email',
			'event',
			'flow',
			'form',
		]);
	});

	it('keeps to the documented rate limits by default: 60/minute, events 1,000/minute', () => {
		const rate = (resource: string, operation: string) =>
			byName(
				byName(
					shownFor(resource, operation).filter((p) => p.name === 'options'),
					'options',
				).options as INodeProperties[],
				'rateLimit',
			).default;
		expect(rate('contact', 'upsert')).toBe(DEFAULTS.ratePerMinute);
		expect(rate('email', 'send')).toBe(60);
		expect(rate('event', 'send')).toBe(1000);
	});

	it('offers Batch Size where SMASHSEND takes batches (Create or Update, Event → Send) and nowhere else', () => {
		const batchSize = (resource: string, operation?: string) =>
			(
				byName(
					shownFor(resource, operation).filter((p) => p.name === 'options'),
					'options',
				).options as INodeProperties[]
			).find((p) => p.name === 'batchSize');
		expect(batchSize('contact', 'upsert')?.default).toBe(DEFAULTS.batchSize);
		expect(batchSize('event', 'send')?.default).toBe(DEFAULTS.batchSize);
		for (const [resource, operation] of [['flow'], ['contact', 'get'], ['contact', 'update'], ['contact', 'delete'], ['email', 'send']]) {
			expect(batchSize(resource, operation)).toBeUndefined();
		}
	});

	it('shows the defaults the code uses', () => {
		const options = byName(shownFor('flow'), 'options').options as INodeProperties[];
		const group = byName(options, RETRY_GROUP.name);
		const grouped = (group.options as INodePropertyCollection[]).find((c) => c.name === RETRY_GROUP.values)?.values ?? [];
		expect(byName(options, 'concurrency').default).toBe(DEFAULTS.concurrency);
		for (const settings of [options, grouped]) {
			expect(byName(settings, 'maxRetries').default).toBe(DEFAULTS.maxRetries);
			expect(byName(settings, 'maxRetryWait').default).toBe(DEFAULTS.maxRetryWaitSeconds);
		}
		expect(byName(options, 'timeout').default).toBe(DEFAULTS.timeoutMs);
		expect(byName(grouped, 'timeoutSeconds').default).toBe(DEFAULTS.timeoutMs / 1000);
		// Versions 1 and 2 keep Max Retries, Max Wait per Retry and Timeout (Ms) one by one; version 3
		// has them (with Timeout in seconds, one unit for time) in Retries and Timeout.
		for (const name of ['maxRetries', 'maxRetryWait', 'timeout'])
			expect(byName(options, name).displayOptions).toEqual({ show: { '@version': [1, 2] } });
		expect(group.displayOptions).toEqual({ show: { '@version': [{ _cnd: { gte: 3 } }] } });
		expect(group.default).toEqual({ [RETRY_GROUP.values]: {} });
		expect(options.find((o) => o.name === 'timeoutSeconds')).toBeUndefined();
		expect(byName(description.properties, 'email').default).toBe('={{ $json.email }}');
	});

	it("version 3's Options are the common ones, Concurrency and one group for retries", () => {
		const shownToVersion3 = (resource: string, operation?: string) =>
			(byName(shownFor(resource, operation), 'options').options as INodeProperties[])
				.filter((o) => !o.displayOptions?.show?.['@version'] || JSON.stringify(o.displayOptions.show['@version']).includes('gte'))
				.map((o) => o.displayName);
		expect(shownToVersion3('contact', 'upsert')).toEqual([
			'Batch Size',
			'Concurrency',
			'Rate Limit (Requests per Minute)',
			'Retries and Timeout',
		]);
		expect(shownToVersion3('flow')).toEqual([
			'Body Content Type',
			'Concurrency',
			'Include Input Fields',
			'Rate Limit',
			'Rate Limit Period',
			'Retries and Timeout',
			'When Unsure If the Flow Started',
		]);
	});

	it("subtitles the node on the canvas with the operation's action, not its stored values", () => {
		// Written out in the node (n8n's lint takes only a literal): every operation's action, by resource and operation.
		const actions: Record<string, string> = {};
		for (const resource of resources) {
			const operation = resource.description.find((p) => p.name === 'operation');
			for (const option of (operation?.options ?? []) as Array<{ value: string; action?: string }>)
				actions[`${resource.value}:${option.value}`] = option.action ?? '';
		}
		expect(actions['contact:upsert']).toBe('Create or update a contact');
		expect(actions['flow:trigger']).toBe('Trigger a flow');
		expect(description.subtitle).toBe(
			`={{ (${JSON.stringify(actions)})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}`,
		);
	});

	it('names its credential types as the code reads them', () => {
		expect(new SmashsendApi().name).toBe(API_CREDENTIAL);
		expect(new SmashsendFlowWebhookApi().name).toBe(FLOW_WEBHOOK_CREDENTIAL);
	});

	it('can be used by AI agents and names its credential', () => {
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials).toEqual([
			expect.objectContaining({ name: 'smashsendFlowWebhookApi', required: true, displayOptions: { show: { resource: ['flow'] } } }),
			expect.objectContaining({ name: 'smashsendApi', required: true, displayOptions: { hide: { resource: ['flow'] } } }),
		]);
	});

	it('does not let n8n take Resource for the choice of credential', () => {
		// n8n's editor hides a parameter all of whose values the credentials' `show` names, and sets
		// it from the credential it picks: Trigger a Flow would become Contact → Create or Update
		// for users who have both credentials (the editor test adds it with both).
		const named = new Set(description.credentials?.flatMap((c) => (c.displayOptions?.show?.resource as string[] | undefined) ?? []));
		const resources = (byName(description.properties, 'resource').options as Array<{ value: string }>).map((o) => o.value);
		expect(resources.every((r) => named.has(r))).toBe(false);
	});

	it('offers the trigger events SMASHSEND documents, with one webhook', () => {
		const trigger = new SmashsendTrigger().description;
		expect((byName(trigger.properties, 'events').options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual([
			'CONTACT_CREATED',
			'CONTACT_DELETED',
			'CONTACT_PROPERTY_UPDATED',
			'CONTACT_RESUBSCRIBED',
			'CONTACT_TAG_ADDED',
			'CONTACT_TAG_REMOVED',
			'CONTACT_UNSUBSCRIBED',
			'CONTACT_UPDATED',
			'WORKSPACE_BANNED',
			'WORKSPACE_SENDING_EMAILS_PAUSED',
			'WORKSPACE_TEAM_MEMBER_JOINED',
		]);
		expect(trigger.webhooks).toEqual([expect.objectContaining({ httpMethod: 'POST', name: 'default' })]);
	});
});
