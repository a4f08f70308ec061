// @ts-check
'use strict';

const { errorBody, sendJson } = require('./http');

/**
 * A flow webhook server that works on `inFlight` calls at once (each for the emulator's
 * latency); further calls wait in line, first come first served; beyond twice its capacity
 * it answers 429 with Retry-After: 1, as an overloaded server behind a proxy does. After
 * `halveAfter` calls it took, its capacity halves (a server that loses half its machines
 * in the middle of a run). `inFlight` 0: no such limit (the default).
 *
 * @typedef {{ inFlight: number, halveAfter?: number }} CapacitySettings
 */
function createCapacity() {
	/** @type {CapacitySettings} */
	let settings = { inFlight: 0 };
	let capacity = 0;
	let working = 0;
	let taken = 0;
	let peak = 0;
	/** @type {Array<() => void>} */
	let line = [];

	return {
		get settings() {
			return { ...settings, current: capacity, peak };
		},
		/** @param {CapacitySettings} next */
		set(next) {
			settings = { inFlight: Math.max(0, Math.floor(next.inFlight)), ...(next.halveAfter ? { halveAfter: next.halveAfter } : {}) };
			capacity = settings.inFlight;
			taken = 0;
			peak = 0;
		},
		/**
		 * Takes a place for this call, waiting in line while the server is busy; answers 429 when
		 * even the line is full. Resolves true when the call may go on (call `leave` after it).
		 * @param {import('node:http').ServerResponse} res
		 * @param {{ status: number, fault?: string }} record
		 */
		async enter(res, record) {
			if (capacity <= 0) return true;
			if (working + line.length >= 2 * capacity) {
				record.status = 429;
				record.fault = 'over-capacity';
				sendJson(res, 429, errorBody(429, 'Too Many Requests', 'The server is busy'), { 'retry-after': '1' });
				return false;
			}
			taken += 1;
			if (settings.halveAfter && taken === settings.halveAfter) capacity = Math.max(1, Math.floor(capacity / 2));
			if (working >= capacity) await new Promise((resolve) => line.push(() => resolve(undefined)));
			else working += 1;
			peak = Math.max(peak, working + line.length);
			return true;
		},
		/** The call is done: its place goes to the next in line, or is freed (for good, when the capacity has shrunk). */
		leave() {
			if (capacity <= 0) return;
			const next = working <= capacity ? line.shift() : undefined;
			if (next) next();
			else working = Math.max(0, working - 1);
		},
		reset() {
			working = 0;
			for (const waiting of line) waiting();
			line = [];
		},
	};
}

module.exports = { createCapacity };
