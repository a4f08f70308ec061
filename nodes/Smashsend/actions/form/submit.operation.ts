import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { restOperation } from '../../channels/rest/restChannel';
import { forItem } from '../../contract/failures';
import { showValue } from '../../helpers/emailAddress';
import { emailParameter, requireEmail } from '../../parameters/email';
import { mappedValues } from '../../parameters/resourceMapper';
import { optionsParameter } from '../../runner/options';
import { formKeyParameter, readPathSegment } from './formParameters';

const show = { resource: ['form'], operation: ['submit'] };

interface Plan {
	key: string;
	email: string;
	body: IDataObject;
}

/**
 * Form → Submit: a sign-up into a hosted form. SMASHSEND keeps one entry per form and email (a
 * second submit returns the first entry), so a retry after a lost answer signs no one up twice.
 */
export const operation = restOperation<Plan>({
	keyPrefix: 'form.submit',
	successSentence: 'Sign-ups submitted for',
	isWrite: true,
	prepare(itemIndex) {
		const key = readPathSegment.call(this, 'formKey', 'Form Public Key', itemIndex);
		const email = requireEmail.call(this, this.getNodeParameter('email', itemIndex), itemIndex);
		const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const answers: IDataObject = {};
		for (const pair of ((extra.otherAnswers as IDataObject | undefined)?.answer ?? []) as Array<{ key?: unknown; value?: unknown }>) {
			const name = typeof pair.key === 'string' ? pair.key.trim() : '';
			if (name !== '') answers[name] = pair.value as IDataObject[string];
		}
		// The fields read from the form win over Other Answers.
		Object.assign(answers, mappedValues.call(this, 'answers', itemIndex));
		const body: IDataObject = { email, ...(Object.keys(answers).length > 0 ? { answers } : {}) };
		if (extra.countryCode !== undefined && extra.countryCode !== '') {
			const country = String(extra.countryCode).trim().toUpperCase();
			if (!/^[A-Z]{2}$/.test(country)) {
				throw new NodeOperationError(
					this.getNode(),
					forItem(`'Country Code' is not a country code: ${showValue(extra.countryCode)}`, itemIndex),
					{
						description: 'Use the two letters of ISO 3166-1, such as ES or US.',
						itemIndex,
					},
				);
			}
			body.countryCode = country;
		}
		for (const field of ['referralCode', 'password'] as const) {
			if (typeof extra[field] === 'string' && extra[field] !== '') body[field] = (extra[field] as string).trim();
		}
		return { key, email, body };
	},
	request: (plan) => ({ method: 'POST', path: `/forms/${encodeURIComponent(plan.key)}/submit`, body: plan.body }),
	output: (json, plan) => [{ ...((json.entry ?? {}) as IDataObject), email: plan.email, success: json.success === true }],
	// One person's sign-ups into one form, in input order.
	orderKey: (plan) => `${plan.key} ${plan.email}`,
});

export const description: INodeProperties[] = [
	formKeyParameter(show),
	...emailParameter(show, {
		description: 'Who signs up. SMASHSEND keeps one entry per form and email: signing up again returns the first.',
	}),
	{
		displayName: 'Answers',
		name: 'answers',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		description: "The form's questions, read from the form. Empty ones are not sent.",
		displayOptions: { show },
		typeOptions: {
			loadOptionsDependsOn: ['formKey', 'additionalFields.password'],
			resourceMapper: {
				resourceMapperMethod: 'getFormFields',
				mode: 'add',
				valuesLabel: 'Answers',
				fieldWords: { singular: 'answer', plural: 'answers' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: true,
				noFieldsError:
					'The form could not be read (no public key yet, an expression, or a password): put the answers under Additional Fields → Other Answers.',
			},
		},
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Country Code',
				name: 'countryCode',
				type: 'string',
				default: '',
				placeholder: 'e.g. ES',
				description:
					"The person's country (two letters, ISO 3166-1). Without it SMASHSEND takes the country from the caller's address: n8n's server, not the person.",
			},
			{
				displayName: 'Other Answers',
				name: 'otherAnswers',
				type: 'fixedCollection',
				placeholder: 'Add answer',
				default: {},
				typeOptions: { multipleValues: true },
				description: "Answers by the form field's key, for a form the node cannot read (the Answers above win)",
				options: [
					{
						displayName: 'Answer',
						name: 'answer',
						values: [
							{ displayName: 'Field Key', name: 'key', type: 'string', default: '', placeholder: 'e.g. company' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Password',
				name: 'password',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: "The form's password, when it has one",
			},
			{
				displayName: 'Referral Code',
				name: 'referralCode',
				type: 'string',
				default: '',
				description: 'The code of the person who shared the link (the ?ref= of their invite link): they are credited for this sign-up',
			},
		],
	},
	optionsParameter(show, operation.options),
];
