import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RestRequest } from '../../../shared/transport/restApi';
import { showValue } from '../../helpers/email';
import type { PrepareContext } from '../shared/operation';
import { lookupFailure } from '../shared/lookupFailure';
import { emailMode, readContactId, readLocator, requireEmail, type Show } from '../shared/fields';
import { whyNotLoaded } from './customProperties';
import { FROM_VERSION_2, nodeVersion } from '../shared/versions';

/** SMASHSEND's contact ids: ctc_ and letters, digits, _ and - (nothing that could change a request's path). */
const CONTACT_ID = /^ctc_[A-Za-z0-9_-]{1,124}$/;

/**
 * Version 2's Contact: a resource locator, picked from SMASHSEND's list (searchable), or
 * given by ID or by email (looked up first).
 */
export function contactLocator(show: Show): INodeProperties {
	return {
		displayName: 'Contact',
		name: 'contact',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The contact: picked from your SMASHSEND contacts, by its ID, or by its email',
		displayOptions: { show: { ...show, ...FROM_VERSION_2 } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a contact…',
				typeOptions: { searchListMethod: 'searchContacts', searchable: true, searchFilterRequired: false },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'ctc_…',
				hint: 'After a Create or Update, Get or Find node, map it from their id field',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: CONTACT_ID.source,
							errorMessage: 'A contact ID starts with ctc_ and has letters, digits, _ and - only',
						},
					},
				],
			},
			emailMode(
				'email',
				'By Email',
				'name@example.com',
				'Get and Update look the contact up by this email first (one more call); Delete deletes by email',
			),
		],
	};
}

/** Where one item's contact is: by SMASHSEND id, or by email. */
export type ContactTarget = { by: 'id'; id: string } | { by: 'email'; email: string };

/** One item's contact: version 1's Contact ID, or version 2's Contact locator. Throws the item's error. */
export function readContactTarget(this: IExecuteFunctions, itemIndex: number): ContactTarget {
	if (nodeVersion.call(this) < 2) return { by: 'id', id: readContactId.call(this, itemIndex) };
	// An expression can give the whole locator a plain string: an id.
	const { mode, value } = readLocator.call(this, 'contact', itemIndex, 'id');
	if (mode === 'email') return { by: 'email', email: requireEmail.call(this, value, itemIndex, 'Contact (By Email)') };
	if (!CONTACT_ID.test(value)) {
		const from = mode === 'list' ? 'picked from the list' : 'given by ID';
		throw new NodeOperationError(
			this.getNode(),
			`Item ${itemIndex} has ${value === '' ? `no contact ${from}` : `an invalid contact ID ${showValue(value)}`}`,
			{
				description:
					'A contact ID starts with ctc_ and has letters, digits, _ and - only. Pick the contact from the list, map its id (for example {{ $json.id }} after a Find or Create node), or choose By Email.',
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
		async () =>
			await context.lookup({ method: 'GET', path: '/contacts/search', qs: { email } }, { reuse: (answer) => Boolean(answer.contact) }),
	);
	if (found.status !== 'delivered') {
		const why =
			found.status === 'failed' || found.status === 'abandoned'
				? whyNotLoaded(found.failure)
				: { why: 'the execution was cancelled first', note: '' };
		throw lookupFailure(
			new NodeOperationError(this.getNode(), `Item ${itemIndex}: SMASHSEND did not look up the contact ${target.email} (${why.why})`, {
				description: `By Email looks the contact up before the call. ${why.note}`.trim(),
				itemIndex,
			}),
			found.status === 'failed' || found.status === 'abandoned' ? found.failure : undefined,
		);
	}
	const contact = found.value.contact as IDataObject | null | undefined;
	// Checked as any ID is: it goes into the request's path.
	const id = contact && typeof contact.id === 'string' && CONTACT_ID.test(contact.id) ? contact.id : undefined;
	if (!id) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: SMASHSEND has no contact with the email ${target.email}`, {
			description:
				'Create it first (Contact → Create or Update), or use Contact → Find by Email, which outputs found: false instead of failing.',
			itemIndex,
		});
	}
	return id;
}
