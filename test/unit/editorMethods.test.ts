import { Smashsend } from '../../nodes/Smashsend/Smashsend.node';

/** The editor's methods: each one a parameter names is registered, and each registered one is named by a parameter. */

/** Every method name a parameter (its modes and nested options included) asks the editor to call, by kind. */
function namedMethods(
	value: unknown,
	found = { listSearch: new Set<string>(), loadOptions: new Set<string>(), resourceMapping: new Set<string>() },
) {
	if (Array.isArray(value)) value.forEach((entry) => namedMethods(entry, found));
	else if (typeof value === 'object' && value !== null) {
		const record = value as Record<string, unknown>;
		if (typeof record.searchListMethod === 'string') found.listSearch.add(record.searchListMethod);
		if (typeof record.loadOptionsMethod === 'string') found.loadOptions.add(record.loadOptionsMethod);
		if (typeof record.resourceMapperMethod === 'string') found.resourceMapping.add(record.resourceMapperMethod);
		Object.values(record).forEach((entry) => namedMethods(entry, found));
	}
	return found;
}

describe("the editor's methods (methods/index.ts)", () => {
	const node = new Smashsend();
	const named = namedMethods(node.description.properties);

	it.each(['listSearch', 'loadOptions', 'resourceMapping'] as const)(
		'%s: every method a parameter names is registered, and no other',
		(kind) => {
			const registered = Object.keys(node.methods[kind]).sort();
			expect(registered).toEqual([...named[kind]].sort());
			for (const name of registered) expect(typeof (node.methods[kind] as Record<string, unknown>)[name]).toBe('function');
		},
	);
});
