/**
 * The test tiers, one jest project each (CONTRIBUTING.md, "Tests"):
 * - unit: pure modules, no server (`npm run test:unit`);
 * - integration: the node's execute(), the editor's methods and the trigger against the
 *   emulator over HTTP, with n8n's request helpers as each line has them; the emulator and
 *   the repository's tools (`npm run test:integration`);
 * - e2e: the real-n8n suite, workflows run by n8n with the packed package (one file at a time);
 * - editor: n8n's editor in headless Chromium;
 * - queue: n8n in queue mode (PostgreSQL, Redis, main, workers, webhook processor).
 * One file or one test: `npm run test:one -- <path> [-t "<name>"]`.
 */
const common = {
	testEnvironment: 'node',
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
};

/** @type {import('jest').Config} */
module.exports = {
	projects: [
		{ ...common, displayName: 'unit', roots: ['<rootDir>/test/unit'] },
		{ ...common, displayName: 'integration', roots: ['<rootDir>/test/integration'] },
		{ ...common, displayName: 'e2e', roots: ['<rootDir>/test/e2e'], setupFilesAfterEnv: ['<rootDir>/test/support/slowSuite.js'] },
		{ ...common, displayName: 'editor', roots: ['<rootDir>/test/editor'], setupFilesAfterEnv: ['<rootDir>/test/support/slowSuite.js'] },
		{ ...common, displayName: 'queue', roots: ['<rootDir>/test/queue'], setupFilesAfterEnv: ['<rootDir>/test/support/slowSuite.js'] },
	],
};
