import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkSender } from '../../helpers/emailAddress';
import { pickerParameter, readLocator } from '../../parameters/locator';
import { FROM_VERSION_2, nodeVersion, type Show } from '../../parameters/versions';
import { forItem } from '../../contract/failures';

/** What By Address checks as the user types: an address, or `Name <address>`. */
const SENDER_PATTERN = '^\\s*(?:[^<>]*<[^\\s@<>]+@[^\\s@<>]+\\.[^\\s@.<>]+>|[^\\s@<>]+@[^\\s@<>]+\\.[^\\s@.<>]+)\\s*$';

/**
 * Version 2's From: one of the workspace's verified senders, or an address typed (or mapped).
 * `since`: from which node version it shows (a resource added later has it in every version).
 */
export function senderParameter(show: Show, since: Show = FROM_VERSION_2): INodeProperties {
	return pickerParameter({
		displayName: 'From',
		name: 'sender',
		description: 'The sender: a verified address of your SMASHSEND workspace, or any address at a verified domain',
		show: { ...show, ...since },
		list: { placeholder: 'Select a verified sender…', searchListMethod: 'searchSenders' },
		modes: [
			{
				displayName: 'By Address',
				name: 'address',
				type: 'string',
				placeholder: 'e.g. hello@yourdomain.com or Acme <hello@yourdomain.com>',
				hint: 'An address verified in SMASHSEND, or any address at a verified domain; a name may go first, as in Acme <hello@yourdomain.com>',
				validation: [{ type: 'regex', properties: { regex: SENDER_PATTERN, errorMessage: 'Not an email address' } }],
			},
		],
	});
}

/**
 * One item's sender (`addr` or `Name <addr>`): version 1's From text, or version 2's picker
 * (`pickerOnly`: the picker in every version). Throws the item's error.
 */
export function readSender(this: IExecuteFunctions, itemIndex: number, pickerOnly = false): string {
	const value =
		nodeVersion.call(this) < 2 && !pickerOnly
			? this.getNodeParameter('from', itemIndex)
			: readLocator.call(this, 'sender', itemIndex, 'address').value;
	const checked = checkSender(value);
	if (!checked.ok)
		throw new NodeOperationError(this.getNode(), forItem(checked.message, itemIndex), { description: checked.description, itemIndex });
	return checked.from;
}
