#!/usr/bin/env node
// Packs the package the way it is published, then checks what an n8n user would install:
// no runtime dependencies, the node, credential, codex and icons inside, no sources or tests,
// and n8n's own community-package scanner passing on both legs n8n verifies: the unpacked
// tarball, and the source at the commit the provenance statement names (package.json and
// nodes/ and credentials/, with the credential and node rules that `n8n-node lint` does not
// run, inline eslint-disable comments ignored).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const failures = [];
const check = (ok, what) => {
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
	if (!ok) failures.push(what);
};

const work = mkdtempSync(join(tmpdir(), 'smashsend-pack-'));
try {
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { encoding: 'utf8' }));
	const files = packed.files.map((f) => f.path);
	execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', work]);
	const pkgDir = join(work, 'package');
	const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));

	check(manifest.dependencies === undefined || Object.keys(manifest.dependencies).length === 0, 'no runtime dependencies');
	check(JSON.stringify(manifest.peerDependencies) === '{"n8n-workflow":"*"}', 'peerDependencies is exactly n8n-workflow');
	check(manifest.keywords.includes('n8n-community-node-package'), 'keyword n8n-community-node-package');
	for (const path of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) check(files.includes(path), `${path} is packed`);
	for (const path of [
		'dist/nodes/Smashsend/Smashsend.node.json',
		'dist/nodes/Smashsend/smashsend.svg',
		'dist/nodes/Smashsend/smashsend.dark.svg',
		'dist/nodes/SmashsendTrigger/SmashsendTrigger.node.json',
		'dist/nodes/SmashsendTrigger/smashsend.svg',
		'dist/nodes/SmashsendTrigger/smashsend.dark.svg',
		'README.md',
		'LICENSE.md',
	]) {
		check(files.includes(path), `${path} is packed`);
	}
	check(
		!files.some((f) => f.startsWith('test/') || f.startsWith('emulator/') || /(^|\/)[^/]+(?<!\.d)\.ts$/.test(f)),
		'no sources, tests or tools are packed',
	);
	// n8n-node build copies every image it finds into dist/ (the README's screenshots, the editor test's).
	check(
		!files.some((f) => f.startsWith('dist/docs/') || f.startsWith('dist/test/') || f.endsWith('.tsbuildinfo')),
		'no screenshots or build caches are packed',
	);

	const scan = await analyzePackage(pkgDir, ['**/*.js', 'package.json']);
	check(scan.passed, `n8n's community package scanner passes on the tarball${scan.passed ? '' : `:\n${scan.details ?? scan.message}`}`);
	// The source leg: this checkout, as n8n fetches it from the repository at the released commit.
	const root = new URL('..', import.meta.url).pathname;
	const source = await analyzePackage(root, SOURCE_FILE_PATTERNS);
	check(
		source.passed,
		`n8n's community package scanner passes on the source (${SOURCE_FILE_PATTERNS.join(', ')})${source.passed ? '' : `:\n${source.details ?? source.message}`}`,
	);
	// A plain `npm publish` from a laptop must refuse: n8n requires provenance, which only a CI
	// can attest. (The registry here is a closed port: nothing can be uploaded either way.)
	const env = { ...process.env };
	for (const name of ['CI', 'GITHUB_ACTIONS', 'GITLAB_CI', 'ACTIONS_ID_TOKEN_REQUEST_URL']) delete env[name];
	let refusal = '';
	try {
		execFileSync('npm', ['publish', '--registry', 'http://127.0.0.1:9/', '--//127.0.0.1:9/:_authToken=not-a-token'], {
			env,
			encoding: 'utf8',
			stdio: 'pipe',
		});
	} catch (error) {
		refusal = `${error.stdout}${error.stderr}`;
	}
	check(/provenance generation not supported/.test(refusal), 'a plain npm publish outside CI refuses (provenance required)');
	console.log(`${packed.filename}: ${files.length} files, ${packed.size} bytes packed`);
} finally {
	rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
	console.error(`\n${failures.length} package check(s) failed`);
	process.exit(1);
}
