import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { restOperation } from '../../channels/rest/restChannel';
import { optionsParameter } from '../../runner/options';
import { emailParameter, requireEmail } from '../../parameters/email';
import { contactOutput, readSimplify, simplifyParameter } from './contactOutput';

const show = { resource: ['contact'], operation: ['find'] };

export const operation = restOperation<{ email: string; simplify: boolean }>({
	keyPrefix: 'contact.find',
	successSentence: 'Lookups done for',
	isWrite: false,
	async prepare(itemIndex) {
		return {
			email: requireEmail.call(this, this.getNodeParameter('email', itemIndex), itemIndex),
			simplify: readSimplify.call(this, itemIndex),
		};
	},
	request: (plan) => ({ method: 'GET', path: '/contacts/search', qs: { email: plan.email } }),
	// One output item per input item either way, so that an IF node can branch on `found`.
	output: (json, plan) => {
		if (!json.contact) return [{ found: false, email: plan.email }];
		const found: IDataObject = { found: true, ...contactOutput(json.contact, plan.simplify) };
		// A custom property named `found` must not decide the branch (`found` stays first).
		found.found = true;
		return [found];
	},
});

export const description: INodeProperties[] = [
	...emailParameter(show, { hint: 'Outputs the contact with found: true, or { found: false, email } when there is none' }),
	simplifyParameter(show),
	optionsParameter(show, operation.options),
];
