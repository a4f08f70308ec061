// @ts-check
'use strict';

/**
 * A throw-away n8n: its own user folder, this package installed from its `npm pack`
 * tarball the way n8n installs community packages, credentials and workflows imported
 * with n8n's CLI, workflows executed headless, and every process it started stopped.
 */

const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureRuntime, ROOT } = require('./install');

const PACKAGE_NAME = 'n8n-nodes-smashsend';
const COMMAND_TIMEOUT_MS = 180_000;

/**
 * TCP ports free on 127.0.0.1 right now, all different, found synchronously (the session's
 * constructor needs them). A contributor's own n8n usually holds 5678 and 5679, so sessions
 * never assume them. They are drawn from 20000–31999, below Linux's ephemeral range
 * (32768 and up): a server that asks the system for any port (an emulator, a test's sink)
 * can then not be handed one of ours between this check and n8n binding it.
 * @param {number} [count]
 * @returns {number[]}
 */
function freePorts(count = 1) {
	const script = `const net=require('net');const found=[];
const next=()=>{if(found.length===${count}){process.stdout.write(found.map((s)=>s.address().port).join(','));found.forEach((s)=>s.close());return}
const s=net.createServer();s.once('error',next);s.listen(20000+Math.floor(Math.random()*12000),'127.0.0.1',()=>{found.push(s);next()})};next();`;
	return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).split(',').map(Number);
}

/** One free port (see freePorts). */
function freePort() {
	return freePorts(1)[0];
}

/**
 * Builds this package and packs it as npm would publish it; returns the tarball's path.
 * SMASHSEND_SKIP_BUILD=1 packs the existing dist/ (`npm test` builds once, before the suites).
 */
function packPackage(destination = fs.mkdtempSync(path.join(os.tmpdir(), 'smashsend-tarball-'))) {
	if (process.env.SMASHSEND_SKIP_BUILD !== '1') {
		execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
	}
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: ROOT, encoding: 'utf8' }));
	return path.join(destination, packed.filename);
}

/** @param {string} text */
function parseJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** The JSON that `n8n execute --rawOutput` prints between its log lines (and, on failure, its error report). */
function parseExecuteOutput(stdout) {
	const start = stdout.search(/^\{$/m);
	if (start === -1) return undefined;
	const end = stdout.slice(start).search(/^\}$/m);
	if (end === -1) return undefined;
	try {
		return JSON.parse(stdout.slice(start, start + end + 1));
	} catch {
		return undefined;
	}
}

