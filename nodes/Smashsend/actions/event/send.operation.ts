import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { givenKey } from '../../../shared/keys';
import { showValue } from '../../helpers/emailAddress';
import { batchTooLarge, readBatchFailures } from '../../channels/rest/batchAnswer';
import { restOperation } from '../../channels/rest/restChannel';
import { readDate } from '../../parameters/date';
import { emailParameter, requireEmail } from '../../parameters/email';
import { jsonObject } from '../../parameters/json';
import { FROM_VERSION_4, nodeVersion, UP_TO_VERSION_3 } from '../../parameters/versions';
import { DEFAULTS } from '../../contract/settings';
import { optionsParameter } from '../../runner/options';
import { forItem } from '../../contract/failures';

const show = { resource: ['event'], operation: ['send'] };
const EVENT_NAME = /^[A-Za-z0-9_.:-]{1,60}$/;

export const operation = restOperation<IDataObject>({
	keyPrefix: 'event',
	successSentence: 'Events sent for',
	isWrite: true,
	ratePerMinute: DEFAULTS.eventRatePerMinute,
	async prepare(itemIndex, context) {
		const event = String(this.getNodeParameter('event', itemIndex, '') ?? '').trim();
		if (!EVENT_NAME.test(event)) {
			throw new NodeOperationError(this.getNode(), forItem(`'Event Name' is not a valid event name: ${showValue(event)}`, itemIndex), {
				description: 'Use up to 60 letters, digits and _ . : - (for example order.completed).',
				itemIndex,
			});
		}
		const email = requireEmail.call(this, this.getNodeParameter('email', itemIndex), itemIndex);
		const properties = readProperties.call(this, itemIndex);
		const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const traits = jsonObject.call(this, extra.traits ?? '{}', 'Contact Properties (JSON)', itemIndex);
		const body: IDataObject = { event, identify: Object.keys(traits).length > 0 ? { email, traits } : { email }, properties };
		if (extra.timestamp) {
			// From version 4, a time without a zone is the workflow's, as Send At's and Created At's are.
			const time = new Date(
				nodeVersion.call(this) >= 4 ? (readDate(extra.timestamp, this.getTimezone?.()) ?? Number.NaN) : String(extra.timestamp),
			);
			if (Number.isNaN(time.getTime())) {
				throw new NodeOperationError(this.getNode(), forItem(`'Timestamp' is not a date: ${showValue(extra.timestamp)}`, itemIndex), {
					description: 'Map it to a date, such as 2023-01-15T10:30:00Z, or leave it empty for the time the event is sent.',
					itemIndex,
				});
			}
			body.timestamp = time.toISOString();
		}
		const given = givenKey(extra.messageId);
		if (given.invalid) {
			throw new NodeOperationError(this.getNode(), forItem(`'Message ID' is not text: ${showValue(extra.messageId)}`, itemIndex), {
				description: 'Map it to a text field, or leave it empty for the node to make one.',
				itemIndex,
			});
		}
		const messageId = given.key ?? context.callKey('event', itemIndex, JSON.stringify(body));
		if (messageId.length > 128) {
			throw new NodeOperationError(this.getNode(), forItem("'Message ID' is longer than 128 characters", itemIndex), {
				description: 'SMASHSEND takes IDs of up to 128 characters. Shorten it, or leave it empty for the node to make one.',
				itemIndex,
			});
		}
		body.messageId = messageId;
		return body;
	},
	request: (body) => ({ method: 'POST', path: '/events', body }),
	output: (json, body) => [
		{
			success: json.success === true,
			messageId: json.messageId ?? body.messageId,
			// null: the event went through, but SMASHSEND did not say whether it had it already (its
			// SDK's answer to one event has no `duplicated`; a batch's may only count duplicates).
			duplicated: typeof json.duplicated === 'boolean' ? json.duplicated : null,
			...(typeof json.info === 'string' && json.info !== '' ? { info: json.info } : {}),
			event: body.event,
			email: (body.identify as IDataObject).email,
		},
	],
	batch: {
		request: (bodies) => ({ method: 'POST', path: '/events/batch', body: { events: bodies } }),
		// SMASHSEND answers a batch of events with counts ({accepted, failed, duplicated}),
		// errors[] for the failed ones and, per its SDK, events[{index, messageId, status}] for
		// the others. An event not in errors[] went through (partial success; see
		// runner/batchCalls.ts for an answer that does not name every failure).
		answers: (json, bodies) => {
			const perEvent = new Map<number, IDataObject>();
			for (const entry of Array.isArray(json.events) ? (json.events as IDataObject[]) : []) {
				if (typeof entry?.index === 'number') perEvent.set(entry.index, entry);
			}
			const { accepted, duplicated } = json;
			// Without a per-event status, the counts tell only when all or none were duplicates.
			const allOrNone = typeof duplicated !== 'number' ? null : duplicated === 0 ? false : accepted === 0 ? true : null;
			return bodies.map((body, position) => {
				const entry = perEvent.get(position);
				return {
					success: true,
					messageId: typeof entry?.messageId === 'string' ? entry.messageId : body.messageId,
					duplicated: entry && typeof entry.status === 'string' ? entry.status === 'duplicate' : allOrNone,
				};
			});
		},
		errors: readBatchFailures,
		tooLarge: batchTooLarge,
	},
});

