import { dirname, inRepository, normalize, read, repositoryFiles, ROOT, join } from '../support/files';

/**
 * Every path of this repository that a comment or a doc names exists, so that a reader who
 * follows one finds the file. A path counts when it starts with one of the repository's own
 * folders (`contract/failures.ts`, `docs/reliability.md`); it may be written from the root, from
 * the naming file's folder, or from the rooms the code's comments name them from.
 */

/** The first folder of a path this repository has (SDK paths, `api/contacts.ts`, are SMASHSEND's, not ours). */
const OURS = new Set([
	'nodes',
	'credentials',
	'emulator',
	'test',
	'docs',
	'scripts',
	'benchmark',
	'demo',
	'n8n-runtime',
	'live-check',
	'examples',
	'.ci',
	'.github',
	'Smashsend',
	'SmashsendTrigger',
	'shared',
	'transport',
	'contract',
	'delivery',
	'runner',
	'channels',
	'actions',
	'methods',
	'parameters',
	'helpers',
	'rest',
	'flowWebhook',
	'contact',
	'contactProperty',
	'email',
	'event',
	'flow',
	'support',
	'unit',
	'integration',
	'e2e',
	'queue',
	'editor',
	'history',
	'workflows',
	'screenshots',
]);

/** Where a path may be written from, besides the root and the naming file's folder. */
const FROM = ['nodes', 'nodes/Smashsend', 'nodes/Smashsend/actions', 'test', 'test/integration', 'emulator'];

/** Files other tools write when asked (`auto-changelog`'s commit log): named, not kept. */
const WRITTEN_BY_TOOLS = new Set(['docs/commit-log.md']);

const PATH = /(?<![\w/.:@-])((?:\.{1,2}\/)?[A-Za-z_.][\w.-]*(?:\/[\w.@-]+)+\.(?:ts|js|mjs|json|md|sh|yml|png|svg))(?![\w/])/g;

describe('paths named in comments and docs', () => {
	it('name files that exist', () => {
		const missing: string[] = [];
		for (const file of repositoryFiles()) {
			for (const match of read(join(ROOT, file)).matchAll(PATH)) {
				const named = match[1];
				if (!OURS.has(named.replace(/^(\.\.?\/)+/, '').split('/')[0]) || WRITTEN_BY_TOOLS.has(named)) continue;
				const found = ['.', dirname(file), ...FROM].some((from) => inRepository(normalize(`${from}/${named}`)));
				if (!found) missing.push(`${file}: ${named}`);
			}
		}
		expect(missing).toEqual([]);
	});
});
