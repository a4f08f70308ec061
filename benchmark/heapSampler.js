// @ts-check
'use strict';

/**
 * Loaded into n8n's processes by the benchmark (`NODE_OPTIONS=--require …/heapSampler.js`):
 * samples the process's heap in use and resident memory every 20 ms and writes the peaks to
 * `$SMASHSEND_HEAP_DIR/<pid>.json` (while it runs, and when it exits). Peak resident memory is
 * what a container's limit meets; the heap in use is what JavaScript holds, garbage included.
 * With `SMASHSEND_HEAP_SNAPSHOT_AT=<MB>`, one heap snapshot is written to the same folder the
 * first time the heap in use passes that size (what is alive then: open it in Chrome's DevTools, Memory tab).
 * With `SMASHSEND_HEAP_PROFILE=1`, an allocation profile of the whole run, garbage included
 * (`<pid>.heapprofile`, for the same tab).
 */

const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');

const dir = process.env.SMASHSEND_HEAP_DIR;
if (dir) {
	const file = path.join(dir, `${process.pid}.json`);
	const snapshotAt = Number(process.env.SMASHSEND_HEAP_SNAPSHOT_AT ?? 0) * 1024 * 1024;
	let snapshotTaken = false;
	const peak = {
		heapUsed: 0,
		heapTotal: 0,
		external: 0,
		rss: 0,
		argv: process.argv
			.slice(1, 3)
			.map((a) => path.basename(a))
			.join(' '),
	};
	let writes = 0;
	/** @type {number[][]} */
	const timeline = [];
	const sample = () => {
		const usage = process.memoryUsage();
		peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
		peak.heapTotal = Math.max(peak.heapTotal, usage.heapTotal);
		peak.external = Math.max(peak.external, usage.external);
		peak.rss = Math.max(peak.rss, usage.rss);
		if (snapshotAt > 0 && !snapshotTaken && usage.heapUsed >= snapshotAt) {
			snapshotTaken = true;
			v8.writeHeapSnapshot(path.join(dir, `${process.pid}.heapsnapshot`));
		}
		// The file every half second: a process killed at the end still leaves its peaks.
		if (++writes % 25 === 0) {
			if (process.env.SMASHSEND_HEAP_TIMELINE)
				timeline.push([Date.now() * 1048576, usage.heapUsed, usage.heapTotal, usage.rss].map((n) => Math.round(n / 1048576)));
			write();
		}
	};
	const write = () => {
		try {
			fs.writeFileSync(file, JSON.stringify(timeline.length > 0 ? { ...peak, timeline } : peak));
		} catch {
			// the folder is gone: nothing to report to
		}
	};
	setInterval(sample, 20).unref();
	// SMASHSEND_HEAP_PROFILE=1: every allocation sampled (garbage included), by the function that made it.
	if (process.env.SMASHSEND_HEAP_PROFILE) {
		const inspector = require('node:inspector');
		const session = new inspector.Session();
		session.connect();
		session.post('HeapProfiler.startSampling', {
			samplingInterval: 16384,
			includeObjectsCollectedByMajorGC: true,
			// SMASHSEND_HEAP_PROFILE=promoted: only what outlived the young generation (survived a
			// scavenge), i.e. what makes the old generation grow, garbage or not.
			includeObjectsCollectedByMinorGC: process.env.SMASHSEND_HEAP_PROFILE !== 'promoted',
		});
		process.on('exit', () => {
			session.post('HeapProfiler.stopSampling', (error, result) => {
				if (!error) fs.writeFileSync(path.join(dir, `${process.pid}.heapprofile`), JSON.stringify(result.profile));
			});
		});
	}
	process.on('exit', () => {
		sample();
		write();
	});
}
