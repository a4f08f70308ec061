import * as listSearch from './listSearch';
import * as loadOptions from './loadOptions';
import * as resourceMapping from './resourceMapping';

/**
 * Every method the editor calls, by kind: a parameter names one (`searchListMethod`,
 * `loadOptionsMethod`, `resourceMapperMethod`), and every function these three modules export
 * is registered, so a new picker is one function in one of them (the calls and helpers they
 * share live in listCall.ts and templates.ts). test/unit/editorMethods.test.ts checks that each
 * method a parameter names is registered, and each registered one is named.
 */
export const editorMethods = {
	listSearch: { ...listSearch },
	loadOptions: { ...loadOptions },
	resourceMapping: { ...resourceMapping },
};
