import type { INodeProperties } from 'n8n-workflow';

import { restOperation, restOptions } from '../rest/channel';
import { contactIdParameter } from '../shared/fields';
import { contactOutput, readSimplify, simplifyParameter } from './fields';
import { VERSION_1 } from '../shared/versions';
import { contactLocator, readContactTarget, resolveContactId } from './locator';

const show = { resource: ['contact'], operation: ['get'] };

export const description: INodeProperties[] = [
	contactIdParameter({ ...show, ...VERSION_1 }),
	contactLocator(show),
	simplifyParameter(show),
	restOptions(show),
];

export const operation = restOperation<{ id: string; simplify: boolean }>({
	kind: 'contact.get',
	done: 'Contacts fetched for',
	changes: false,
	async prepare(itemIndex, context) {
		const target = readContactTarget.call(this, itemIndex);
		const simplify = readSimplify.call(this, itemIndex);
		return { id: await resolveContactId.call(this, target, itemIndex, context), simplify };
	},
	request: (plan) => ({ method: 'GET', path: `/contacts/${encodeURIComponent(plan.id)}` }),
	output: (json, plan) => [contactOutput(json.contact, plan.simplify)],
});
