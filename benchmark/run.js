#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * The SMASHSEND node against n8n's HTTP Request node and a raw keep-alive client, in a real
 * n8n, against the emulator in four server settings. Prints a table and writes
 * docs/benchmark.md and docs/benchmark.svg.
 *
 *   node benchmark/run.js [--items 10000] [--scaling 1000,10000,50000] [--run-minutes 10] [--no-write]
 *   node benchmark/run.js --scaling-only --scaling 2000,5000 --no-write   (the growth tables alone)
 *   node benchmark/run.js --scaling-only --container-mb 1024 --no-write   (… the second in a 1 GB container; 0: none)
 *   node benchmark/run.js --rest-only [--rest-items 300 --rest-rate 60]   (the REST rows alone, to docs/benchmark-rest.md)
 *   node benchmark/run.js --servers realistic --variants Auto --rest-items 0 --scaling= --no-write   (a quick look at some rows)
 *   node benchmark/run.js --concurrent-only [--concurrent 20 --concurrent-contacts 50] --no-write   (several executions at once)
 *   node benchmark/run.js --lookups-only [--lookup-items 1000 --lookup-latency 40]   (Update by email against by ID, to docs/benchmark-lookups.md)
 *   Defaults: 300 contacts against 60 calls a minute (SMASHSEND's free plan).
 *
 * It is a report, never a test: the numbers depend on the machine and what else runs on it.
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { N8nSession, freePort, packPackage } = require('../n8n-runtime/session');
const { renderMarkdown, renderSvg } = require('./report');
const { containerLimit } = require('./container');

const ROOT = path.resolve(__dirname, '..');
const FLOW = { flowId: 'flw_bench', workspaceId: 'wrk_bench' };
const CREDENTIAL_ID = 'smashsendBenchCred';
const API_CREDENTIAL_ID = 'smashsendBenchApiCred';

const NO_CAPACITY_LIMIT = { inFlight: 0 };
const SERVERS = [
	{ name: 'fast', label: 'fast (no added latency)', settings: { latencyMs: 0, rateLimitPerSecond: 0, capacity: NO_CAPACITY_LIMIT } },
	{
		name: 'realistic',
		label: 'realistic (20 ms per call)',
		settings: { latencyMs: 20, rateLimitPerSecond: 0, capacity: NO_CAPACITY_LIMIT },
	},
	{
		name: 'rate-limited',
		label: 'rate-limited (200 calls/s, then 429 + Retry-After)',
		settings: { latencyMs: 0, rateLimitPerSecond: 200, capacity: NO_CAPACITY_LIMIT },
	},
	{
		name: 'capacity-halves',
		label: 'capacity halves (50 ms per call, 40 at once, 20 after 5,000 calls; a line beyond, 429 beyond twice that)',
		settings: { latencyMs: 50, rateLimitPerSecond: 0, capacity: { inFlight: 40, halveAfter: 5000 } },
	},
];

/** @typedef {{ name: string, kind: 'smashsend'|'http'|'raw'|'noop', concurrency?: number, node?: object, retry?: boolean }} Variant */

/** @returns {Variant[]} */
function variants(webhookUrl) {
	const httpNode = (extra = {}, options = {}) => ({
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: webhookUrl,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json) }}',
			options,
		},
		...extra,
	});
	/** @param {number} [concurrency] undefined: the default, Concurrency: Auto */
	const smashsend = (concurrency) => ({
		type: 'n8n-nodes-smashsend.smashsend',
		typeVersion: 1,
		parameters: {
			resource: 'flow',
			operation: 'trigger',
			email: '={{ $json.email }}',
			options: concurrency === undefined ? {} : { concurrency },
		},
		credentials: { smashsendFlowWebhookApi: { id: CREDENTIAL_ID, name: 'SMASHSEND (bench)' } },
	});
	return [
		// Compared with the raw client at 100, the most Auto goes to.
		{ name: 'SMASHSEND, defaults (Concurrency: Auto)', kind: 'smashsend', node: smashsend() },
		{ name: 'SMASHSEND, concurrency 5 (the default before Auto)', kind: 'smashsend', concurrency: 5, node: smashsend(5) },
		{ name: 'SMASHSEND, concurrency 100 (= HTTP Request batch)', kind: 'smashsend', concurrency: 100, node: smashsend(100) },
		{ name: 'HTTP Request, defaults (all items at once)', kind: 'http', node: httpNode() },
		{
			name: 'HTTP Request, batches of 100',
			kind: 'http',
			node: httpNode({}, { batching: { batch: { batchSize: 100, batchInterval: 0 } } }),
		},
		{
			name: 'HTTP Request, Retry On Fail (5 tries, 1 s apart)',
			kind: 'http',
			retry: true,
			node: httpNode({ retryOnFail: true, maxTries: 5, waitBetweenTries: 1000 }),
		},
		{ name: 'raw keep-alive client, concurrency 5', kind: 'raw', concurrency: 5 },
		{ name: 'raw keep-alive client, concurrency 100', kind: 'raw', concurrency: 100 },
	];
}

