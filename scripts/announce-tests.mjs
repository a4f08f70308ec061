#!/usr/bin/env node
// Says what `npm test` is about to do and how long it will take on this machine, given which
// n8n runtimes the shared cache already holds.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { cachedRuntimes, PINNED } = require('../n8n-runtime/install.js');

const cache = cachedRuntimes();
const missing = Object.entries(cache.n8n)
	.filter(([, installed]) => !installed)
	.map(([version]) => version);
const lines = [
	'npm test runs everything CI runs:',
	'  1. build, lint, unit and integration tests, package check, workflow files   (~2 min; alone: npm run test:fast)',
	`  2. the real-n8n suite on n8n ${PINNED[1]} and ${PINNED[2]}, and the 1.x → 2.x upgrade   (~15 min)`,
	'  3. queue mode: PostgreSQL, Redis, n8n main, two workers and a webhook processor (n8n 2.x)   (~3 min)',
	'  4. the editor test in headless Chromium   (~2 min)',
	`n8n runtimes: ${cache.dir}`,
	missing.length === 0
		? '  both n8n versions are cached: nothing to download.'
		: `  to install first (once per machine, shared by every clone): n8n ${missing.join(' and ')}${cache.node ? '' : ' and Node 24'}, about 5 min each.`,
	'For the edit-test loop, npm run test:fast is enough.',
	'',
];
process.stdout.write(lines.join('\n'));
