import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RestRequest } from '../../../shared/transport/restApi';
import { restOperation } from '../../channels/rest/restChannel';
import { optionsParameter } from '../../runner/options';
import { emailParameter, requireEmail } from '../../parameters/email';
import { nodeVersion, VERSION_1 } from '../../parameters/versions';
import { contactIdParameter, contactLocator, readContactId, readContactTarget } from './contactLocator';
import { contactOutput } from './contactOutput';
import { readErrorBody } from '../../../shared/transport/response';
import { forItem } from '../../contract/failures';

const show = { resource: ['contact'], operation: ['delete'] };
const showV1 = { ...show, ...VERSION_1 };

/** The call, and what the item outputs: from version 3 `{ deleted: true }`, before it the deleted contact. */
type Plan = { request: RestRequest; deletedOnly: boolean };

export const operation = restOperation<Plan>({
	keyPrefix: 'contact.delete',
	successSentence: 'Contacts deleted for',
	isWrite: true,
	async prepare(itemIndex) {
		return { request: deleteRequest.call(this, itemIndex), deletedOnly: nodeVersion.call(this) >= 3 };
	},
	request: (plan) => plan.request,
	// The calls for one contact (by its id, or its email) go in input order.
	orderKey: (plan) => plan.request.path,
	output: (json, plan) => [plan.deletedOnly ? { deleted: true } : { isDeleted: json.isDeleted === true, ...contactOutput(json.contact) }],
	// Only an answer that says it deleted the contact is a delete: SMASHSEND's types allow one that
	// deleted nothing (isDeleted: false), and an answer without it confirms nothing.
	refuse: (json, _plan, itemIndex) => {
		if (json.isDeleted === true) return undefined;
		const said = readErrorBody(json).message;
		if (json.isDeleted === false) {
			return {
				message: forItem(`SMASHSEND did not delete the contact${said ? `: ${said}` : ''}`, itemIndex),
				description:
					'SMASHSEND answered that the contact was not deleted (isDeleted: false). Check the contact in SMASHSEND; running the item again asks for the delete again.',
			};
		}
		return {
			message: forItem('SMASHSEND did not say whether it deleted the contact', itemIndex),
			description:
				'Its answer had no isDeleted: true, so the contact may or may not have been deleted. Check the contact in SMASHSEND before running the item again.',
		};
	},
	// The first attempt deleted the contact but its answer was lost; the retry finds nothing.
	doneAfterLostAnswer: (answer, plan) => {
		if (answer.statusCode !== 404) return undefined;
		if (plan.deletedOnly) return [{ deleted: true }];
		const { path } = plan.request;
		const target = decodeURIComponent(path.split('/').pop() ?? '');
		return [
			{
				isDeleted: true,
				...(path.startsWith('/contacts/by-email/') ? { email: target } : { id: target }),
				deletedByEarlierAttempt: true,
			},
		];
	},
});

function deleteRequest(this: IExecuteFunctions, itemIndex: number): RestRequest {
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
}

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
	...emailParameter({ ...showV1, deleteBy: ['email'] }),
	contactIdParameter({ ...showV1, deleteBy: ['id'] }),
	...contactLocator(show),
	optionsParameter(show, operation.options),
];