/**
 * The event's properties: from version 4 as name/value fields (or JSON, when the user picks it);
 * before, Properties (JSON) alone.
 */
function readProperties(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const json = () => jsonObject.call(this, this.getNodeParameter('properties', itemIndex, '{}'), 'Properties (JSON)', itemIndex);
	if (nodeVersion.call(this) < 4 || this.getNodeParameter('specifyProperties', itemIndex, 'fields') === 'json') return json();
	const fields = (this.getNodeParameter('propertyFields.property', itemIndex, []) ?? []) as Array<{ name?: unknown; value?: unknown }>;
	const properties: IDataObject = {};
	for (const [position, field] of fields.entries()) {
		const name = typeof field.name === 'string' ? field.name.trim() : '';
		if (name === '') {
			throw new NodeOperationError(this.getNode(), forItem(`Property ${position + 1} of 'Properties' has no name`, itemIndex), {
				description: 'Give it a name (the flows read the value by it), or remove it.',
				itemIndex,
			});
		}
		properties[name] = field.value as IDataObject[string];
	}
	return properties;
}

export const description: INodeProperties[] = [
	{
		displayName: 'Event Name',
		name: 'event',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. order.completed',
		description: 'Up to 60 letters, digits and _ . : - . Flows in SMASHSEND can start on it.',
		displayOptions: { show },
	},
	...emailParameter(show, { description: 'The contact the event is about' }),
	{
		displayName: 'Specify Properties',
		name: 'specifyProperties',
		type: 'options',
		default: 'fields',
		options: [
			{ name: 'Using Fields Below', value: 'fields' },
			{ name: 'Using JSON', value: 'json' },
		],
		description: 'Data about the event, available to the flows it starts',
		displayOptions: { show: { ...show, ...FROM_VERSION_4 } },
	},
	{
		displayName: 'Properties',
		name: 'propertyFields',
		type: 'fixedCollection',
		placeholder: 'Add property',
		default: {},
		typeOptions: { multipleValues: true },
		displayOptions: { show: { ...show, ...FROM_VERSION_4, specifyProperties: ['fields'] } },
		options: [
			{
				displayName: 'Property',
				name: 'property',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. total' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: 'e.g. 42.00' },
				],
			},
		],
	},
	// Properties (JSON): alone before version 4, from version 4 when Specify Properties says JSON.
	...[
		{ ...show, ...UP_TO_VERSION_3 },
		{ ...show, ...FROM_VERSION_4, specifyProperties: ['json'] },
	].map(
		(shown): INodeProperties => ({
			displayName: 'Properties (JSON)',
			name: 'properties',
			type: 'json',
			default: '{}',
			description: 'Data about the event, available to the flows it starts, e.g. {"total": 42}',
			displayOptions: { show: shown },
		}),
	),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: { show },
		options: [
			{
				// Stored as `traits` (SMASHSEND's field); shown with the name the rest of the node uses.
				displayName: 'Contact Properties (JSON)',
				name: 'traits',
				type: 'json',
				default: '{}',
				description:
					'Properties SMASHSEND saves on the contact along with the event, by their API names, e.g. {"firstName": "Ada", "plan": "pro"}',
			},
			{
				displayName: 'Message ID',
				name: 'messageId',
				type: 'string',
				default: '',
				description:
					'Up to 128 characters; SMASHSEND ignores a second event with the same ID. Left empty, the node derives one per call: a retry never counts an event twice, each loop pass counts anew. Set your own (e.g. an order ID) to also guard against running the workflow again.',
			},
			{
				displayName: 'Timestamp',
				name: 'timestamp',
				type: 'dateTime',
				default: '',
				description: 'When the event happened (default: when SMASHSEND receives it)',
			},
		],
	},
	optionsParameter(show, operation.options),
];
