#!/usr/bin/env node
// The one place to change before the first release: where the package lives and who
// publishes it. n8n's verification wants the package's repository and author to match the
// public repository, and its documentation links to lead there too.
//
//   npm run set-repository -- <owner>/<name> "<author name>" <author email>
//
// Rewrites package.json (repository, homepage, bugs, author), the credentials'
// documentationUrl and the codex files' documentation links; test/unit/metadata.test.ts
// checks that they agree.
import { readFileSync, writeFileSync } from 'node:fs';

const [repository, authorName, authorEmail] = process.argv.slice(2);
if (!/^[\w.-]+\/[\w.-]+$/.test(repository ?? '') || !authorName || !/^\S+@\S+$/.test(authorEmail ?? '')) {
	console.error('usage: npm run set-repository -- <owner>/<name> "<author name>" <author email>');
	process.exit(2);
}
const web = `https://github.com/${repository}`;
const root = new URL('..', import.meta.url);

const pkgFile = new URL('package.json', root);
const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
pkg.homepage = `${web}#readme`;
pkg.bugs = { url: `${web}/issues` };
pkg.repository = { type: 'git', url: `git+${web}.git` };
pkg.author = { name: authorName, email: authorEmail };
writeFileSync(pkgFile, `${JSON.stringify(pkg, null, '\t')}\n`);

const links = /https:\/\/github\.com\/[\w.-]+\/[\w.-]+(?=[#/])/g;
for (const file of [
	'credentials/SmashsendApi.credentials.ts',
	'credentials/SmashsendFlowWebhookApi.credentials.ts',
	'nodes/Smashsend/Smashsend.node.json',
	'nodes/SmashsendTrigger/SmashsendTrigger.node.json',
]) {
	const url = new URL(file, root);
	writeFileSync(url, readFileSync(url, 'utf8').replace(links, web));
}
console.log(`package.json, credentials and codex files now point at ${web}`);
