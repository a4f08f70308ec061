// @ts-check
'use strict';

// Files for tests of the repository's own tools. JavaScript, so that TypeScript test files
// need no Node.js imports (the community lint rules forbid them there).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** A fresh temporary folder. */
function tempDir() {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'smashsend-test-'));
}

/** @param {string} file @param {string} [text] */
function write(file, text = '') {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, text);
}

/** @param {string} file */
function exists(file) {
	return fs.existsSync(file);
}

/** @param {string} file */
function remove(file) {
	fs.rmSync(file, { recursive: true, force: true });
}

/** @param {string} dir */
function list(dir) {
	return fs.readdirSync(dir).sort();
}

/** @param {string} file */
function read(file) {
	return fs.readFileSync(file, 'utf8');
}

/** The repository's root folder. */
const ROOT = path.resolve(__dirname, '../..');

/**
 * The TypeScript files under a folder of the repository, recursively.
 * @param {string} folder relative to the root
 * @returns {string[]}
 */
function sourceFiles(folder) {
	const dir = path.join(ROOT, folder);
	return fs
		.readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((name) => name.endsWith('.ts'))
		.map((name) => path.join(dir, name));
}

/**
 * Every file of the repository a person reads (code, docs, settings), relative to the root:
 * not node_modules, dist, .git, or files other tools write.
 * @returns {string[]}
 */
function repositoryFiles() {
	const skip = new Set(['node_modules', 'dist', '.git']);
	/** @type {string[]} */
	const found = [];
	/** @param {string} dir */
	const walk = (dir) => {
		for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
			if (skip.has(entry.name)) continue;
			const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
			if (entry.isDirectory()) walk(relative);
			else if (/\.(ts|js|mjs|md|sh|yml|json)$/.test(entry.name) && entry.name !== 'package-lock.json') found.push(relative);
		}
	};
	walk('');
	return found.sort();
}

/** Whether a path relative to the root names a file or folder of the repository. @param {string} relative */
function inRepository(relative) {
	return fs.existsSync(path.join(ROOT, relative));
}

module.exports = {
	tempDir,
	write,
	exists,
	read,
	remove,
	list,
	sourceFiles,
	repositoryFiles,
	inRepository,
	ROOT,
	join: path.join,
	normalize: path.posix.normalize,
	dirname: path.posix.dirname,
};
