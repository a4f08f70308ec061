// @ts-check
'use strict';

// A plain HTTP server that records what it receives: stands in for n8n's webhook URL when
// a test only needs to see what the emulator delivers. JavaScript, so that TypeScript test
// files need no Node.js imports (the community lint rules forbid them there).

const http = require('node:http');

/** @returns {Promise<{url: string, received: Array<{path: string, headers: http.IncomingHttpHeaders, body: Buffer}>, close: () => Promise<void>}>} */
async function startSink() {
	/** @type {Array<{path: string, headers: http.IncomingHttpHeaders, body: Buffer}>} */
	const received = [];
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) });
			res.end('ok');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${address.port}`,
		received,
		close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
	};
}

module.exports = { startSink };