/**
 * Contacts → Create or Update, one call per contact against batches, both keeping to the
 * REST API's limit of `ratePerMinute` calls a minute (the node's Rate Limit set to it).
 * @param {number} ratePerMinute
 */
function restVariants(ratePerMinute) {
	const upsert = (options) => ({
		type: 'n8n-nodes-smashsend.smashsend',
		typeVersion: 1,
		parameters: {
			resource: 'contact',
			operation: 'upsert',
			email: '={{ $json.email }}',
			contactFields: { firstName: '={{ $json.firstName }}' },
			customProperties: {},
			options: { rateLimit: ratePerMinute, ...options },
		},
		credentials: { smashsendApi: { id: API_CREDENTIAL_ID, name: 'SMASHSEND API (bench)' } },
	});
	return [
		{ name: 'Create or Update, one call per contact (Batch Size 1)', kind: 'rest', batchSize: 1, node: upsert({ batchSize: 1 }) },
		{ name: 'Create or Update, in batches (defaults: 100)', kind: 'rest', batchSize: 100, node: upsert({}) },
	];
}

/**
 * One REST run: its time, its calls and 429s, and the contacts SMASHSEND holds afterwards
 * (their properties, to compare the two ways field for field).
 */
async function runRest(session, emulator, variant, items, ratePerMinute, runMinutes) {
	await emulator.control('settings', { restRateLimit: { limit: ratePerMinute, windowMs: 60_000 } });
	const result = await runInN8n(session, emulator, variant, items, runMinutes);
	const { requests } = await emulator.control('requests');
	const { contacts } = await emulator.control('rest');
	const rest = requests.filter((r) => r.path.startsWith('/v1/'));
	const saved = new Map(contacts.map((c) => [c.properties.email, c.properties]));
	const perEmail = new Map();
	for (const r of rest.filter((r) => r.status === 200 || r.status === 201)) {
		const emails = r.body?.contacts?.map((c) => c.properties.email) ?? [r.body?.properties?.email];
		for (const email of emails) perEmail.set(email, (perEmail.get(email) ?? 0) + 1);
	}
	await emulator.control('settings', { restRateLimit: { limit: 0, windowMs: 60_000 } });
	return {
		...result,
		calls: rest.length,
		refused: rest.filter((r) => r.status === 429).length,
		delivered: saved.size,
		twice: [...perEmail.values()].filter((n) => n > 1).length,
		never: items - saved.size,
		contacts: saved,
	};
}

/**
 * Contact → Update by ID against by email (looked up first), the same contacts, the same run:
 * what the lookups cost in time and memory. Each contact is seeded with an id of its own.
 */
function lookupVariants() {
	const update = (contact) => ({
		type: 'n8n-nodes-smashsend.smashsend',
		typeVersion: 3,
		parameters: {
			resource: 'contact',
			operation: 'update',
			contact: { __rl: true, ...contact },
			contactFields: { lastName: '={{ "Updated" + $json.n }}' },
			options: { rateLimit: 0 },
		},
		credentials: { smashsendApi: { id: API_CREDENTIAL_ID, name: 'SMASHSEND API (bench)' } },
	});
	return [
		{ name: 'Update by ID', kind: 'lookup', node: update({ mode: 'id', value: '={{ "ctc_bench" + $json.n }}' }) },
		{ name: 'Update by email (looked up first)', kind: 'lookup', node: update({ mode: 'email', value: '={{ $json.email }}' }) },
	];
}

/** The lookup rows: each variant run `runs` times, alternately, against an emulator answering after `latencyMs`. */
async function runLookups(session, emulator, items, latencyMs, runs, runMinutes) {
	await emulator.control('settings', { latencyMs, restRateLimit: { limit: 0, windowMs: 60_000 } });
	const seed = async () =>
		await emulator.control(
			'rest/contacts',
			Array.from({ length: items }, (_, i) => ({ email: `bench${i}@example.com`, id: `ctc_bench${i}` })),
		);
	const rows = [];
	for (let run = 1; run <= runs; run++) {
		for (const variant of lookupVariants()) {
			process.stderr.write(`[bench] lookups, run ${run}: ${variant.name}, ${items} contacts… `);
			const result = await runOnce(session, emulator, { ...variant, prepare: seed }, items, runMinutes);
			const { requests } = await emulator.control('requests');
			const lookups = requests.filter((r) => r.path === '/v1/contacts/search').length;
			const updates = requests.filter((r) => r.method === 'PUT' && r.status === 200).length;
			process.stderr.write(`${result.seconds.toFixed(1)} s, heap ${mb(result.peakHeapMb)} MB
`);
			rows.push({ variant: variant.name, run, items, latencyMs, lookups, updates, ...result });
		}
	}
	await emulator.control('settings', { latencyMs: 0 });
	return rows;
}

