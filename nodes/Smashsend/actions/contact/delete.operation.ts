import type { INodeProperties } from 'n8n-workflow';

import type { RestRequest } from '../../../shared/transport/restApi';
import { restOperation } from '../../channels/rest/restChannel';
import { optionsParameter } from '../../runner/options';
import { emailParameter, requireEmail } from '../../parameters/email';
import { nodeVersion, VERSION_1 } from '../../parameters/versions';
import { contactIdParameter, contactLocator, readContactId, readContactTarget } from './locator';
import { contactOutput } from './contactFields';

const show = { resource: ['contact'], operation: ['delete'] };
const showV1 = { ...show, ...VERSION_1 };

export const operation = restOperation<RestRequest>({
	keyPrefix: 'contact.delete',
	successSentence: 'Contacts deleted for',
	isWrite: true,
	async prepare(itemIndex) {
		if (nodeVersion.call(this) >= 2) {
			// SMASHSEND deletes by email itself: no lookup.
			const target = readContactTarget.call(this, itemIndex);
			if (target.by === 'id') return { method: 'DELETE', path: `/contacts/${encodeURIComponent(target.id)}` };
			return { method: 'DELETE', path: `/contacts/by-email/${encodeURIComponent(target.email)}` };
		}
		if (this.getNodeParameter('deleteBy', itemIndex) === 'id') {
			return { method: 'DELETE', path: `/contacts/${encodeURIComponent(readContactId.call(this, itemIndex))}` };
		}
		const email = requireEmail.call(this, this.getNodeParameter('email', itemIndex), itemIndex);
		return { method: 'DELETE', path: `/contacts/by-email/${encodeURIComponent(email)}` };
	},
	request: (plan) => plan,
	output: (json) => [{ isDeleted: json.isDeleted === true, ...contactOutput(json.contact) }],
	// The first attempt deleted the contact but its answer was lost; the retry finds nothing.
	doneAfterLostAnswer: (answer, plan) => {
		if (answer.statusCode !== 404) return undefined;
		const target = decodeURIComponent(plan.path.split('/').pop() ?? '');
		return [
			{
				isDeleted: true,
				...(plan.path.startsWith('/contacts/by-email/') ? { email: target } : { id: target }),
				deletedByEarlierAttempt: true,
			},
		];
	},
});

export const description: INodeProperties[] = [
	{
		displayName: 'Delete By',
		name: 'deleteBy',
		type: 'options',
		default: 'email',
		options: [
			{ name: 'Email', value: 'email' },
			{ name: 'Contact ID', value: 'id' },
		],
		displayOptions: { show: showV1 },
	},
	emailParameter({ ...showV1, deleteBy: ['email'] }),
	contactIdParameter({ ...showV1, deleteBy: ['id'] }),
	contactLocator(show),
	optionsParameter(show, operation.options),
];
