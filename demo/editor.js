#!/usr/bin/env node
// @ts-check
'use strict';

// Opens the n8n editor with this package, the emulator credential and the example workflow
// loaded, on 127.0.0.1 and a free port, and prints its address and a password made for this
// run. Stop it with Ctrl-C.

const crypto = require('node:crypto');

const { prepareDemo } = require('./shared');

// n8n wants 8+ characters with a digit and an upper-case letter.
const OWNER = {
	email: 'demo@example.com',
	firstName: 'Demo',
	lastName: 'User',
	password: `Smash-${crypto.randomBytes(9).toString('base64url')}-7`,
};

async function main() {
	process.stderr.write('Preparing n8n (the first run downloads Node 24 and n8n: a few minutes)…\n');
	const { emulator, session, workflow } = await prepareDemo();
	const stop = async () => {
		await session.stop();
		await emulator.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	await session.startEditor();
	await session.setupOwner(OWNER);
	process.stdout.write(
		[
			'',
			`n8n ${session.runtime.version} is running: http://127.0.0.1:${session.port}/workflow/${workflow.id}`,
			`Log in as ${OWNER.email} with password ${OWNER.password}`,
			`The SMASHSEND emulator answers at ${emulator.url} (its flow webhook URL is in the credential "SMASHSEND flow webhook",`,
			'its API in "SMASHSEND account", with three sample contacts for the Contact picker).',
			'Press Ctrl-C to stop n8n and the emulator.',
			'',
		].join('\n'),
	);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