/** The lookup rows as a Markdown report. */
function renderLookups(rows, meta) {
	const lines = [
		`Measured ${meta.date} on ${meta.machine}, n8n ${meta.n8n}.`,
		'',
		`**Contact → Update by email against by ID** (${rows[0]?.items} contacts, the emulator answering every call after ${rows[0]?.latencyMs} ms, no rate limit, Concurrency: Auto; each way run ${Math.max(...rows.map((r) => r.run))} times, alternately, in one n8n). By email, each contact is looked up first (one more call each). Time is the node's own execution time; heap is the largest heap in use of the \`n8n execute\` process.`,
		'',
		'| Way | Run | Time (s) | Lookups | Updates | Peak heap (MB) | Execution |',
		'| --- | ---: | ---: | ---: | ---: | ---: | --- |',
		...rows.map(
			(r) =>
				`| ${r.variant} | ${r.run} | ${r.seconds.toFixed(1)} | ${r.lookups} | ${r.updates} | ${mb(r.peakHeapMb)} | ${r.succeeded ? 'succeeded' : `failed: ${r.error}`} |`,
		),
		'',
	];
	const mean = (name, key) => {
		const some = rows.filter((r) => r.variant.startsWith(name)).map((r) => r[key]);
		return some.reduce((a, b) => a + b, 0) / some.length;
	};
	lines.push(
		`By email takes **${fmtRatio(mean('Update by email', 'seconds') / mean('Update by ID', 'seconds'))}** the time of by ID, with a peak heap of ${fmtRatio(mean('Update by email', 'peakHeapMb') / mean('Update by ID', 'peakHeapMb'))} of by ID's.`,
	);
	return lines.join('\n');
}

/** Whether two runs left SMASHSEND holding the same contacts, field for field (ids and times aside). */
function sameContacts(a, b) {
	if (a.size !== b.size) return false;
	for (const [email, properties] of a) if (JSON.stringify(properties) !== JSON.stringify(b.get(email))) return false;
	return true;
}

/** n8n without the SMASHSEND node, for the growth table. */
const BASELINES = {
	noop: { name: 'NoOp', kind: 'noop', node: { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} } },
	sameShape: {
		name: 'Edit Fields, same output shape',
		kind: 'noop',
		node: {
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: {
				mode: 'manual',
				includeOtherFields: false,
				assignments: {
					assignments: [
						{ id: 'a1', name: 'email', type: 'string', value: '={{ $json.email }}' },
						{ id: 'a2', name: 'flowRunId', type: 'string', value: '={{ "flr_bench_" + $json.n }}' },
						{ id: 'a3', name: 'success', type: 'boolean', value: true },
						{ id: 'a4', name: 'message', type: 'string', value: 'Flow triggered successfully' },
						{ id: 'a5', name: 'attempts', type: 'number', value: 1 },
					],
				},
				options: {},
			},
		},
	},
};

