import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FailedAnswer } from '../../../shared/transport/response';
import { forItem, type ErrorText } from '../../contract/failures';
import { showValue } from '../../helpers/emailAddress';
import { hasBrokenCharacter } from '../../helpers/text';
import { pickerParameter, readLocator } from '../../parameters/locator';
import type { Show } from '../../parameters/versions';

/** A broadcast's id goes into the request's path: nothing that could change it. */
const BROADCAST_ID = /^(?!\.{1,2}$)[^/\\?#%\s]{1,256}$/;

/** The Broadcast picker: from SMASHSEND's list, or by its ID. */
export function broadcastLocator(show: Show, description: string): INodeProperties {
	return pickerParameter({
		displayName: 'Broadcast',
		name: 'broadcast',
		description,
		show,
		list: { placeholder: 'Select a broadcast…', searchListMethod: 'searchBroadcasts' },
		modes: [{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. bcs_123' }],
	});
}

/** One item's broadcast id, checked as any id that goes into a path is; throws the item's error. */
export function readBroadcastId(this: IExecuteFunctions, itemIndex: number): string {
	const { value: id } = readLocator.call(this, 'broadcast', itemIndex, 'id');
	if (!BROADCAST_ID.test(id) || hasBrokenCharacter(id)) {
		throw new NodeOperationError(
			this.getNode(),
			forItem(id === '' ? "No broadcast in 'Broadcast'" : `'Broadcast' is not a valid broadcast ID: ${showValue(id)}`, itemIndex),
			{ description: 'Pick the broadcast from the list, or map its id from Broadcast → Create or Get Many.', itemIndex },
		);
	}
	return id;
}

/**
 * A 403 that says the workspace has no early access to the Broadcasts API: it holds for every
 * item of the run (Operation.closesRun), in one sentence that says what it needs and where to ask.
 */
export function withoutEarlyAccess(answer: FailedAnswer): ErrorText | undefined {
	if (answer.statusCode !== 403 || !/early.access|add-on|not (enabled|available)/i.test(answer.serverMessage)) return undefined;
	return {
		message: "SMASHSEND's Broadcasts API is not open to this workspace yet",
		description: `It needs the Email API add-on, a verified workspace and early access: ask SMASHSEND's support to turn it on. SMASHSEND said: ${answer.serverMessage.replace(/[.\s]*$/, '')}.`,
	};
}
