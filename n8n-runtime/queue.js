// @ts-check
'use strict';

/**
 * n8n in queue mode on loopback, as self-hosters scale it out: PostgreSQL (the shared
 * database) and Redis (the queue) from Debian's packages, one n8n main, workers and a webhook
 * processor, every process with this package installed in the same nodes folder (the way a
 * worker gets community packages: the same N8N_USER_FOLDER, or the package installed on it).
 * Started and stopped by the test itself; nothing outlives it.
 */

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { N8nSession, freePorts } = require('./session');

const START_TIMEOUT_MS = 180_000;

/** @param {number} ms */
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The directory of PostgreSQL's server programs (initdb, postgres), or undefined. */
function postgresBin() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const versions = fs
		.readdirSync(root)
		.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? path.join(root, versions[0], 'bin') : undefined;
}

/** What queue mode needs from the machine, and what is missing (see scripts/ensure-queue-services.sh). */
function missingServices() {
	const missing = [];
	if (!postgresBin()) missing.push('postgresql');
	if (!fs.existsSync('/usr/bin/redis-server')) missing.push('redis-server');
	try {
		execFileSync('psql', ['--version'], { stdio: 'ignore' });
	} catch {
		missing.push('postgresql-client');
	}
	return missing;
}

/**
 * The user PostgreSQL runs as: `postgres` when we are root (PostgreSQL refuses to run as
 * root), ourselves otherwise. As spawn's options.
 * @returns {{ uid?: number, gid?: number }}
 */
function postgresUser() {
	if (process.getuid?.() !== 0) return {};
	const id = (/** @type {string} */ flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
	return { uid: id('-u'), gid: id('-g') };
}

/**
 * Resolves once `port` on 127.0.0.1 accepts a connection and `probe` (if given) agrees.
 * @param {number} port
 * @param {() => Promise<boolean>} [probe]
 * @param {import('node:child_process').ChildProcess} [child] fails at once when it exits
 * @param {() => string} [log]
 */
async function waitFor(port, probe, child, log = () => '') {
	const deadline = Date.now() + START_TIMEOUT_MS;
	while (Date.now() < deadline) {
		if (child && child.exitCode !== null) throw new Error(`process on port ${port} exited (${child.exitCode})\n${log()}`);
		const open = await new Promise((resolve) => {
			const socket = net.connect(port, '127.0.0.1');
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		if (open && (!probe || (await probe().catch(() => false)))) return;
		await pause(300);
	}
	throw new Error(`nothing ready on port ${port}\n${log()}`);
}

/** A Redis PING over a raw socket. @param {number} port */
function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
		socket.once('data', (data) => {
			socket.destroy();
			resolve(data.toString().startsWith('+PONG'));
		});
		socket.once('error', () => resolve(false));
	});
}

