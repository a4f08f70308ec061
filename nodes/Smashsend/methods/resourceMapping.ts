import type {
	FieldType,
	IDataObject,
	ILoadOptionsFunctions,
	INodeParameterResourceLocator,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { loadCustomProperties, type CustomProperty } from '../actions/contact/customProperties';
import { editorCall, listFailure } from './listCall';
import { readTemplatesPage, type TemplateSummary } from './templates';

/** The most pages of templates read to find one by name (100 each). */
const MAX_TEMPLATE_PAGES = 20;

/** A field of a mapper, as optional, never a key to match on. */
function field(id: string, displayName: string, type: FieldType, extra: Partial<ResourceMapperField> = {}): ResourceMapperField {
	return { id, displayName, type, required: false, defaultMatch: false, canBeUsedToMatch: false, display: true, ...extra };
}

/**
 * Email → Send → Variables: the variables of the template picked above, one field each
 * (found by its name in `GET /transactional`; read with `GET /transactional/{id}` when the list
 * does not carry them).
 */
export async function getTemplateVariables(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	// Unresolved: a template given by an expression has no variables the editor can know (the
	// expression needs an item); its variables go in Other Variables (JSON).
	const locator = this.getNodeParameter('emailTemplate', '', { rawExpressions: true }) as INodeParameterResourceLocator | string;
	const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;
	const name = typeof raw === 'string' ? raw.trim() : '';
	if (name === '' || name.startsWith('=')) return { fields: [] };
	const found = await findTemplate.call(this, name);
	let variables = found.variables;
	if (variables === undefined) {
		const read = await editorCall.call(this, { method: 'GET', path: `/transactional/${encodeURIComponent(found.id ?? name)}` });
		if (read.status !== 'delivered') {
			if (read.status === 'failed') throw listFailure.call(this, `the variables of the template "${name}"`, read.failure);
			return { fields: [] };
		}
		variables = ((read.value.transactional ?? read.value) as IDataObject).variables;
	}
	return { fields: templateVariables(variables).map(({ key, defaultValue }) => field(key, variableLabel(key, defaultValue), 'string')) };
}

/** The template a send names, by its name (or id), from SMASHSEND's list; throws when none has it. */
async function findTemplate(this: ILoadOptionsFunctions, name: string): Promise<TemplateSummary> {
	let cursor: string | undefined;
	for (let page = 0; page < MAX_TEMPLATE_PAGES; page++) {
		const listed = await readTemplatesPage.call(this, cursor);
		if (!listed) break;
		const { items, cursor: next } = listed;
		const found = items.find((t) => t.name === name || t.id === name);
		if (found) return found;
		if (!next) break;
		cursor = next;
	}
	throw new NodeOperationError(this.getNode(), `SMASHSEND has no template named "${name}"`, {
		description: 'Pick the template from the list, or check its name in SMASHSEND under Transactional.',
	});
}

/** `{firstName: {id, defaultValue}}` (SMASHSEND's shape), or a list of names or `{name, defaultValue}`. */
function templateVariables(variables: unknown): Array<{ key: string; defaultValue?: string }> {
	if (Array.isArray(variables)) {
		return variables
			.map((v) => (typeof v === 'string' ? { key: v } : { key: String((v as IDataObject)?.name ?? ''), defaultValue: defaultOf(v) }))
			.filter((v) => v.key !== '');
	}
	if (typeof variables !== 'object' || variables === null) return [];
	return Object.entries(variables as IDataObject).map(([key, v]) => ({ key, defaultValue: defaultOf(v) }));
}

function defaultOf(variable: unknown): string | undefined {
	const value = (variable as IDataObject | undefined)?.defaultValue;
	return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** "firstName (default: there)": the template's default is what an empty field sends. */
function variableLabel(key: string, defaultValue: string | undefined): string {
	return defaultValue ? `${key} (default: ${defaultValue})` : key;
}

/** What each SMASHSEND property type is in n8n's mapper. */
const FIELD_TYPES: Record<string, FieldType> = {
	BOOLEAN: 'boolean',
	DATE: 'dateTime',
	NUMBER: 'number',
	SELECT: 'options',
	STRING: 'string',
	MULTI_SELECT: 'string',
};

/** A custom property as a field of the mapper: typed, a select's options as a dropdown, a multi-select as comma-separated text. */
function propertyField(p: CustomProperty): ResourceMapperField {
	if (p.multiple) {
		return field(
			p.apiSlug,
			p.options ? `${p.displayName} (comma-separated: ${p.options.join(', ')})` : `${p.displayName} (comma-separated)`,
			'string',
		);
	}
	if (p.type === 'SELECT' && p.options) {
		return field(p.apiSlug, p.displayName, 'options', { options: p.options.map((o) => ({ name: o, value: o })) });
	}
	const type = FIELD_TYPES[p.type] ?? 'string';
	return field(p.apiSlug, p.displayName, type === 'options' ? 'string' : type);
}

/** Contact → Create or Update / Update → Custom Properties: the workspace's custom properties, one typed field each. */
export async function getCustomPropertyFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const loaded = await loadCustomProperties(async (request) => await editorCall.call(this, request));
	if (!loaded.ok) throw listFailure.call(this, 'the custom properties', loaded.failure);
	return {
		fields: [...loaded.properties.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)).map(propertyField),
	};
}

/** A form field's type as a mapper field's (n8n checks the value against it in the editor). */
const FORM_FIELD_TYPES: Record<string, FieldType> = {
	number: 'number',
	checkbox: 'boolean',
	date: 'dateTime',
	multiselect: 'array',
	select: 'options',
	radio: 'options',
};

/**
 * Form → Submit → Answers: the questions of the form named by its public key (`GET /forms/{key}`,
 * with its password when it has one), one field each but the email (the Email parameter's).
 * A key given by an expression, or a form SMASHSEND does not give, has no fields: Other Answers
 * then takes them by key.
 */
export async function getFormFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const key = String(this.getNodeParameter('formKey', '', { rawExpressions: true }) ?? '').trim();
	if (key === '' || key.startsWith('=') || /[\s/?#\\]/.test(key)) return { fields: [] };
	const password = String(this.getNodeParameter('additionalFields.password', '') ?? '');
	const read = await editorCall.call(this, {
		method: 'GET',
		path: `/forms/${encodeURIComponent(key)}`,
		...(password ? { qs: { password } } : {}),
	});
	if (read.status !== 'delivered') {
		if (read.status === 'failed') throw listFailure.call(this, `the fields of the form "${key}"`, read.failure);
		return { fields: [] };
	}
	const config = ((read.value.form ?? {}) as IDataObject).config as IDataObject | null | undefined;
	const fields = Array.isArray(config?.fields) ? (config.fields as IDataObject[]) : [];
	return {
		fields: fields
			.filter((f) => typeof f.key === 'string' && f.key !== '' && f.type !== 'email')
			.map((f) => {
				const type = FORM_FIELD_TYPES[String(f.type)] ?? 'string';
				const options = Array.isArray(f.options)
					? (f.options as IDataObject[]).map((o) => ({ name: String(o.label ?? o.value), value: String(o.value) }))
					: undefined;
				return field(String(f.key), String(f.label ?? f.key), type, {
					required: f.required === true,
					...(type === 'options' && options ? { options } : {}),
				});
			}),
	};
}
