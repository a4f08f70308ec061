import type { INodeProperties } from 'n8n-workflow';

import { restOperation } from '../../channels/rest/restChannel';
import { optionsParameter } from '../../runner/options';
import { contactOutput, readSimplify, simplifyParameter } from './contactOutput';
import { VERSION_1 } from '../../parameters/versions';
import { contactIdParameter, contactLocator, noContactWith, readContactTarget } from './contactLocator';

const show = { resource: ['contact'], operation: ['get'] };

/** By ID: that contact. By email: SMASHSEND's search, whose answer holds the contact (one call, no lookup first). */
type Plan = { id: string; simplify: boolean } | { email: string; simplify: boolean };

export const operation = restOperation<Plan>({
	keyPrefix: 'contact.get',
	successSentence: 'Contacts fetched for',
	isWrite: false,
	async prepare(itemIndex) {
		const target = readContactTarget.call(this, itemIndex);
		const simplify = readSimplify.call(this, itemIndex);
		return target.by === 'email' ? { email: target.email, simplify } : { id: target.id, simplify };
	},
	request: (plan) =>
		'email' in plan
			? { method: 'GET', path: '/contacts/search', qs: { email: plan.email } }
			: { method: 'GET', path: `/contacts/${encodeURIComponent(plan.id)}` },
	output: (json, plan) => [contactOutput(json.contact, plan.simplify)],
	refuse: (json, plan, itemIndex) => ('email' in plan && !json.contact ? noContactWith(plan.email, itemIndex) : undefined),
});

export const description: INodeProperties[] = [
	contactIdParameter({ ...show, ...VERSION_1 }),
	...contactLocator(show),
	simplifyParameter(show),
	optionsParameter(show, operation.options),
];