class QueueCluster {
	/**
	 * @param {{ workers?: number, workerConcurrency?: number, env?: Record<string, string> }} [options]
	 *   workerConcurrency: executions each worker runs at once (n8n's --concurrency, 10 by default)
	 */
	constructor(options = {}) {
		const missing = missingServices();
		if (missing.length > 0) throw new Error(`queue mode needs ${missing.join(' and ')}: run scripts/ensure-queue-services.sh`);
		this.workerCount = options.workers ?? 2;
		this.workerConcurrency = options.workerConcurrency ?? 10;
		this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smashsend-queue-'));
		const [pgPort, redisPort, webhookPort, ...brokerPorts] = freePorts(3 + this.workerCount + 2);
		this.pgPort = pgPort;
		this.redisPort = redisPort;
		this.webhookPort = webhookPort;
		this.brokerPorts = brokerPorts;
		/** @type {Array<{ name: string, child: import('node:child_process').ChildProcess, log: string }>} */
		this.processes = [];
		this.stopped = false;
		this.session = new N8nSession({
			env: {
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(pgPort),
				DB_POSTGRESDB_DATABASE: 'n8n',
				DB_POSTGRESDB_USER: 'postgres',
				DB_POSTGRESDB_PASSWORD: 'postgres',
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redisPort),
				N8N_RUNNERS_BROKER_PORT: String(brokerPorts[0]),
				// Production webhooks (the SMASHSEND Trigger's registration among them) go to the webhook processor.
				WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
				...options.env,
			},
		});
	}

	/** Starts PostgreSQL and Redis; the n8n processes come with startN8n(). */
	async startServices() {
		const bin = postgresBin();
		if (!bin) throw new Error('PostgreSQL is missing');
		const data = path.join(this.dir, 'pgdata');
		const socketDir = path.join(this.dir, 'pgsocket');
		fs.mkdirSync(data);
		fs.mkdirSync(socketDir);
		if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres', this.dir]);
		const pwfile = path.join(this.dir, 'pw');
		fs.writeFileSync(pwfile, 'postgres\n');
		if (process.getuid?.() === 0) execFileSync('chown', ['postgres', pwfile]);
		const user = postgresUser();
		execFileSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--pwfile', pwfile, '-A', 'md5', '--no-sync'], {
			stdio: 'ignore',
			...user,
		});
		const pg = this.#spawn(
			'postgres',
			path.join(bin, 'postgres'),
			['-D', data, '-p', String(this.pgPort), '-h', '127.0.0.1', '-k', socketDir, '-c', 'fsync=off', '-c', 'max_connections=200'],
			process.env,
			user,
		);
		const env = { ...process.env, PGPASSWORD: 'postgres' };
		await waitFor(
			this.pgPort,
			async () => {
				try {
					execFileSync('psql', ['-h', '127.0.0.1', '-p', String(this.pgPort), '-U', 'postgres', '-c', 'CREATE DATABASE n8n'], {
						env,
						stdio: 'ignore',
					});
					return true;
				} catch {
					return false;
				}
			},
			pg.child,
			() => pg.log,
		);
		const redis = this.#spawn('redis', '/usr/bin/redis-server', [
			'--port',
			String(this.redisPort),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
		]);
		await waitFor(
			this.redisPort,
			() => redisPing(this.redisPort),
			redis.child,
			() => redis.log,
		);
	}

	/** Starts n8n main (the editor and API), the workers and the webhook processor. */
	async startN8n() {
		await this.session.startEditor();
		const processes = [];
		for (let i = 0; i < this.workerCount; i++) {
			processes.push(
				this.#spawnN8n(`worker${i + 1}`, ['worker', `--concurrency=${this.workerConcurrency}`], {
					N8N_RUNNERS_BROKER_PORT: String(this.brokerPorts[1 + i]),
				}),
			);
		}
		const webhook = this.#spawnN8n('webhook', ['webhook'], {
			N8N_PORT: String(this.webhookPort),
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPorts[1 + this.workerCount]),
		});
		// Up (its webhooks are read from the database per call: see webhooksRegistered).
		await waitFor(
			this.webhookPort,
			async () => (await fetch(`http://127.0.0.1:${this.webhookPort}/healthz`)).ok,
			webhook.child,
			() => webhook.log,
		);
		// Workers have no port: ready once they say so.
		for (const worker of processes) {
			const deadline = Date.now() + START_TIMEOUT_MS;
			while (!/n8n worker is now ready/.test(worker.log)) {
				if (worker.child.exitCode !== null) throw new Error(`${worker.name} exited (${worker.child.exitCode})\n${worker.log}`);
				if (Date.now() > deadline) throw new Error(`${worker.name} did not become ready\n${worker.log}`);
				await pause(300);
			}
		}
	}

	/**
	 * Resolves once main has registered `count` production webhooks in the database (main
	 * answers its API before it has activated the workflows; the webhook processor reads them
	 * from there).
	 * @param {number} count
	 */
	async webhooksRegistered(count) {
		const deadline = Date.now() + START_TIMEOUT_MS;
		while (Number(this.query('SELECT count(*) FROM webhook_entity')[0]?.[0] ?? 0) < count) {
			if (Date.now() > deadline) throw new Error(`main did not register ${count} webhooks`);
			await pause(300);
		}
	}

	/** The webhook processor's URL for a production webhook path. @param {string} webhookPath */
	webhookUrl(webhookPath) {
		return `http://127.0.0.1:${this.webhookPort}/webhook/${webhookPath}`;
	}

	/**
	 * Kills a process at once (SIGKILL), as a crashed machine or an OOM kill would.
	 * @param {string} name
	 */
	async kill(name) {
		const entry = this.processes.find((p) => p.name === name);
		if (!entry || entry.child.exitCode !== null || entry.child.signalCode !== null) return;
		const closed = new Promise((resolve) => entry.child.once('close', resolve));
		entry.child.kill('SIGKILL');
		await closed;
	}

	/** What a process printed (n8n logs at info level). @param {string} name */
	log(name) {
		return this.processes.find((p) => p.name === name)?.log ?? '';
	}

	/** The workers' names. */
	get workers() {
		return this.processes.filter((p) => p.name.startsWith('worker')).map((p) => p.name);
	}

	/**
	 * A SQL query's rows as arrays of text (psql, unaligned).
	 * @param {string} sql
	 * @returns {string[][]}
	 */
	query(sql) {
		const out = execFileSync(
			'psql',
			['-h', '127.0.0.1', '-p', String(this.pgPort), '-U', 'postgres', '-d', 'n8n', '-At', '-F', '\t', '-c', sql],
			{
				env: { ...process.env, PGPASSWORD: 'postgres' },
				encoding: 'utf8',
			},
		);
		return out
			.split('\n')
			.filter((line) => line !== '')
			.map((line) => line.split('\t'));
	}

	/**
	 * Stops the workers and the webhook processor, then main (and its user folder), then Redis
	 * and PostgreSQL, and removes their files; each step runs whatever the one before did, and
	 * nothing is started after (a start still under way when a test gave up throws).
	 */
	async stop() {
		this.stopped = true;
		const named = (/** @type {(name: string) => boolean} */ which) => this.processes.filter((p) => which(p.name)).map((p) => p.child);
		const steps = [
			() => stopAll(named((name) => name !== 'postgres' && name !== 'redis')),
			() => this.session.stop(),
			() => stopAll(named((name) => name === 'redis')),
			() => stopAll(named((name) => name === 'postgres')),
		];
		const failures = [];
		for (const step of steps) {
			try {
				await step();
			} catch (error) {
				failures.push(error);
			}
		}
		fs.rmSync(this.dir, { recursive: true, force: true });
		if (failures.length > 0) throw failures[0];
	}

	/**
	 * @param {string} name
	 * @param {string} command
	 * @param {string[]} args
	 * @param {NodeJS.ProcessEnv} [env]
	 * @param {{ uid?: number, gid?: number }} [user]
	 */
	#spawn(name, command, args, env = process.env, user = {}) {
		if (this.stopped) throw new Error(`the queue cluster was stopped; not starting ${name}`);
		const child = spawn(command, args, { cwd: this.dir, env, stdio: ['ignore', 'pipe', 'pipe'], ...user });
		const entry = { name, child, log: '' };
		child.stdout?.on('data', (chunk) => (entry.log += chunk));
		child.stderr?.on('data', (chunk) => (entry.log += chunk));
		this.processes.push(entry);
		return entry;
	}

	/**
	 * @param {string} name
	 * @param {string[]} args
	 * @param {Record<string, string>} env
	 */
	#spawnN8n(name, args, env) {
		const { runtime, userFolder } = this.session;
		return this.#spawn(name, runtime.node, [runtime.n8n, ...args], { ...this.session.env, ...env, N8N_USER_FOLDER: userFolder });
	}
}

/** SIGTERM, then SIGKILL after 10 s, and wait for each to exit. @param {import('node:child_process').ChildProcess[]} children */
async function stopAll(children) {
	await Promise.all(
		children.map(
			(child) =>
				new Promise((resolve) => {
					if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
					child.once('close', () => resolve(undefined));
					child.kill('SIGTERM');
					setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
				}),
		),
	);
}

module.exports = { QueueCluster, missingServices };
