import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { givenKey } from '../../../shared/keys';
import { showValue, textToHtml } from '../../helpers/emailAddress';
import { restOperation } from '../../channels/rest/restChannel';
import { optionsParameter } from '../../runner/options';
import { requireEmail, withToolDefault } from '../../parameters/email';
import { jsonObject } from '../../parameters/json';
import { VERSION_1 } from '../../parameters/versions';
import { readSender, senderParameter } from './sender';
import { otherVariablesOption, readTemplate, templateParameters } from './template';
import { readDate } from '../../parameters/date';
import { listOf } from '../../parameters/list';
import { readText, textOf } from '../../parameters/text';
import { forItem } from '../../contract/failures';

const show = { resource: ['email'], operation: ['send'] };
const raw = { show: { ...show, content: ['raw'] } };
const template = { show: { ...show, content: ['template'] } };
const rawV1 = { show: { ...raw.show, ...VERSION_1 } };
const templateV1 = { show: { ...template.show, ...VERSION_1 } };

/** Reply To addresses SMASHSEND takes at most (its SDK: "max 5"). */
const MAX_REPLY_TO = 5;

/** Reply To: one address as text, several (up to five, separated by commas or a list) as a list, as the SDK sends them. */
function readReplyTo(this: IExecuteFunctions, value: unknown, itemIndex: number): string | string[] | undefined {
	const given = listOf(value);
	if (given.length === 0) return undefined;
	if (given.length > MAX_REPLY_TO) {
		throw new NodeOperationError(
			this.getNode(),
			forItem(`'Reply To' has ${given.length} addresses; SMASHSEND takes at most ${MAX_REPLY_TO}`, itemIndex),
			{
				description: `Keep ${MAX_REPLY_TO} addresses or fewer. Nothing was sent for this item.`,
				itemIndex,
			},
		);
	}
	const addresses = given.map((address) => requireEmail.call(this, address, itemIndex, 'Reply To'));
	return addresses.length === 1 ? addresses[0] : addresses;
}

export const operation = restOperation<IDataObject>({
	keyPrefix: 'email',
	successSentence: 'Emails accepted for',
	isWrite: true,
	async prepare(itemIndex, context) {
		const to = this.getNodeParameter('to', itemIndex, '');
		const recipients = listOf(Array.isArray(to) ? to : textOf.call(this, to, 'To', itemIndex));
		// SMASHSEND sends an email to one address (its SDK: "Only a single email address is allowed").
		if (recipients.length > 1) {
			throw new NodeOperationError(
				this.getNode(),
				forItem(`'To' has ${recipients.length} addresses, but SMASHSEND sends each email to one recipient`, itemIndex),
				{
					description:
						'Send one item per recipient: split the list into items before this node (for example with Split Out), and map To to one address. Nothing was sent for this item.',
					itemIndex,
				},
			);
		}
		const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const body: IDataObject = { to: requireEmail.call(this, recipients[0] ?? '', itemIndex, 'To') };
		if (this.getNodeParameter('content', itemIndex) === 'template') {
			const { template, variables } = readTemplate.call(this, itemIndex);
			body.template = template;
			body.variables = variables;
		} else {
			body.from = readSender.call(this, itemIndex);
			const subject = readText.call(this, 'subject', 'Subject', itemIndex).trim();
			const html = readText.call(this, 'html', 'HTML', itemIndex);
			const text = readText.call(this, 'text', 'Text', itemIndex);
			if (subject === '')
				throw new NodeOperationError(this.getNode(), forItem("'Subject' is empty", itemIndex), {
					description: 'Write a subject, or map it from the input.',
					itemIndex,
				});
			if (html.trim() === '' && text.trim() === '') {
				throw new NodeOperationError(this.getNode(), forItem("'HTML' and 'Text' are both empty", itemIndex), {
					description: 'Write the body in HTML, Text or both.',
					itemIndex,
				});
			}
			body.subject = subject;
			// SMASHSEND needs HTML for an email written here: text alone is also sent as HTML (escaped).
			body.html = html.trim() !== '' ? html : textToHtml(text);
			if (text.trim() !== '') body.text = text;
		}
		// SMASHSEND's SDK sends a sender name, preview text, an analytics group and contact properties
		// only with an email written here: a template has its own (docs/api-contract.md, "Emails").
		if (body.template === undefined) {
			const fields = [
				['fromName', 'From Name'],
				['previewText', 'Preview Text'],
			];
			for (const [key, parameter] of fields) {
				const value = textOf.call(this, extra[key], parameter, itemIndex);
				if (value !== '') body[key] = value;
			}
			const groupBy = textOf.call(this, extra.groupBy, 'Analytics Group', itemIndex).trim();
			if (groupBy !== '') body.groupBy = groupBy;
			if (extra.contactProperties !== undefined) {
				const properties = jsonObject.call(this, extra.contactProperties, 'Contact Properties (JSON)', itemIndex);
				if (Object.keys(properties).length > 0) body.contactProperties = properties;
			}
		}
		const replyTo = readReplyTo.call(this, extra.replyTo, itemIndex);
		if (replyTo !== undefined) body.replyTo = replyTo;
		if (extra.sendAt) {
			// As Created At: a date without a zone is the workflow's, whatever machine n8n runs on.
			const time = readDate(extra.sendAt, this.getTimezone?.());
			if (time === undefined)
				throw new NodeOperationError(this.getNode(), forItem(`'Send At' is not a date: ${showValue(extra.sendAt)}`, itemIndex), {
					description: 'Map it to a date, such as 2023-01-15T10:30:00Z, or leave it empty to send now.',
					itemIndex,
				});
			body.sendAt = new Date(time).toISOString();
		}
		// Only the settings set here: one left out keeps the workspace's own default.
		const settings: IDataObject = {};
		if (extra.trackClicks !== undefined) settings.trackClicks = extra.trackClicks !== false;
		if (extra.trackOpens !== undefined) settings.trackOpens = extra.trackOpens !== false;
		if (Object.keys(settings).length > 0) body.settings = settings;
		const given = givenKey(extra.idempotencyKey);
		if (given.invalid) {
			throw new NodeOperationError(
				this.getNode(),
				forItem(`'Idempotency Key' is not text: ${showValue(extra.idempotencyKey)}`, itemIndex),
				{ description: 'Map it to a text field, or leave it empty for the node to make one.', itemIndex },
			);
		}
		body.idempotencyKey = given.key ?? context.callKey('email', itemIndex, JSON.stringify(body));
		return body;
	},
	request: (body) => ({ method: 'POST', path: '/emails', body }),
	output: (json) => [{ ...((json.email ?? {}) as IDataObject) }],
});

