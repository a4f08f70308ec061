import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { RestRequest } from '../../../shared/transport/restApi';
import { batchTooLarge, readBatchFailures } from '../../channels/rest/batchAnswer';
import { restOperation } from '../../channels/rest/restChannel';
import { optionsParameter } from '../../runner/options';
import { emailParameter, requireEmail } from '../../parameters/email';
import { contactFields } from './contactFields';
import { contactOutput, readSimplify, simplifyParameter } from './contactOutput';
import { readContactProperties } from './contactProperties';

const show = { resource: ['contact'], operation: ['upsert'] };

const emailKey = (email: unknown) => (typeof email === 'string' ? email.trim().toLowerCase() : undefined);

type Plan = { properties: IDataObject; simplify: boolean };

/**
 * SMASHSEND's import (`POST /contacts/batch`), with partial success: one bad contact fails alone
 * and the others are saved. A contact's own Created At is kept only there, and only when the
 * call says so (`overrideCreatedAt`, its SDK's `createBatch` option).
 */
const importRequest = (plans: Plan[]): RestRequest => ({
	method: 'POST',
	path: '/contacts/batch',
	qs: {
		allowPartialSuccess: 'true',
		includeFailedContacts: 'true',
		...(plans.some((plan) => plan.properties.createdAt !== undefined) ? { overrideCreatedAt: 'true' } : {}),
	},
	body: { contacts: plans.map((plan) => ({ properties: plan.properties })) },
});

/**
 * Each saved contact, found by its email (the key of an upsert), as `POST /contacts` answers it.
 * A contact not in errors[] was saved (partial success); should the answer leave it out of its
 * list, the item outputs the properties it sent.
 */
const importAnswers = (json: IDataObject, plans: Plan[]): IDataObject[] => {
	const saved = new Map<string, IDataObject>();
	for (const contact of Array.isArray(json.contacts) ? (json.contacts as IDataObject[]) : []) {
		const email = emailKey((contact?.properties as IDataObject | undefined)?.email);
		if (email) saved.set(email, contact);
	}
	return plans.map((plan) => ({ contact: saved.get(emailKey(plan.properties.email) ?? '') ?? { properties: plan.properties } }));
};

/** An item with a Created At goes through the import, in batches of its own: `POST /contacts` would not keep the date. */
const keepsDate = (plan: Plan) => plan.properties.createdAt !== undefined;

export const operation = restOperation<Plan>({
	keyPrefix: 'contact.upsert',
	successSentence: 'Contacts saved for',
	isWrite: true,
	async prepare(itemIndex, context) {
		const email = requireEmail.call(this, this.getNodeParameter('email', itemIndex), itemIndex);
		const properties = await readContactProperties.call(this, itemIndex, context);
		return { properties: { ...properties, email }, simplify: readSimplify.call(this, itemIndex, 3) };
	},
	request: (plan) => ({ method: 'POST', path: '/contacts', body: { properties: plan.properties } }),
	output: (json, plan) => [contactOutput(json.contact, plan.simplify)],
	batch: {
		request: importRequest,
		answers: importAnswers,
		errors: readBatchFailures,
		tooLarge: batchTooLarge,
		only: keepsDate,
	},
	// The items of one contact go in input order, in separate calls: the last one's data stays.
	orderKey: (plan) => emailKey(plan.properties.email),
});

export const description: INodeProperties[] = [
	...emailParameter(show, { description: 'SMASHSEND creates the contact, or updates the one that already has this email' }),
	...contactFields(show, { createdAt: true }),
	simplifyParameter(show, 3),
	optionsParameter(show, operation.options),
];
