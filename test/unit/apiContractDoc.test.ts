import { ENDPOINTS } from '../../live-check/contract';
import { join, read, ROOT, sourceFiles } from '../support/files';

/**
 * docs/api-contract.md stays the whole contract: every REST path the package calls is in it,
 * every read-only endpoint the live check compares too, and every row names its source.
 */

const contract = read(join(ROOT, 'docs/api-contract.md'));

/** `/contacts/${encodeURIComponent(id)}` and `/contacts/{id}` alike: `/contacts/{}`. */
const normal = (p: string) => p.replace(/\$\{[^}]*\}|\{[^}]*\}/g, '{}').replace(/\?.*$/, '');

const documented = new Set([...contract.matchAll(/`(?:GET|POST|PUT|DELETE) (\/[^`\s]*)[^`]*`/g)].map((m) => normal(m[1])));

describe('docs/api-contract.md', () => {
	it('names every REST path the nodes and credentials call', () => {
		const called = new Set<string>();
		for (const file of [...sourceFiles('nodes'), ...sourceFiles('credentials')]) {
			const text = read(file);
			for (const m of text.matchAll(/path: (?:'(\/[^']*)'|`(\/[^`]*)`)/g)) called.add(normal(m[1] ?? m[2]));
			for (const m of text.matchAll(/url: '\/v1(\/[^']*)'/g)) called.add(normal(m[1]));
		}
		expect(called.size).toBeGreaterThan(10);
		expect([...called].filter((p) => !documented.has(p))).toEqual([]);
	});

	it('names every endpoint the live check compares', () => {
		expect(ENDPOINTS.map((e) => normal(e.path)).filter((p) => !documented.has(p))).toEqual([]);
	});

	it("gives a source in every row of its tables, in the table's source column", () => {
		const cells = (line: string) => line.split(' | ').map((cell) => cell.replace(/^\|\s*|\s*\|$/g, '').trim());
		const rows: string[] = [];
		let column = -1;
		for (const line of contract.split('\n')) {
			if (!line.startsWith('| ')) {
				column = -1;
				continue;
			}
			if (/^\| -/.test(line)) continue;
			if (column === -1) {
				column = cells(line).indexOf('source');
				continue;
			}
			if (column >= 0) rows.push(cells(line)[column] ?? '');
		}
		expect(rows.length).toBeGreaterThan(40);
		expect(rows.filter((source) => !/\b(SDK|Docs|unconfirmed|emulator)\b/.test(source))).toEqual([]);
	});
});