export const description: INodeProperties[] = [
	...withToolDefault(
		{
			displayName: 'To',
			name: 'to',
			type: 'string',
			default: '={{ $json.email }}',
			required: true,
			placeholder: 'e.g. name@example.com',
			description: "The recipient's address. SMASHSEND sends each email to one recipient: for several, send one item each.",
			displayOptions: { show },
		},
		"={{ $fromAI('to', 'The email address of the recipient', 'string') }}",
	),
	{
		displayName: 'Content',
		name: 'content',
		type: 'options',
		default: 'raw',
		options: [
			{ name: 'HTML and Text', value: 'raw', description: 'Write the subject and body here' },
			{ name: 'Template', value: 'template', description: 'Use a SMASHSEND template with variables' },
		],
		displayOptions: { show },
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. hello@yourdomain.com',
		description: 'A sender address of a domain verified in SMASHSEND',
		displayOptions: rawV1,
	},
	senderParameter(raw.show),
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: '',
		required: true,
		displayOptions: raw,
	},
	{
		displayName: 'HTML',
		name: 'html',
		type: 'string',
		// n8n's HTML editor (as its HTML node has it): highlighting, and expressions inside.
		typeOptions: { editor: 'htmlEditor' },
		default: '',
		description: 'The body as HTML. Left empty, the Text below is sent as HTML too (escaped, line breaks kept).',
		displayOptions: raw,
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'The plain-text body (shown by clients that do not show HTML)',
		displayOptions: raw,
	},
	{
		displayName: 'Template ID',
		name: 'template',
		type: 'string',
		default: '',
		required: true,
		description: "The template's ID in SMASHSEND",
		displayOptions: templateV1,
	},
	{
		displayName: 'Variables (JSON)',
		name: 'variables',
		type: 'json',
		default: '{}',
		description: 'Values for the template\'s variables, as a JSON object such as { "plan": "pro" } (expressions allowed)',
		displayOptions: templateV1,
	},
	...templateParameters(template.show),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Analytics Group',
				name: 'groupBy',
				type: 'string',
				default: '',
				placeholder: 'e.g. order-confirmation',
				description: "SMASHSEND's reports group the emails that share this name. A template has its own.",
				displayOptions: { show: { '/content': ['raw'] } },
			},
			{
				displayName: 'Contact Properties (JSON)',
				name: 'contactProperties',
				type: 'json',
				default: '{}',
				description:
					'Properties SMASHSEND saves on the recipient\'s contact (creating it if needed) before sending, by their API names, e.g. {"firstName": "Ada"}',
				displayOptions: { show: { '/content': ['raw'] } },
			},
			{
				displayName: 'From Name',
				name: 'fromName',
				type: 'string',
				default: '',
				description: 'The sender name recipients see. A template uses its own.',
				displayOptions: { show: { '/content': ['raw'] } },
			},
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'SMASHSEND sends an email only once per key. Left empty, the node derives one per call: a retry never sends twice, each loop pass sends anew. Set your own (e.g. an order ID) to also guard against running the workflow again.',
			},
			otherVariablesOption,
			{
				displayName: 'Preview Text',
				name: 'previewText',
				type: 'string',
				default: '',
				description: 'The line inboxes show after the subject. A template uses its own.',
				displayOptions: { show: { '/content': ['raw'] } },
			},
			{
				displayName: 'Reply To',
				name: 'replyTo',
				type: 'string',
				default: '',
				placeholder: 'e.g. support@yourdomain.com, sales@yourdomain.com',
				description: "Where replies go: up to 5 addresses, separated by commas. With a template, these replace the template's own.",
			},
			{
				displayName: 'Send At',
				name: 'sendAt',
				type: 'dateTime',
				default: '',
				description: 'Schedule the email instead of sending it now',
			},
			{
				displayName: 'Track Clicks',
				name: 'trackClicks',
				type: 'boolean',
				default: true,
				description: 'Whether SMASHSEND rewrites links to count clicks',
			},
			{
				displayName: 'Track Opens',
				name: 'trackOpens',
				type: 'boolean',
				default: true,
				description: 'Whether SMASHSEND counts opens',
			},
		],
	},
	optionsParameter(show, operation.options),
];
