import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { forItem } from '../../contract/failures';
import { showValue } from '../../helpers/emailAddress';
import type { Show } from '../../parameters/versions';

/**
 * The parameters that name a form, an entry: SMASHSEND's SDK lists no forms, so a form is named
 * by its public key (the part after /f/ in its link: reading and submitting, no API key needed)
 * or by its ID (frm_…: the waitlist's positions, leaderboard and rewards, with the API key).
 */

export function formKeyParameter(show: Show): INodeProperties {
	return {
		displayName: 'Form Public Key',
		name: 'formKey',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. pk_abc123',
		description: "The form's public key: the part after /f/ in the form's link",
		displayOptions: { show },
	};
}

export function formIdParameter(show: Show): INodeProperties {
	return {
		displayName: 'Form ID',
		name: 'formId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. frm_abc123',
		description: "The form's ID in SMASHSEND (frm_…), not its public key",
		displayOptions: { show },
	};
}

/** One segment of a request's path, as a parameter gives it: text without slashes, spaces or dots alone. */
export function readPathSegment(this: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = this.getNodeParameter(name, itemIndex, '');
	const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (text === '' || /[\s/?#\\]/.test(text) || text === '.' || text === '..') {
		throw new NodeOperationError(
			this.getNode(),
			forItem(text === '' ? `'${label}' is empty` : `'${label}' is not a valid value: ${showValue(value)}`, itemIndex),
			{ description: `Copy the ${label} from SMASHSEND: one word, without spaces or slashes.`, itemIndex },
		);
	}
	return text;
}
