import { Smashsend } from '../../nodes/Smashsend/Smashsend.node';
import { EXAMPLE_CREDENTIAL_IDS, examples } from '../support/examples';
import { join, read, repositoryFiles, ROOT } from '../support/files';

/**
 * The docs cannot rot: every workflow the README and docs/ show is a file under examples/
 * (which test/e2e/examples.e2e.test.ts runs in real n8n), every expression an example prints
 * is in that file, and the files are on the node's current version and safe to run as they come.
 */

const ALL = examples();
const DOCS = ['README.md', ...repositoryFiles().filter((file) => /^docs\/[^/]+\.md$/.test(file))];

/** The examples a page shows: each paragraph that starts with "*Example*", and the README's "## Examples" section. */
function exampleBlocks(file: string): Array<{ file: string; text: string }> {
	const text = read(join(ROOT, file));
	// "*Example*", "**Example**", in a list or a quote too: an example however it is marked.
	const paragraphs = text.split(/\n\s*\n/).filter((paragraph) => /^\s*(?:[-*>]\s+)?\*{1,2}Examples?\*{1,2}/.test(paragraph));
	const section = file === 'README.md' ? text.split('\n## Examples\n')[1]?.split('\n## ')[0] : undefined;
	return [...paragraphs, ...(section ? [section] : [])].map((block) => ({ file, text: block }));
}

/** The workflow files a block links to. */
const linkedFiles = (text: string) => [...text.matchAll(/\]\((?:\.\.\/)?(examples\/[^)]+\.workflow\.json)\)/g)].map((match) => match[1]);

/** Every string value in a workflow's nodes. */
function strings(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(strings);
	if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
	return [];
}

describe('the examples (examples/*.workflow.json)', () => {
	const blocks = DOCS.flatMap(exampleBlocks);

	it('every example the docs show names its workflow file, and prints only expressions that file has', () => {
		expect(blocks.length).toBeGreaterThan(8);
		const problems: string[] = [];
		for (const block of blocks) {
			const linked = linkedFiles(block.text);
			if (linked.length === 0) problems.push(`${block.file}: an example without its workflow file: ${block.text.slice(0, 80)}…`);
			const files = ALL.filter((example) => linked.includes(example.file));
			if (files.length < new Set(linked).size)
				problems.push(`${block.file}: links a workflow file that is not there: ${linked.join(', ')}`);
			const values = files.flatMap((example) => strings(example.workflow.nodes.map((node) => node.parameters)));
			// An expression may wrap onto the next line of the paragraph.
			for (const [expression] of block.text.replace(/\s*\n\s*/g, ' ').matchAll(/\{\{.*?\}\}/g))
				if (!values.some((value) => value.includes(expression)))
					problems.push(`${block.file}: ${expression} is in no node of ${linked.join(', ')}`);
		}
		expect(problems).toEqual([]);
	});

	it('every example file is shown by the docs', () => {
		const shown = new Set(blocks.flatMap((block) => linkedFiles(block.text)));
		expect(ALL.map((example) => example.file).filter((file) => !shown.has(file))).toEqual([]);
	});

	it("is on the node's current version, with the example credentials only, and no address but example.com's", () => {
		const { defaultVersion } = new Smashsend().description;
		for (const { file, workflow } of ALL) {
			// n8n 1.x keeps a workflow's static data (the SMASHSEND Trigger's signing token) only for ids of up to 16 characters.
			expect({ file, id: workflow.id, short: workflow.id.length <= 16 }).toEqual({ file, id: workflow.id, short: true });
			for (const node of workflow.nodes.filter((n) => n.type.startsWith('n8n-nodes-smashsend.smashsend') && !n.type.endsWith('Trigger')))
				expect({ file, node: node.name, version: node.typeVersion }).toEqual({ file, node: node.name, version: defaultVersion });
			for (const node of workflow.nodes)
				for (const credential of Object.values(node.credentials ?? {})) expect(EXAMPLE_CREDENTIAL_IDS).toContain(credential.id);
			// Placeholders only: example.com (which takes no mail), or the sample workspace's sender domains.
			const addresses = strings(workflow).flatMap((text) => text.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? []);
			expect({ file, others: addresses.filter((address) => !/@(example\.com|acme\.example|shop\.example)$/.test(address)) }).toEqual({
				file,
				others: [],
			});
		}
	});
});
