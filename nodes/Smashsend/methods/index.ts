import { getCustomProperties } from './loadOptions';
import { searchContacts, searchSenders, searchTemplates } from './listSearch';
import { getCustomPropertyFields, getTemplateVariables } from './resourceMapping';

/**
 * Every method the editor calls (a picker's list, a dropdown's options, a mapper's fields), by
 * kind: a parameter names one of these (`searchListMethod`, `loadOptionsMethod`,
 * `resourceMapperMethod`), and the node registers them all from here.
 */
export const editorMethods = {
	loadOptions: { getCustomProperties },
	listSearch: { searchContacts, searchSenders, searchTemplates },
	resourceMapping: { getCustomPropertyFields, getTemplateVariables },
};
