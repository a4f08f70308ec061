#!/usr/bin/env node
// @ts-check
'use strict';

// Starts the SMASHSEND emulator and prints its flow webhook URL, REST API base URL and API keys.
// Usage: node emulator/cli.js [--port 4010] [--host 127.0.0.1] [--flow flw_demo] [--workspace wrk_demo] [--latency-ms 0] [--rate-limit 0] [--rest-rate-limit 0] [--shapes sdk|legacy] [--reading searchMissing=404 …]

const { parseArgs } = require('node:util');
const { createEmulator } = require('./server');
const { DEFAULT_KEYS } = require('./restApi');

async function main() {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: process.env.SMASHSEND_EMULATOR_PORT ?? '4010' },
			host: { type: 'string', default: '127.0.0.1' },
			flow: { type: 'string', default: 'flw_demo' },
			workspace: { type: 'string', default: 'wrk_demo' },
			'latency-ms': { type: 'string', default: '0' },
			'rate-limit': { type: 'string', default: '0' },
			'rest-rate-limit': { type: 'string', default: '0' },
			// sdk: answers as SMASHSEND's official SDK types them; legacy: the older shapes (emulator/restApi.js).
			shapes: { type: 'string', default: 'sdk' },
			// Where SMASHSEND's sources disagree, the other reading (emulator/rest/workspace.js `Readings`), e.g. propertiesList=catalogue.
			reading: { type: 'string', multiple: true, default: [] },
		},
	});
	const readings = Object.fromEntries((values.reading ?? []).map((pair) => pair.split('=', 2)));
	const emulator = createEmulator({
		flows: [{ flowId: String(values.flow), workspaceId: String(values.workspace) }],
		latencyMs: Number(values['latency-ms']),
		rateLimitPerSecond: Number(values['rate-limit']),
		restRateLimit: { limit: Number(values['rest-rate-limit']), windowMs: 60_000 },
		rest: { workspaceId: String(values.workspace), shapes: values.shapes === 'legacy' ? 'legacy' : 'sdk', readings },
	});
	await emulator.start(Number(values.port), String(values.host));
	const webhookUrl = emulator.webhookUrl(String(values.flow), String(values.workspace));
	process.stdout.write(`SMASHSEND emulator listening on ${emulator.url}\n`);
	process.stdout.write(`Flow webhook URL: ${webhookUrl}\n`);
	process.stdout.write(
		`REST API base URL: ${emulator.url} (keys: ${Object.entries(DEFAULT_KEYS)
			.map(([key, k]) => `${key} = ${k.role}`)
			.join(', ')})\n`,
	);
	process.stdout.write(`Recorded requests: GET ${emulator.url}/__emulator/requests; REST state: GET ${emulator.url}/__emulator/rest\n`);
	process.stdout.write(`${JSON.stringify({ ready: true, url: emulator.url, webhookUrl })}\n`);
	const stop = () => emulator.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