function workflowFor(id, items, target) {
	return {
		id,
		name: `bench ${id}`,
		nodes: [
			{ id: `${id}-1`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: `${id}-2`,
				name: 'Contacts',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: {
					jsCode: `return Array.from({ length: ${items} }, (_, i) => ({ json: { email: \`bench\${i}@example.com\`, firstName: \`First\${i}\`, n: i } }));`,
				},
			},
			{ id: `${id}-3`, name: 'Target', position: [400, 0], ...target },
		],
		connections: {
			Start: { main: [[{ node: 'Contacts', type: 'main', index: 0 }]] },
			Contacts: { main: [[{ node: 'Target', type: 'main', index: 0 }]] },
		},
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** The flow server of the concurrent-executions rows: 100 calls a second, 429 and Retry-After beyond. */
const CONCURRENT_SERVER = { latencyMs: 0, rateLimitPerSecond: 100, capacity: NO_CAPACITY_LIMIT };

/** A webhook that takes a list of contacts, one item each, into `target` (as users fan out a form or a CRM export). */
function webhookWorkflowFor(id, webhookPath, target) {
	return {
		id,
		name: `bench ${id}`,
		nodes: [
			{
				id: `${id}-1`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${id}-webhook`,
				parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
			},
			{
				id: `${id}-2`,
				name: 'Contacts',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [200, 0],
				parameters: { fieldToSplitOut: 'body.contacts', options: {} },
			},
			{ id: `${id}-3`, name: 'Target', position: [400, 0], ...target },
		],
		connections: {
			Webhook: { main: [[{ node: 'Contacts', type: 'main', index: 0 }]] },
			Contacts: { main: [[{ node: 'Target', type: 'main', index: 0 }]] },
		},
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/**
 * Several executions at once in one n8n (`n8n start`): `executions` webhook calls of `contacts`
 * contacts each, posted together, against a flow server limited to 100 calls a second. What
 * the 429s cost: the calls made, those refused, and flow runs a second. The SMASHSEND node's
 * executions share one pace; the HTTP Request node's do not retry at all.
 */
async function runConcurrent(tarball, emulator, chosen, executions, contacts, runMinutes) {
	const port = freePort();
	const live = new N8nSession({ port, env: { WEBHOOK_URL: `http://127.0.0.1:${port}/` } });
	const rows = [];
	try {
		live.installPackage(tarball);
		await live.importCredentials([
			{ id: CREDENTIAL_ID, name: 'SMASHSEND (bench)', type: 'smashsendFlowWebhookApi', data: { webhookUrl: emulator.webhookUrl } },
		]);
		for (const [index, variant] of chosen.entries()) {
			await live.importWorkflow(webhookWorkflowFor(`benchLive0000${index}`, `bench-live-${index}`, variant.node));
			await live.activateWorkflow(`benchLive0000${index}`);
		}
		await live.startEditor();
		for (const [index, variant] of chosen.entries()) {
			process.stderr.write(`[bench] ${executions} executions at once × ${contacts} contacts, 100 calls/s: ${variant.name}… `);
			await emulator.control('settings', CONCURRENT_SERVER);
			await emulator.control('reset', {});
			const total = executions * contacts;
			const started = Date.now();
			// n8n answers its API before it has activated the workflows: a 404 starts nothing, so it is asked again.
			const post = async (body) => {
				for (const deadline = Date.now() + 120_000; ; ) {
					const answer = await fetch(`http://127.0.0.1:${port}/webhook/bench-live-${index}`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body,
					});
					if (answer.status !== 404 || Date.now() > deadline) return answer;
					await answer.arrayBuffer();
					await new Promise((resolve) => setTimeout(resolve, 500));
				}
			};
			const answers = await Promise.all(
				Array.from({ length: executions }, (_, e) =>
					post(JSON.stringify({ contacts: Array.from({ length: contacts }, (_, c) => ({ email: `bench${e}x${c}@example.com` })) })),
				),
			);
			if (answers.some((a) => a.status !== 200)) throw new Error(`the webhook answered ${answers.map((a) => a.status).join(',')}`);
			// Done when every contact got its flow, or when nothing more has come for 15 s (the HTTP
			// Request node gives up on a 429), or after runMinutes.
			let last = { count: -1, at: Date.now() };
			let requests = [];
			for (;;) {
				({ requests } = await emulator.control('requests'));
				const accepted = requests.filter((r) => r.flowRunId && !r.replayed).length;
				if (requests.length !== last.count) last = { count: requests.length, at: Date.now() };
				if (accepted >= total || Date.now() - last.at > 15_000 || Date.now() - started > runMinutes * 60_000) break;
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
			const accepted = requests.filter((r) => r.flowRunId && !r.replayed);
			const record = await serverRecord(emulator, total);
			const refused = requests.filter((r) => r.status === 429).length;
			const seconds = accepted.length > 1 ? (accepted[accepted.length - 1].receivedAt - accepted[0].receivedAt) / 1000 : NaN;
			process.stderr.write(`${record.requests} calls, ${refused} answered 429, ${record.never} never\n`);
			rows.push({ variant: variant.name, executions, contacts, refused, seconds, ...record });
		}
	} finally {
		await live.stop();
		await emulator.control('settings', SERVERS[0].settings);
	}
	return rows;
}

/** The emulator in a process of its own, so that every client meets the same server. */
async function startEmulator() {
	const child = spawn(
		process.execPath,
		[path.join(ROOT, 'emulator', 'cli.js'), '--port', '0', '--flow', FLOW.flowId, '--workspace', FLOW.workspaceId],
		{
			stdio: ['ignore', 'pipe', 'inherit'],
		},
	);
	const ready = await new Promise((resolve, reject) => {
		let buffer = '';
		child.stdout.on('data', (chunk) => {
			buffer += chunk;
			const line = buffer.split('\n').find((l) => l.startsWith('{"ready"'));
			if (line) resolve(JSON.parse(line));
		});
		child.on('exit', (code) => reject(new Error(`emulator exited (${code})`)));
	});
	const control = async (action, body) => {
		const response = await fetch(`${ready.url}/__emulator/${action}`, {
			method: body === undefined ? 'GET' : 'POST',
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return await response.json();
	};
	return { ...ready, child, control };
}

/** Peak resident memory of a process (VmHWM), polled while it runs. */
function watchPeakRss(child) {
	let peakKb = 0;
	const read = () => {
		try {
			const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
			const match = /VmHWM:\s+(\d+) kB/.exec(status);
			if (match) peakKb = Math.max(peakKb, Number(match[1]));
		} catch {
			// the process has exited
		}
	};
	const timer = setInterval(read, 50);
	child.once('exit', () => clearInterval(timer));
	return () => {
		read();
		clearInterval(timer);
		return peakKb / 1024;
	};
}

/**
 * The heap peaks n8n's processes wrote (heapSampler.js): the largest heap in use of the
 * `n8n execute` process of the last run, in MB.
 */
const heapPeaks = {
	dir: '',
	clear() {
		if (!this.dir) return;
		for (const name of fs.readdirSync(this.dir)) fs.rmSync(path.join(this.dir, name), { force: true });
	},
	read() {
		if (!this.dir) return NaN;
		let most = NaN;
		for (const name of fs.readdirSync(this.dir).filter((n) => n.endsWith('.json'))) {
			try {
				const peak = JSON.parse(fs.readFileSync(path.join(this.dir, name), 'utf8'));
				if (String(peak.argv).includes('execute')) most = Math.max(Number.isNaN(most) ? 0 : most, peak.heapUsed / 2 ** 20);
			} catch {
				// a file being written: the next run's
			}
		}
		return most;
	},
};

/** A number for the progress lines, or "–" for a run that gave none. */
const mb = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

/** What the server saw: requests, and how many contacts got zero or several flow runs. */
async function serverRecord(emulator, items) {
	const { requests } = await emulator.control('requests');
	const perEmail = new Map();
	for (const r of requests) {
		if (!r.flowRunId || r.replayed) continue;
		const email = r.body?.email;
		perEmail.set(email, (perEmail.get(email) ?? 0) + 1);
	}
	let twice = 0;
	for (const count of perEmail.values()) if (count > 1) twice += 1;
	const delivered = perEmail.size;
	return { requests: requests.length, delivered, twice, never: items - delivered };
}

/** One run in n8n; a run the benchmark cannot read is reported as such, not lost with the others. */
async function runInN8n(session, emulator, variant, items, runMinutes) {
	try {
		return await runOnce(session, emulator, variant, items, runMinutes);
	} catch (error) {
		const message = String(error instanceof Error ? error.message : error).split('\n')[0];
		process.stderr.write(`\n[bench] ${variant.name}, ${items} items: ${message}\n`);
		return { seconds: NaN, peakRssMb: NaN, peakHeapMb: NaN, succeeded: false, error: message, ...(await serverRecord(emulator, items)) };
	}
}

async function runOnce(session, emulator, variant, items, runMinutes) {
	const id = `bench${Math.random().toString(36).slice(2, 10)}`;
	await session.importWorkflow(workflowFor(id, items, variant.node));
	await emulator.control('reset', {});
	await variant.prepare?.();
	heapPeaks.clear();
	let peak = () => 0;
	const started = Date.now();
	let result;
	try {
		result = await session.execute(id, { timeoutMs: runMinutes * 60 * 1000, onSpawn: (child) => (peak = watchPeakRss(child)) });
	} catch (error) {
		// A run that does not finish in time is a result too (killed, reported as stopped).
		if (!/did not finish/.test(String(error))) throw error;
		const record = await serverRecord(emulator, items);
		return {
			seconds: (Date.now() - started) / 1000,
			peakRssMb: peak(),
			peakHeapMb: heapPeaks.read(),
			succeeded: false,
			stopped: true,
			error: `stopped after ${runMinutes} min`,
			...record,
		};
	}
	const peakRssMb = peak();
	const peakHeapMb = heapPeaks.read();
	const run = result.runData.Target?.[0];
	const seconds = run ? run.executionTime / 1000 : NaN;
	const record = await serverRecord(emulator, items);
	const succeeded = !result.error && run?.executionStatus === 'success';
	const hint = (run?.hints ?? []).map((h) => h.message).join(' ') || undefined;
	return { seconds, peakRssMb, peakHeapMb, succeeded, error: result.error?.message, ...(hint ? { hint } : {}), ...record };
}

/** The practical ceiling: a plain keep-alive client, no n8n, same concurrency, 429s retried after Retry-After. */
async function runRaw(emulator, concurrency, items) {
	await emulator.control('reset', {});
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const url = new URL(emulator.webhookUrl);
	const post = (body) =>
		new Promise((resolve, reject) => {
			const request = http.request(
				{
					host: url.hostname,
					port: url.port,
					path: url.pathname,
					method: 'POST',
					agent,
					headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
				},
				(response) => {
					response.resume();
					response.on('end', () => resolve({ status: response.statusCode, retryAfter: response.headers['retry-after'] }));
				},
			);
			request.on('error', reject);
			request.end(body);
		});
	let next = 0;
	let pausedUntil = 0;
	const started = process.hrtime.bigint();
	const worker = async () => {
		while (next < items) {
			const i = next++;
			const body = JSON.stringify({ email: `bench${i}@example.com`, firstName: `First${i}`, n: i });
			for (;;) {
				const wait = pausedUntil - Date.now();
				if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
				const answer = await post(body);
				if (answer.status !== 429) break;
				pausedUntil = Math.max(pausedUntil, Date.now() + Number(answer.retryAfter ?? 1) * 1000);
			}
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	agent.destroy();
	return { seconds, peakRssMb: NaN, succeeded: true, ...(await serverRecord(emulator, items)) };
}

/** @param {number} ratio */
function fmtRatio(ratio) {
	return `${Number.isFinite(ratio) ? ratio.toFixed(1) : '–'}×`;
}

function machine() {
	const cpus = os.cpus();
	return `${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`;
}

/** This package and the two credentials the benchmark's workflows use, in a session's n8n. */
async function prepareSession(session, tarball, emulator) {
	session.installPackage(tarball);
	await session.importCredentials([
		{ id: CREDENTIAL_ID, name: 'SMASHSEND (bench)', type: 'smashsendFlowWebhookApi', data: { webhookUrl: emulator.webhookUrl } },
		{
			id: API_CREDENTIAL_ID,
			name: 'SMASHSEND API (bench)',
			type: 'smashsendApi',
			data: { apiKey: 'sk_live_emulator_editor', baseUrl: emulator.url },
		},
	]);
}

/**
 * How cost grows with N: the node at its defaults against two runs of n8n without it, a NoOp
 * node (passes the same item objects on) and an Edit Fields node that makes a new item of the
 * same shape as the node's output for every input item, as the node does: what n8n itself
 * spends on N new output items (run data, saving the execution). Each size `runs` times.
 */
async function growthRows(session, emulator, sizes, runs, runMinutes) {
	await emulator.control('settings', SERVERS[0].settings);
	const rows = [];
	const [defaults] = variants(emulator.webhookUrl);
	for (const n of sizes) {
		for (let runNumber = 1; runNumber <= runs; runNumber++) {
			process.stderr.write(`[bench] scaling: ${n} items, run ${runNumber}… `);
			const node = await runInN8n(session, emulator, defaults, n, runMinutes);
			const noop = await runInN8n(session, emulator, BASELINES.noop, n, runMinutes);
			const sameShape = await runInN8n(session, emulator, BASELINES.sameShape, n, runMinutes);
			process.stderr.write(
				`${mb(node.seconds, 1)} s, ${mb(node.peakRssMb)} MB, heap ${mb(node.peakHeapMb)} MB (NoOp ${mb(noop.peakRssMb)} MB, Edit Fields ${mb(sameShape.peakRssMb)} MB, heap ${mb(sameShape.peakHeapMb)} MB)\n`,
			);
			rows.push({
				items: n,
				run: runNumber,
				seconds: node.seconds,
				peakRssMb: node.peakRssMb,
				peakHeapMb: node.peakHeapMb,
				baselineRssMb: noop.peakRssMb,
				sameShapeRssMb: sameShape.peakRssMb,
				sameShapeHeapMb: sameShape.peakHeapMb,
				sameShapeSeconds: sameShape.seconds,
				succeeded: node.succeeded,
				sameShapeSucceeded: sameShape.succeeded,
				twice: node.twice,
				never: node.never,
			});
		}
	}
	return rows;
}

async function main() {
	const { values } = parseArgs({
		options: {
			items: { type: 'string', default: '10000' },
			scaling: { type: 'string', default: '1000,10000,50000' },
			'run-minutes': { type: 'string', default: '10' },
			'scaling-only': { type: 'boolean', default: false },
			// Runs of each size in the growth table, side by side (memory is noisy: one run says little).
			'scaling-runs': { type: 'string', default: '2' },
			// The growth table again with n8n in a container of this many MB (0: skip).
			'container-mb': { type: 'string', default: '2048' },
			// One call per contact at SMASHSEND's free-plan limit then takes five minutes.
			'rest-items': { type: 'string', default: '300' },
			'rest-rate': { type: 'string', default: '60' },
			'rest-only': { type: 'boolean', default: false },
			'no-write': { type: 'boolean', default: false },
			// Several executions at once against a flow server limited to 100 calls a second (0: skip).
			concurrent: { type: 'string', default: '20' },
			'concurrent-contacts': { type: 'string', default: '50' },
			'concurrent-only': { type: 'boolean', default: false },
			// Update by email against by ID (--lookups-only runs these alone).
			'lookups-only': { type: 'boolean', default: false },
			'lookup-items': { type: 'string', default: '1000' },
			'lookup-latency': { type: 'string', default: '40' },
			'lookup-runs': { type: 'string', default: '2' },
			// Some server settings only, e.g. --servers realistic,rate-limited (with --no-write, for a quick look).
			servers: { type: 'string', default: '' },
			// Some clients only: those whose name contains this text, e.g. --variants Auto.
			variants: { type: 'string', default: '' },
		},
	});
	const items = Number(values.items);
	const scaling = String(values.scaling).split(',').filter(Boolean).map(Number);
	const runMinutes = Number(values['run-minutes']);
	const started = Date.now();
	const emulator = await startEmulator();
	// Every n8n process samples its own heap (heapSampler.js): the growth table's heap columns.
	const heapDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smashsend-heap-'));
	// Added to the NODE_OPTIONS already set, the path quoted (a folder name may have spaces).
	const nodeOptions = [process.env.NODE_OPTIONS, `--require ${JSON.stringify(path.join(__dirname, 'heapSampler.js'))}`];
	const session = new N8nSession({
		env: { NODE_OPTIONS: nodeOptions.filter(Boolean).join(' '), SMASHSEND_HEAP_DIR: heapDir },
	});
	heapPeaks.dir = heapDir;
	// The container's n8n and its cgroup, while the growth table runs in it.
	/** @type {{ session: N8nSession, limit: ReturnType<typeof containerLimit> } | undefined} */
	let boxedRun;
	// Stop n8n and the emulator on Ctrl-C too: a 10,000-item n8n run left behind keeps a core busy.
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.once(signal, () => {
			emulator.child.kill('SIGTERM');
			Promise.all([session.stop(), boxedRun?.session.stop()])
				.then(() => boxedRun?.limit.dispose())
				.finally(() => process.exit(130));
		});
	}
	const rows = [];
	try {
		const tarball = packPackage();
		await prepareSession(session, tarball, emulator);
		if (values['lookups-only']) {
			const lookupRows = await runLookups(
				session,
				emulator,
				Number(values['lookup-items']),
				Number(values['lookup-latency']),
				Math.max(1, Number(values['lookup-runs'])),
				runMinutes,
			);
			const markdown = renderLookups(lookupRows, {
				date: new Date().toISOString().slice(0, 10),
				machine: machine(),
				n8n: session.runtime.version,
			});
			process.stdout.write(`${markdown}\n`);
			if (!values['no-write']) fs.writeFileSync(path.join(ROOT, 'docs', 'benchmark-lookups.md'), `${markdown}\n`);
			return;
		}
		const only = values['scaling-only'] || values['rest-only'] || values['concurrent-only'];

		// Several executions at once, one n8n: the pace they share against the HTTP Request node.
		const concurrentRows = [];
		const concurrent = Number(values.concurrent);
		if (concurrent > 0 && !values['scaling-only'] && !values['rest-only']) {
			const [defaults, , , httpDefaults] = variants(emulator.webhookUrl);
			concurrentRows.push(
				...(await runConcurrent(
					tarball,
					emulator,
					[defaults, httpDefaults],
					concurrent,
					Number(values['concurrent-contacts']),
					runMinutes,
				)),
			);
		}

		// The REST API: one call per contact against batches, under the same calls-per-minute limit.
		const restItems = Number(values['rest-items']);
		const restRate = Number(values['rest-rate']);
		const restRows = [];
		if (!values['scaling-only'] && !values['concurrent-only'] && restItems > 0) {
			await emulator.control('settings', SERVERS[0].settings);
			for (const variant of restVariants(restRate)) {
				process.stderr.write(`[bench] REST, ${restRate} calls/min: ${variant.name}, ${restItems} contacts… `);
				const result = await runRest(session, emulator, variant, restItems, restRate, runMinutes);
				process.stderr.write(`${result.seconds.toFixed(1)} s, ${result.calls} calls\n`);
				restRows.push({ variant: variant.name, batchSize: variant.batchSize, items: restItems, ratePerMinute: restRate, ...result });
			}
			const [single, batched] = restRows;
			for (const row of restRows) row.sameAsSingle = sameContacts(single.contacts, row.contacts);
			for (const row of restRows) delete row.contacts;
			process.stderr.write(
				`[bench] REST: ${fmtRatio(single.calls / batched.calls)} fewer calls, ${fmtRatio(single.seconds / batched.seconds)} less time\n`,
			);
		}

		const serverNames = String(values.servers).split(',').filter(Boolean);
		const chosen = SERVERS.filter((server) => serverNames.length === 0 || serverNames.includes(server.name));
		for (const server of only ? [] : chosen) {
			await emulator.control('settings', server.settings);
			for (const variant of variants(emulator.webhookUrl).filter((v) => v.name.includes(String(values.variants)))) {
				process.stderr.write(`[bench] ${server.name}: ${variant.name}, ${items} items… `);
				const result =
					variant.kind === 'raw'
						? await runRaw(emulator, variant.concurrency ?? 5, items)
						: await runInN8n(session, emulator, variant, items, runMinutes);
				process.stderr.write(`${result.seconds.toFixed(1)} s${result.succeeded ? '' : ' (failed)'}\n`);
				rows.push({ server: server.name, variant: variant.name, kind: variant.kind, concurrency: variant.concurrency, items, ...result });
			}
		}

		// How cost grows with N, beside n8n without the node (growthRows).
		const scalingRuns = Math.max(1, Number(values['scaling-runs']));
		const sizes = values['rest-only'] || values['concurrent-only'] ? [] : scaling;
		const scalingRows = await growthRows(session, emulator, sizes, scalingRuns, runMinutes);

		// The same in a container of --container-mb (self-hosters' Docker limit): there the
		// garbage collector runs before the heap grows past what the container allows.
		const containerMb = Number(values['container-mb']);
		let container;
		if (containerMb > 0 && sizes.length > 0) {
			const limit = containerLimit(containerMb);
			process.stderr.write(`[bench] in a ${containerMb} MB container: ${limit.how}\n`);
			const boxed = new N8nSession({
				env: { NODE_OPTIONS: [...nodeOptions, limit.nodeOptions].filter(Boolean).join(' '), SMASHSEND_HEAP_DIR: heapDir },
				cgroupProcs: limit.procsFile,
			});
			boxedRun = { session: boxed, limit };
			try {
				await prepareSession(boxed, tarball, emulator);
				container = { megabytes: containerMb, how: limit.how, rows: await growthRows(boxed, emulator, sizes, scalingRuns, runMinutes) };
			} finally {
				boxedRun = undefined;
				await boxed.stop();
				limit.dispose();
			}
		}

		const restOnly = values['rest-only'];
		const report = {
			date: new Date().toISOString(),
			machine: machine(),
			n8n: session.runtime.version,
			items: restOnly ? restItems : items,
			servers: restOnly || values['concurrent-only'] ? [] : chosen,
			rows,
			rest: restRows,
			concurrent: concurrentRows,
			scaling: scalingRows,
			container,
			durationMinutes: (Date.now() - started) / 60000,
		};
		const markdown = renderMarkdown(report);
		process.stdout.write(`\n${markdown}\n`);
		if (!values['no-write'] && restOnly) {
			// The REST rows alone go to files of their own, leaving the full report as it was.
			const docs = path.join(ROOT, 'docs');
			fs.writeFileSync(path.join(docs, 'benchmark-rest.md'), `${markdown}\n`);
			fs.writeFileSync(path.join(docs, 'benchmark-rest.json'), `${JSON.stringify(report, null, 2)}\n`);
			process.stderr.write(`[bench] wrote docs/benchmark-rest.md and docs/benchmark-rest.json\n`);
		} else if (!values['no-write'] && !values['concurrent-only']) {
			const docs = path.join(ROOT, 'docs');
			fs.mkdirSync(docs, { recursive: true });
			fs.writeFileSync(path.join(docs, 'benchmark.md'), `${markdown}\n`);
			fs.writeFileSync(path.join(docs, 'benchmark.svg'), renderSvg(report));
			fs.writeFileSync(path.join(docs, 'benchmark.json'), `${JSON.stringify(report, null, 2)}\n`);
			process.stderr.write(`[bench] wrote docs/benchmark.md, docs/benchmark.svg and docs/benchmark.json\n`);
		}
	} finally {
		await session.stop();
		emulator.child.kill('SIGTERM');
		fs.rmSync(heapDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
