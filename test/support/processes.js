// @ts-check
'use strict';

// Running the repository's own command-line tools from a test. JavaScript, so that TypeScript
// test files need no Node.js imports (the community lint rules forbid them there).

const { execFile } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

/**
 * Runs a script of the repository with Node.js, without blocking (an emulator in the test's
 * own process must go on answering), with `env` added to this process's environment.
 * @param {string} script relative to the repository's root
 * @param {Record<string, string>} env
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
function runScript(script, env = {}) {
	return new Promise((resolve) => {
		execFile(
			process.execPath,
			[path.join(ROOT, script)],
			{ env: { ...process.env, ...env }, encoding: 'utf8' },
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
				resolve({ code, stdout, stderr });
			},
		);
	});
}

module.exports = { runScript };
