// @ts-check
'use strict';

// Ports and addresses for the tests of where n8n sessions listen. JavaScript, so that
// TypeScript test files need no Node.js imports (the community lint rules forbid them there).

const net = require('node:net');
const os = require('node:os');

/**
 * Holds TCP ports on all interfaces, as a contributor's own n8n would (5678, 5679). A port
 * that something else holds already is left to it: it is taken either way.
 * @param {number[]} ports
 * @returns {Promise<() => Promise<void>>} releases the ports this call took
 */
async function occupyPorts(ports) {
	/** @type {net.Server[]} */
	const servers = [];
	for (const port of ports) {
		const server = net.createServer((socket) => socket.destroy());
		const taken = await new Promise((resolve) => {
			server.once('error', () => resolve(false));
			server.listen(port, () => resolve(true));
		});
		if (taken) servers.push(server);
	}
	return async () => {
		await Promise.all(servers.map((server) => new Promise((resolve) => server.close(() => resolve(undefined)))));
	};
}

/** This machine's IPv4 addresses other than loopback: where a service bound to all interfaces is reachable. */
function externalAddresses() {
	return Object.values(os.networkInterfaces())
		.flat()
		.filter((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)
		.map((entry) => /** @type {os.NetworkInterfaceInfo} */ (entry).address);
}

/**
 * Whether a TCP connection to host:port is accepted.
 * @param {string} host
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function accepts(host, port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host, port, timeout: 2000 });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

module.exports = { occupyPorts, externalAddresses, accepts };
