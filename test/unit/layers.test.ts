import { read, ROOT, join, repositoryFiles, normalize, dirname, inRepository } from '../support/files';

/**
 * The house as CONTRIBUTING.md draws it ("The house"): each room on its floor, and a room
 * imports only from its own floor or below. This test reads that table and checks every import
 * of the nodes and credentials against it, so that the picture is the code's.
 */

const contributing = read(join(ROOT, 'CONTRIBUTING.md'));

/** The rooms of the table under "## The house": `| floor | rooms (in backticks) | what |`. */
function rooms(): Array<{ path: string; floor: number }> {
	const section = contributing.split('\n## The house')[1]?.split('\n## ')[0] ?? '';
	return section
		.split('\n')
		.map((line) => /^\| (\d+) \| (.*?) \|/.exec(line))
		.filter((match): match is RegExpExecArray => match !== null)
		.flatMap((match) => [...match[2].matchAll(/`([^`]+)`/g)].map((path) => ({ path: path[1], floor: Number(match[1]) })));
}

const ROOMS = rooms();

/** The room a file is in: the longest path of the table that holds it. */
function roomOf(file: string): { path: string; floor: number } | undefined {
	return ROOMS.filter((room) => file === room.path || (room.path.endsWith('/') && file.startsWith(room.path))).sort(
		(a, b) => b.path.length - a.path.length,
	)[0];
}

const code = repositoryFiles().filter((file) => /^(nodes|credentials)\/.*\.ts$/.test(file));

/** A relative import of a file, as the file it names (`.ts` or a folder's `index.ts`). */
function imported(file: string, specifier: string): string | undefined {
	const base = normalize(`${dirname(file)}/${specifier}`);
	return [`${base}.ts`, `${base}/index.ts`, base].find((candidate) => inRepository(candidate));
}

describe('the house (CONTRIBUTING.md, "The house")', () => {
	it('names rooms on floors, and every file of the nodes and credentials is in one', () => {
		expect(ROOMS.length).toBeGreaterThan(8);
		expect(code.filter((file) => roomOf(file) === undefined)).toEqual([]);
		expect(ROOMS.filter((room) => !inRepository(room.path))).toEqual([]);
	});

	it('has no import from a room on a higher floor', () => {
		const upward: string[] = [];
		for (const file of code) {
			const from = roomOf(file);
			for (const match of read(join(ROOT, file)).matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
				const target = imported(file, match[1]);
				const to = target === undefined ? undefined : roomOf(target);
				if (from && to && to.floor > from.floor) upward.push(`${file} (floor ${from.floor}) imports ${target} (floor ${to.floor})`);
			}
		}
		expect(upward).toEqual([]);
	});
});
