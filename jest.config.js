/**
 * Four projects, run by the npm scripts one at a time:
 * - unit: unit, integration and emulator tests (fast; `npm run test:unit`);
 * - e2e: the real-n8n suite (each n8n command boots n8n; one file at a time);
 * - editor: n8n's editor in headless Chromium;
 * - queue: n8n in queue mode (PostgreSQL, Redis, main, workers, webhook processor).
 * A plain `npx jest` runs all four.
 */
const common = {
	testEnvironment: 'node',
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
};

/** @type {import('jest').Config} */
module.exports = {
	projects: [
		{ ...common, displayName: 'unit', roots: ['<rootDir>/test/unit', '<rootDir>/test/integration', '<rootDir>/test/emulator'] },
		{ ...common, displayName: 'e2e', roots: ['<rootDir>/test/e2e'], setupFilesAfterEnv: ['<rootDir>/test/support/slowSuite.js'] },
		{ ...common, displayName: 'editor', roots: ['<rootDir>/test/editor'], setupFilesAfterEnv: ['<rootDir>/test/support/slowSuite.js'] },
		{ ...common, displayName: 'queue', roots: ['<rootDir>/test/queue'], setupFilesAfterEnv: ['<rootDir>/test/support/slowSuite.js'] },
	],
};
