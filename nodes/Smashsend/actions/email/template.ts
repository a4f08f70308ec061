import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { jsonObject } from '../../parameters/json';
import { pickerParameter, readLocator } from '../../parameters/locator';
import { mappedValues } from '../../parameters/resourceMapper';
import { FROM_VERSION_2, FROM_VERSION_3, nodeVersion, type Show } from '../../parameters/versions';
import { forItem } from '../../contract/failures';

/**
 * Version 2's template and its variables: the template picked from SMASHSEND's list (or
 * given by its name), its variables offered as fields (loaded from `GET /transactional/{id}`).
 */
export function templateParameters(show: Show): INodeProperties[] {
	const shown = { show: { ...show, ...FROM_VERSION_2 } };
	return [
		pickerParameter({
			displayName: 'Template',
			name: 'emailTemplate',
			description: 'A transactional template of your SMASHSEND workspace',
			show: shown.show,
			list: { placeholder: 'Select a template…', searchListMethod: 'searchTemplates' },
			modes: [
				{
					// Stored as `name` (saved workflows keep it): what SMASHSEND's API takes as a template's
					// identifier is its name, e.g. welcome, and so the mode says.
					displayName: 'By Name',
					name: 'name',
					type: 'string',
					placeholder: 'e.g. welcome',
					hint: "The template's identifier in SMASHSEND: its name, as in SMASHSEND's API examples",
				},
			],
		}),
		{
			displayName: 'Variables',
			name: 'templateVariables',
			type: 'resourceMapper',
			noDataExpression: true,
			default: { mappingMode: 'defineBelow', value: null },
			required: true,
			description: "Values for the template's variables. Empty ones are not sent: the template uses its default.",
			displayOptions: shown,
			typeOptions: {
				loadOptionsDependsOn: ['emailTemplate.value'],
				resourceMapper: {
					resourceMapperMethod: 'getTemplateVariables',
					mode: 'add',
					valuesLabel: 'Variables',
					fieldWords: { singular: 'variable', plural: 'variables' },
					addAllFields: true,
					multiKeyMatch: false,
					supportAutoMap: true,
					noFieldsError: 'This template has no variables, or no template is picked yet.',
				},
			},
		},
		// Version 2 shows it under the variables; from version 3 it is under Additional Fields.
		{ ...otherVariablesField, displayOptions: { show: { ...show, '@version': [2] } } },
	];
}

const otherVariablesField: INodeProperties = {
	displayName: 'Other Variables (JSON)',
	name: 'otherVariables',
	type: 'json',
	default: '{}',
	description:
		'Variables the Variables fields do not list (for a template chosen by an expression, say), as a JSON object, e.g. {"plan": "pro"}. The Variables fields win.',
};

/** Other Variables (JSON) as an additional field, from version 3 on, for templates. */
export const otherVariablesOption: INodeProperties = {
	...otherVariablesField,
	displayOptions: { show: { '/content': ['template'], ...FROM_VERSION_3 } },
};

/** One item's template and variables: version 1's Template ID and Variables (JSON), or version 2's picker and fields. */
export function readTemplate(this: IExecuteFunctions, itemIndex: number): { template: string; variables: IDataObject } {
	if (nodeVersion.call(this) < 2) {
		const template = String(this.getNodeParameter('template', itemIndex, '') ?? '').trim();
		if (template === '')
			throw new NodeOperationError(this.getNode(), forItem("'Template ID' is empty", itemIndex), {
				description: "Give the template's ID, as SMASHSEND shows it.",
				itemIndex,
			});
		return {
			template,
			variables: jsonObject.call(this, this.getNodeParameter('variables', itemIndex, '{}'), 'Variables (JSON)', itemIndex),
		};
	}
	const { value: template } = readLocator.call(this, 'emailTemplate', itemIndex, 'name');
	if (template === '') {
		throw new NodeOperationError(this.getNode(), forItem("No template in 'Template'", itemIndex), {
			description: 'Pick a template from the list, or give its name.',
			itemIndex,
		});
	}
	const where = nodeVersion.call(this) >= 3 ? 'additionalFields.otherVariables' : 'otherVariables';
	const other = jsonObject.call(this, this.getNodeParameter(where, itemIndex, '{}'), 'Other Variables (JSON)', itemIndex);
	return { template, variables: { ...other, ...mappedValues.call(this, 'templateVariables', itemIndex) } };
}
