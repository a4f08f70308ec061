import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { emailMode, readLocator, requireEmail, type Show } from '../shared/fields';
import { FROM_VERSION_2, nodeVersion } from '../shared/versions';

/** Version 2's From: one of the workspace's verified senders, or an address typed (or mapped). */
export function senderParameter(show: Show): INodeProperties {
	return {
		displayName: 'From',
		name: 'sender',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The sender: a verified address of your SMASHSEND workspace, or any address at a verified domain',
		displayOptions: { show: { ...show, ...FROM_VERSION_2 } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a verified sender…',
				typeOptions: { searchListMethod: 'searchSenders', searchable: true, searchFilterRequired: false },
			},
			emailMode('address', 'By Address', 'hello@yourdomain.com', 'An address verified in SMASHSEND, or any address at a verified domain'),
		],
	};
}

/** One item's sender address: version 1's From text, or version 2's picker. Throws the item's error. */
export function readSender(this: IExecuteFunctions, itemIndex: number): string {
	if (nodeVersion.call(this) < 2) return requireEmail.call(this, this.getNodeParameter('from', itemIndex), itemIndex, 'From');
	return requireEmail.call(this, readLocator.call(this, 'sender', itemIndex, 'address').value, itemIndex, 'From');
}
