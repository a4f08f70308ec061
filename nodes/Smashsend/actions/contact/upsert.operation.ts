import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { batchTooLarge, readBatchFailures } from '../../channels/rest/batchAnswer';
import { restOperation } from '../../channels/rest/restChannel';
import { optionsParameter } from '../../runner/options';
import { emailParameter, requireEmail } from '../../parameters/email';
import { contactFields, contactOutput, readContactProperties } from './contactFields';

const show = { resource: ['contact'], operation: ['upsert'] };

const emailKey = (email: unknown) => (typeof email === 'string' ? email.trim().toLowerCase() : undefined);

export const operation = restOperation<{ properties: IDataObject }>({
	keyPrefix: 'contact.upsert',
	successSentence: 'Contacts saved for',
	isWrite: true,
	async prepare(itemIndex, context) {
		const email = requireEmail.call(this, this.getNodeParameter('email', itemIndex), itemIndex);
		const properties = await readContactProperties.call(this, itemIndex, context);
		return { properties: { ...properties, email } };
	},
	request: (plan) => ({ method: 'POST', path: '/contacts', body: { properties: plan.properties } }),
	output: (json) => [contactOutput(json.contact)],
	batch: {
		// Partial success: one bad contact fails alone and the others are saved.
		request: (plans) => ({
			method: 'POST',
			path: '/contacts/batch',
			qs: { allowPartialSuccess: 'true', includeFailedContacts: 'true' },
			body: { contacts: plans.map((plan) => ({ properties: plan.properties })) },
		}),
		// Each saved contact, found by its email (the key of an upsert), as POST /contacts answers
		// it. A contact not in errors[] was saved (partial success); should the answer leave it out
		// of its list, the item outputs the properties it sent.
		answers: (json, plans) => {
			const saved = new Map<string, IDataObject>();
			for (const contact of Array.isArray(json.contacts) ? (json.contacts as IDataObject[]) : []) {
				const email = emailKey((contact?.properties as IDataObject | undefined)?.email);
				if (email) saved.set(email, contact);
			}
			return plans.map((plan) => ({ contact: saved.get(emailKey(plan.properties.email) ?? '') ?? { properties: plan.properties } }));
		},
		errors: readBatchFailures,
		tooLarge: batchTooLarge,
		// Two items for one contact go in separate calls, so that each outputs what one call per item would.
		conflictKey: (plan) => emailKey(plan.properties.email),
	},
});

export const description: INodeProperties[] = [
	emailParameter(show, { description: 'SMASHSEND creates the contact, or updates the one that already has this email' }),
	...contactFields(show, false),
	optionsParameter(show, operation.options),
];