class N8nSession {
	/**
	 * @param {{ version?: string, port?: number, keepUserFolder?: boolean, env?: Record<string, string>, cgroupProcs?: string }} [options]
	 *   port: the editor's port (a free one by default); n8n listens on 127.0.0.1 only
	 *   env: extra environment for every n8n process (e.g. WEBHOOK_URL)
	 *   cgroupProcs: a cgroup's `cgroup.procs`: every n8n process starts inside that cgroup
	 *     (the benchmark's container memory limit, benchmark/container.js)
	 */
	constructor(options = {}) {
		this.runtime = ensureRuntime(options.version);
		this.cgroupProcs = options.cgroupProcs;
		this.userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'smashsend-n8n-'));
		this.keepUserFolder = options.keepUserFolder ?? false;
		/** @type {Set<import('node:child_process').ChildProcess>} */
		this.children = new Set();
		const [editorPort, brokerPort] = freePorts(2);
		this.port = options.port ?? editorPort;
		this.env = {
			...process.env,
			PATH: `${this.runtime.nodeBinDir}${path.delimiter}${process.env.PATH}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			// Every n8n process starts a task broker; give each session its own port.
			N8N_RUNNERS_BROKER_PORT: String(brokerPort === this.port ? editorPort : brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_RUNNERS_ENABLED: 'true',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
			NODE_ENV: 'production',
			...options.env,
		};
	}

	/**
	 * The command that starts n8n with these arguments: Node itself, or, with a cgroup, a shell
	 * that joins it and then becomes Node (same process, so its pid and memory are n8n's).
	 * @param {string[]} args
	 * @returns {[string, string[]]}
	 */
	command(args) {
		if (!this.cgroupProcs) return [this.runtime.node, args];
		return ['/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@"', this.cgroupProcs, this.runtime.node, ...args]];
	}

	/** Unpacks the tarball where n8n keeps installed community packages. */
	installPackage(tarball) {
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
		fs.mkdirSync(target, { recursive: true });
		execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
		const { version } = JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8'));
		fs.writeFileSync(
			path.join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: version } }, null, 2),
		);
		return version;
	}

	/**
	 * Runs one n8n CLI command to completion.
	 * @param {string[]} args
	 * @param {{ timeoutMs?: number, onSpawn?: (child: import('node:child_process').ChildProcess) => void }} [options]
	 * @returns {Promise<{code: number|null, stdout: string, stderr: string}>}
	 */
	cli(args, { timeoutMs = COMMAND_TIMEOUT_MS, onSpawn } = {}) {
		// stdout goes to a file, not a pipe: n8n exits right after printing a run, and a large
		// run (50,000 items: tens of MB of JSON) written to a pipe is cut off at exit.
		const stdoutFile = path.join(this.userFolder, `stdout-${crypto.randomBytes(4).toString('hex')}.txt`);
		const stdoutFd = fs.openSync(stdoutFile, 'w');
		return new Promise((resolve, reject) => {
			const child = spawn(...this.command([this.runtime.n8n, ...args]), {
				cwd: this.userFolder,
				env: this.env,
				stdio: ['ignore', stdoutFd, 'pipe'],
			});
			this.children.add(child);
			onSpawn?.(child);
			let stderr = '';
			child.stderr?.on('data', (chunk) => (stderr += chunk));
			const readStdout = () => {
				fs.closeSync(stdoutFd);
				const stdout = fs.readFileSync(stdoutFile, 'utf8');
				fs.rmSync(stdoutFile, { force: true });
				return stdout;
			};
			let timedOut = false;
			const timer = setTimeout(() => {
				timedOut = true;
				child.kill('SIGKILL');
			}, timeoutMs);
			child.on('error', (error) => {
				clearTimeout(timer);
				fs.closeSync(stdoutFd);
				reject(error);
			});
			child.on('close', (code) => {
				clearTimeout(timer);
				this.children.delete(child);
				const stdout = readStdout();
				if (timedOut) reject(new Error(`n8n ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout.slice(-5000)}\n${stderr}`));
				else resolve({ code, stdout, stderr });
			});
		});
	}

	async #importFile(kind, data) {
		const file = path.join(this.userFolder, `import-${kind}-${crypto.randomBytes(4).toString('hex')}.json`);
		fs.writeFileSync(file, JSON.stringify(data));
		const result = await this.cli([`import:${kind}`, `--input=${file}`]);
		fs.rmSync(file);
		if (result.code !== 0) {
			throw new Error(`n8n import:${kind} failed (${result.code})\n${result.stdout}\n${result.stderr}`);
		}
	}

	/** @param {Array<{id: string, name: string, type: string, data: object}>} credentials plain data; n8n encrypts it */
	async importCredentials(credentials) {
		await this.#importFile('credentials', credentials);
	}

	/** @param {object} workflow one workflow (with an `id`) */
	async importWorkflow(workflow) {
		await this.#importFile('workflow', workflow);
	}

	/**
	 * Marks a saved workflow active, so that `n8n start` activates it (registering its trigger
	 * webhooks). `update:workflow --active` exists on both lines (2.x calls it deprecated).
	 * @param {string} workflowId
	 */
	async activateWorkflow(workflowId) {
		const result = await this.cli(['update:workflow', `--id=${workflowId}`, '--active=true']);
		if (result.code !== 0) throw new Error(`n8n update:workflow failed (${result.code})\n${result.stdout}\n${result.stderr}`);
	}

	/**
	 * A saved workflow as n8n exports it (what a user would carry to another n8n).
	 * @param {string} workflowId
	 */
	async exportWorkflow(workflowId) {
		const file = path.join(this.userFolder, `export-${crypto.randomBytes(4).toString('hex')}.json`);
		const result = await this.cli(['export:workflow', `--id=${workflowId}`, `--output=${file}`]);
		if (result.code !== 0 || !fs.existsSync(file)) {
			throw new Error(`n8n export:workflow failed (${result.code})\n${result.stdout}\n${result.stderr}`);
		}
		const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
		fs.rmSync(file);
		return Array.isArray(exported) ? exported[0] : exported;
	}

	/**
	 * Executes a saved workflow headless and returns n8n's run data.
	 * @param {string} workflowId
	 * @param {Parameters<N8nSession['cli']>[1]} [options]
	 */
	async execute(workflowId, options) {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], options);
		const run = parseExecuteOutput(result.stdout);
		if (!run) {
			throw new Error(`n8n execute printed no run data (exit ${result.code})\n${result.stdout}\n${result.stderr}`);
		}
		const runData = run.data?.resultData?.runData ?? {};
		return {
			...result,
			run,
			runData,
			error: run.data?.resultData?.error,
			/**
			 * Items a node put on one of its outputs (0: main, 1: error output when enabled).
			 * @param {string} nodeName
			 */
			output(nodeName, outputIndex = 0) {
				return runData[nodeName]?.[0]?.data?.main?.[outputIndex] ?? [];
			},
			/**
			 * The items of every run of a node (a node in a loop or behind two branches runs
			 * more than once per execution), in run order.
			 * @param {string} nodeName
			 * @returns {Array<Array<{json: Record<string, unknown>}>>}
			 */
			runs(nodeName, outputIndex = 0) {
				return (runData[nodeName] ?? []).map((/** @type {any} */ run) => run?.data?.main?.[outputIndex] ?? []);
			},
		};
	}

	/** Whether any of n8n's database files holds this text in the clear (credentials must be encrypted). */
	databaseContains(text) {
		const dir = path.join(this.userFolder, '.n8n');
		return fs
			.readdirSync(dir)
			.filter((name) => name.startsWith('database.sqlite'))
			.some((name) => fs.readFileSync(path.join(dir, name)).includes(Buffer.from(text)));
	}

	/**
	 * Sets up the owner account of a running editor and logs in; returns the session cookie.
	 * @param {{email: string, firstName: string, lastName: string, password: string}} owner
	 */
	async setupOwner(owner) {
		const setup = await this.#postWhenMounted('/rest/owner/setup', owner);
		if (!setup.ok) throw new Error(`owner setup answered ${setup.status}: ${await setup.text()}`);
		const login = await this.#postWhenMounted('/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		if (!login.ok) throw new Error(`login answered ${login.status}: ${await login.text()}`);
		return (login.headers.get('set-cookie') ?? '').split(';')[0];
	}

	/**
	 * POSTs JSON to n8n's REST API, retrying while the route answers 404: n8n mounts its
	 * controllers one after another, so /rest/settings can answer while /rest/owner/setup
	 * or /rest/login are still 404 for a moment (both races seen in fresh-clone CI runs).
	 * @param {string} route
	 * @param {unknown} body
	 */
	async #postWhenMounted(route, body) {
		const deadline = Date.now() + 60_000;
		for (;;) {
			const response = await fetch(`http://127.0.0.1:${this.port}${route}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			if (response.status !== 404 || Date.now() > deadline) return response;
			await response.arrayBuffer();
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}

	/** Starts the editor and resolves once it answers on its port. */
	async startEditor() {
		const child = spawn(...this.command([this.runtime.n8n, 'start']), {
			cwd: this.userFolder,
			env: this.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.children.add(child);
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('close', () => this.children.delete(child));
		const deadline = Date.now() + COMMAND_TIMEOUT_MS;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`n8n start exited (${child.exitCode})\n${output}`);
			try {
				// n8n 1.x answers its health check before its REST API is mounted, and 2.x answers
				// /rest/settings with 200 "n8n is starting up. Please wait" at first: wait for the
				// settings themselves (which also proves this port is our n8n, not another server).
				const response = await fetch(`http://127.0.0.1:${this.port}/rest/settings`);
				const body = await response.text();
				if (response.ok && typeof parseJson(body)?.data?.userManagement === 'object') return child;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error(`n8n start did not become ready\n${output}`);
	}

	/** Stops every process this session started and removes its user folder. */
	async stop() {
		await Promise.all(
			[...this.children].map(
				(child) =>
					new Promise((resolve) => {
						if (child.exitCode !== null) return resolve(undefined);
						child.once('close', () => resolve(undefined));
						child.kill('SIGTERM');
						setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
					}),
			),
		);
		if (!this.keepUserFolder) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

module.exports = { N8nSession, packPackage, freePort, freePorts };
