import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { restOperation } from '../../channels/rest/restChannel';
import { forItem } from '../../contract/failures';
import { checkEmail } from '../../helpers/emailAddress';
import { readText } from '../../parameters/text';
import { optionsParameter } from '../../runner/options';
import { readSender, senderParameter } from '../email/sender';
import { withoutEarlyAccess } from './broadcastLocator';

const show = { resource: ['broadcast'], operation: ['create'] };

/**
 * Broadcast → Create: a draft made from HTML, for every subscribed contact. Never made twice: a
 * Create whose answer was lost is not sent again (SMASHSEND may have made the draft); the item
 * says so, and to look among the drafts first.
 */
export const operation = restOperation<IDataObject>({
	keyPrefix: 'broadcast.create',
	successSentence: 'Drafts made for',
	isWrite: true,
	ownOptions: { ambiguousDefault: 'fail' },
	notRetried:
		'Not retried: SMASHSEND does not recognise a repeat, so the node never makes a draft twice (at most once). Look among the drafts in SMASHSEND before running the item again.',
	prepare(itemIndex) {
		// The picker gives an address or `Name <address>`: SMASHSEND takes them apart.
		const from = readSender.call(this, itemIndex, true);
		const named = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(from);
		const required = (name: string, label: string) => {
			const text = readText.call(this, name, label, itemIndex);
			if (text.trim() === '')
				throw new NodeOperationError(this.getNode(), forItem(`'${label}' is empty`, itemIndex), {
					description: `A broadcast needs its ${label.toLowerCase()}. Nothing was sent for this item.`,
					itemIndex,
				});
			return text;
		};
		const body: IDataObject = {
			subject: required('subject', 'Subject'),
			fromEmail: named ? named[2] : from.trim(),
			html: required('html', 'HTML'),
			audience: { all: true },
		};
		if (named?.[1]) body.fromName = named[1];
		const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		for (const [field, label] of [
			['name', 'Name'],
			['fromName', 'From Name'],
			['previewText', 'Preview Text'],
			['text', 'Plain Text'],
		] as const) {
			if (extra[field] !== undefined && extra[field] !== '')
				body[field] = readText.call(this, `additionalFields.${field}`, label, itemIndex);
		}
		if (extra.replyTo !== undefined && extra.replyTo !== '') {
			const addresses = String(extra.replyTo)
				.split(',')
				.map((a) => a.trim())
				.filter(Boolean);
			for (const address of addresses) {
				const checked = checkEmail(address, 'Reply To', 'Separate addresses with commas.');
				if (!checked.ok)
					throw new NodeOperationError(this.getNode(), forItem(checked.message, itemIndex), {
						description: checked.description,
						itemIndex,
					});
			}
			body.replyTo = addresses;
		}
		const settings: IDataObject = {};
		for (const field of ['trackOpens', 'trackClicks'] as const) if (typeof extra[field] === 'boolean') settings[field] = extra[field];
		if (Object.keys(settings).length > 0) body.settings = settings;
		if (typeof extra.allowUnknownVariables === 'boolean') body.allowUnknownVariables = extra.allowUnknownVariables;
		return body;
	},
	request: (body) => ({ method: 'POST', path: '/broadcasts', body }),
	output: (json) => [{ ...((json.broadcast ?? {}) as IDataObject) }],
	closesRun: withoutEarlyAccess,
});

export const description: INodeProperties[] = [
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. This week: {{firstName}}, the new roadmap',
		description:
			"The email's subject; SMASHSEND fills {{firstName}} and its like for each contact (in an expression, write {{ '{{firstName}}' }}: n8n would fill it first)",
		displayOptions: { show },
	},
	// Shown in every node version: the resource came with version 4, saved nodes of any version may use it.
	senderParameter(show, {}),
	{
		displayName: 'HTML',
		name: 'html',
		type: 'string',
		typeOptions: { editor: 'htmlEditor' },
		default: '<html><body><p>Hello {{firstName}},</p></body></html>',
		required: true,
		description:
			"The email as HTML. SMASHSEND keeps it as it is and adds tracking links and the unsubscribe footer when it is scheduled. Its {{firstName}} and the like are SMASHSEND's (in an expression, write {{ '{{firstName}}' }}).",
		displayOptions: { show },
	},
	{
		displayName: 'Audience',
		name: 'audience',
		type: 'options',
		default: 'all',
		options: [{ name: 'All Subscribed Contacts', value: 'all', description: 'Every contact of the workspace who is subscribed' }],
		description: 'Who receives it when it is scheduled (SMASHSEND offers every subscribed contact)',
		displayOptions: { show },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Allow Unknown Variables',
				name: 'allowUnknownVariables',
				type: 'boolean',
				default: false,
				description: 'Whether SMASHSEND accepts {{variables}} it does not know (they stay empty) instead of refusing the draft',
			},
			{
				displayName: 'From Name',
				name: 'fromName',
				type: 'string',
				default: '',
				description: "The sender's name (default: the workspace's)",
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: "The draft's name in SMASHSEND (default: the subject)",
			},
			{
				displayName: 'Plain Text',
				name: 'text',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'The email as plain text too',
			},
			{ displayName: 'Preview Text', name: 'previewText', type: 'string', default: '', description: 'What inboxes show after the subject' },
			{
				displayName: 'Reply To',
				name: 'replyTo',
				type: 'string',
				default: '',
				placeholder: 'e.g. support@example.com, sales@example.com',
				description: 'Where replies go: one or more addresses, separated by commas',
			},
			{ displayName: 'Track Clicks', name: 'trackClicks', type: 'boolean', default: true, description: 'Whether SMASHSEND tracks clicks' },
			{ displayName: 'Track Opens', name: 'trackOpens', type: 'boolean', default: true, description: 'Whether SMASHSEND tracks opens' },
		],
	},
	optionsParameter(show, operation.options),
];
