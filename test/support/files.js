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

module.exports = { tempDir, write, exists, read, remove, list, sourceFiles, ROOT, join: path.join };
