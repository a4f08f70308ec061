import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RestRequest } from '../../../shared/transport/restApi';
import { CONTACT_ID_PATTERN, CONTACT_ID_RULE, isContactId } from '../../helpers/contactId';
import { showValue } from '../../helpers/emailAddress';
import type { CallResult } from '../../delivery/call';
import type { CallFailure } from '../../contract/failures';
import type { PrepareContext } from '../../contract/Operation';
import { lookupFailure } from '../../runner/lookupFailure';
import { emailMode, requireEmail, withToolDefault } from '../../parameters/email';
import { pickerParameter, readLocator } from '../../parameters/locator';
import { whyNotLoaded } from './customProperties';
import { FROM_VERSION_2, nodeVersion, type Show } from '../../parameters/versions';
import { forItem } from '../../contract/failures';

/**
 * Version 2's Contact: a resource locator, picked from SMASHSEND's list (searchable), or
 * given by ID or by email (looked up first). As an AI agent's tool, by email, which the model
 * gives (see withToolDefault).
 */
export function contactLocator(show: Show): INodeProperties[] {
	const picker = pickerParameter({
		displayName: 'Contact',
		name: 'contact',
		description: 'The contact: picked from your SMASHSEND contacts, by its ID, or by its email',
		show: { ...show, ...FROM_VERSION_2 },
		list: { placeholder: 'Select a contact…', searchListMethod: 'searchContacts' },
		modes: [
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. ctc_2b7e… or 6f1c2a9e-…',
				hint: 'After a Create or Update, Get or Find node, map it from their id field',
				validation: [{ type: 'regex', properties: { regex: CONTACT_ID_PATTERN, errorMessage: CONTACT_ID_RULE } }],
			},
			emailMode(
				'email',
				'By Email',
				'name@example.com',
				'Update looks the contact up by this email first (one more call); Get and Delete use it directly',
			),
		],
	});
	return withToolDefault(picker, {
		__rl: true,
		mode: 'email',
		value: "={{ $fromAI('email', 'The email address of the contact', 'string') }}",
	});
}

/** Where one item's contact is: by SMASHSEND id, or by email. */
export type ContactTarget = { by: 'id'; id: string } | { by: 'email'; email: string };

/** One item's contact: version 1's Contact ID, or version 2's Contact locator. Throws the item's error. */
export function readContactTarget(this: IExecuteFunctions, itemIndex: number): ContactTarget {
	if (nodeVersion.call(this) < 2) return { by: 'id', id: readContactId.call(this, itemIndex) };
	// An expression can give the whole locator a plain string: an id.
	const { mode, value } = readLocator.call(this, 'contact', itemIndex, 'id');
	if (mode === 'email') return { by: 'email', email: requireEmail.call(this, value, itemIndex, 'Contact (By Email)') };
	if (!isContactId(value)) {
		const from = mode === 'list' ? 'picked from the list' : 'given by ID';
		throw new NodeOperationError(
			this.getNode(),
			forItem(value === '' ? `No contact ${from} in 'Contact'` : `'Contact' is not a valid contact ID: ${showValue(value)}`, itemIndex),
			{
				description: `${CONTACT_ID_RULE}. Pick the contact from the list, map its id (for example {{ $json.id }} after a Find or Create node), or choose By Email.`,
				itemIndex,
			},
		);
	}
	return { by: 'id', id: value };
}

/**
 * The contact's id: as given, or looked up by email (`GET /contacts/search`, with the
 * execution's retries and pace). Throws the item's error when no contact has the email or
 * the lookup failed.
 */
export async function resolveContactId(
	this: IExecuteFunctions,
	target: ContactTarget,
	itemIndex: number,
	context: PrepareContext<RestRequest, IDataObject>,
): Promise<string> {
	if (target.by === 'id') return target.id;
	// One lookup per email and execution, however many items name it.
	const { email } = target;
	const found = await context.once(
		`contact:${email.toLowerCase()}`,
		// A contact found is kept for Retry On Fail's next try (the email may have been changed by
		// then); "no contact" is not: the next try looks again.
		// Only the id is kept, for every item naming the email until the run ends: not the whole contact.
		async () =>
			slim(await context.lookup({ method: 'GET', path: '/contacts/search', qs: { email } }, { reuse: keepIdOnly, itemOnly: true })),
	);
	if (found.status !== 'delivered') {
		const why =
			found.status === 'failed' || found.status === 'abandoned'
				? whyNotLoaded(found.failure)
				: { why: 'the execution was cancelled first', note: '' };
		throw lookupFailure(
			new NodeOperationError(this.getNode(), forItem(`SMASHSEND did not look up the contact ${target.email}: ${why.why}`, itemIndex), {
				description: `By Email looks the contact up before the call. ${why.note}`.trim(),
				itemIndex,
			}),
			found.status === 'failed' || found.status === 'abandoned' ? found.failure : undefined,
		);
	}
	const contact = found.value.contact as IDataObject | null | undefined;
	if (!contact) {
		const { message, description } = noContactWith(target.email, itemIndex);
		throw new NodeOperationError(this.getNode(), message, { description, itemIndex });
	}
	// Checked as any ID is: it goes into the request's path.
	if (!isContactId(contact.id)) {
		throw new NodeOperationError(
			this.getNode(),
			forItem(`SMASHSEND found the contact ${target.email}, but its ID ${showValue(contact.id)} cannot be used in a request`, itemIndex),
			{
				description: `${CONTACT_ID_RULE}. Nothing was sent for this item; please report this answer to the package's maintainers.`,
				itemIndex,
			},
		);
	}
	return contact.id;
}

/** Of a search's answer, what an Update needs: the contact's id (undefined when none was found). */
function keepIdOnly(answer: IDataObject): IDataObject | undefined {
	const contact = answer.contact as IDataObject | null | undefined;
	return contact ? { contact: { id: contact.id } } : undefined;
}

/** A lookup's result with only the contact's id, as long as it is kept. */
function slim(found: CallResult<IDataObject, CallFailure>): CallResult<IDataObject, CallFailure> {
	if (found.status !== 'delivered') return found;
	return { ...found, value: keepIdOnly(found.value) ?? { contact: null } };
}

/** The error of an item whose contact, given by email, SMASHSEND does not have. */
export function noContactWith(email: string, itemIndex: number): { message: string; description: string } {
	return {
		message: forItem(`SMASHSEND has no contact with the email ${email}`, itemIndex),
		description:
			'Create it first (Contact → Create or Update), or use Contact → Find by Email, which outputs found: false instead of failing.',
	};
}

/** Version 1's Contact ID: text, mapped from an earlier node. */
export function contactIdParameter(show: Show): INodeProperties {
	return {
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ctc_2b7e… or 6f1c2a9e-…',
		description: "The contact's ID in SMASHSEND. After a Create or Update, Get or Find node, map it from their ID field.",
		displayOptions: { show },
	};
}

/** One item's Contact ID (version 1), checked by the one contact-id rule (helpers/contactId.ts). */
export function readContactId(this: IExecuteFunctions, itemIndex: number): string {
	const id = String(this.getNodeParameter('contactId', itemIndex, '') ?? '').trim();
	if (!isContactId(id)) {
		throw new NodeOperationError(
			this.getNode(),
			forItem(id === '' ? "'Contact ID' is empty" : `'Contact ID' is not a valid contact ID: ${showValue(id)}`, itemIndex),
			{
				description: `${CONTACT_ID_RULE}. Map it to the id of a contact, for example {{ $json.id }} after a Find or Create node.`,
				itemIndex,
			},
		);
	}
	return id;
}
