#!/usr/bin/env node
// @ts-check
'use strict';

// The demo: sample contacts → SMASHSEND "Trigger a Flow" → a node that uses flowRunId,
// executed by a real n8n against the SMASHSEND emulator.

const { prepareDemo } = require('./shared');

async function main() {
	const started = Date.now();
	process.stderr.write('Preparing n8n (the first run downloads Node 24 and n8n: a few minutes)…\n');
	const { emulator, session, workflow } = await prepareDemo();
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.once(signal, () => {
			Promise.all([session.stop(), emulator.stop()]).finally(() => process.exit(130));
		});
	}
	try {
		process.stderr.write(`Executing "${workflow.name}" in n8n ${session.runtime.version}…\n`);
		const result = await session.execute(workflow.id);
		if (result.error) throw new Error(`the workflow failed: ${result.error.message}`);
		const rows = result.output('Contact with flow run').map((item) => item.json);
		const width = Math.max(...rows.map((row) => String(row.name).length), 4);
		process.stdout.write(`\n${'name'.padEnd(width)}  ${'email'.padEnd(24)}  flowRunId\n`);
		for (const row of rows) {
			process.stdout.write(`${String(row.name).padEnd(width)}  ${String(row.contact).padEnd(24)}  ${row.flowRunId}\n`);
		}
		const runs = new Set(emulator.accepted.map((r) => r.flowRunId));
		const confirmed = rows.filter((row) => runs.has(String(row.flowRunId))).length;
		/** @param {number} n @param {string} one @param {string} more */
		const count = (n, one, more) => `${n} ${n === 1 ? one : more}`;
		process.stdout.write(
			`\n${count(rows.length, 'contact', 'contacts')}, ${count(emulator.accepted.length, 'flow run', 'flow runs')} started on the emulator, ${count(confirmed, 'flowRunId', 'flowRunIds')} confirmed by it (${Math.round((Date.now() - started) / 1000)} s)\n`,
		);
		if (rows.length === 0 || confirmed !== rows.length) process.exitCode = 1;
	} finally {
		await session.stop();
		await emulator.stop();
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
