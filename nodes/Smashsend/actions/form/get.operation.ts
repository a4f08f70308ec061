import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { restOperation } from '../../channels/rest/restChannel';
import { optionsParameter } from '../../runner/options';
import { formKeyParameter, readPathSegment } from './formParameters';

const show = { resource: ['form'], operation: ['get'] };

/** Form → Get: a published form and its fields (the questions a sign-up answers), by its public key. */
export const operation = restOperation<{ key: string; password?: string }>({
	keyPrefix: 'form.get',
	successSentence: 'Forms read for',
	isWrite: false,
	prepare(itemIndex) {
		const password = this.getNodeParameter('additionalFields.password', itemIndex, '') as string;
		return { key: readPathSegment.call(this, 'formKey', 'Form Public Key', itemIndex), ...(password ? { password } : {}) };
	},
	request: (plan) => ({
		method: 'GET',
		path: `/forms/${encodeURIComponent(plan.key)}`,
		...(plan.password ? { qs: { password: plan.password } } : {}),
	}),
	output: (json) => {
		const form = (json.form ?? {}) as IDataObject;
		const { config, ...rest } = form;
		return [{ ...rest, fields: ((config as IDataObject | null)?.fields ?? []) as IDataObject[] }];
	},
});

export const description: INodeProperties[] = [
	formKeyParameter(show),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Password',
				name: 'password',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: "The form's password, when it has one: without it SMASHSEND does not give its fields",
			},
		],
	},
	optionsParameter(show, operation.options),
];
