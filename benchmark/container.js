// @ts-check
'use strict';

/**
 * A container's memory limit for the benchmark's n8n processes, as self-hosters run n8n
 * (a Docker `--memory 2g`): a memory cgroup of that size when this machine lets us make one
 * (root, cgroup v1 or v2 with the memory controller), every n8n process started in it. Node
 * reads the limit at start and sizes V8's heap from it (a 2,048 MB container gives a heap
 * limit of about 1,100 MB), so the garbage collector works as it would in the container,
 * and the container's limit is enforced.
 *
 * Where no cgroup can be made, the heap limit alone (`--max-old-space-size`, half the
 * container's memory, what Node 24 chooses in a container) and nothing enforced: the report says which.
 */

const fs = require('node:fs');
const path = require('node:path');

/**
 * @param {number} megabytes
 * @returns {{ how: string, procsFile?: string, nodeOptions?: string, dispose: () => void }}
 */
function containerLimit(megabytes) {
	const bytes = String(Math.round(megabytes * 2 ** 20));
	const name = `smashsend-bench-${process.pid}`;
	// cgroup v2: one hierarchy, the limit in memory.max.
	const v2 = '/sys/fs/cgroup';
	// cgroup v1: the memory controller's own hierarchy, the limit in memory.limit_in_bytes.
	const v1 = '/sys/fs/cgroup/memory';
	const candidates = [
		...(fs.existsSync(path.join(v2, 'cgroup.controllers')) ? [{ root: v2, file: 'memory.max', how: 'cgroup v2' }] : []),
		...(fs.existsSync(path.join(v1, 'memory.limit_in_bytes')) ? [{ root: v1, file: 'memory.limit_in_bytes', how: 'cgroup v1' }] : []),
	];
	for (const { root, file, how } of candidates) {
		const dir = path.join(root, name);
		try {
			fs.mkdirSync(dir);
		} catch {
			continue;
		}
		try {
			fs.writeFileSync(path.join(dir, file), bytes);
			// v1: no swap beyond the limit either, where the kernel accounts for it.
			if (how === 'cgroup v1' && fs.existsSync(path.join(dir, 'memory.memsw.limit_in_bytes'))) {
				try {
					fs.writeFileSync(path.join(dir, 'memory.memsw.limit_in_bytes'), bytes);
				} catch {
					// swap accounting off: the memory limit alone
				}
			}
			return {
				how: `${how} memory limit of ${megabytes} MB`,
				procsFile: path.join(dir, 'cgroup.procs'),
				dispose: () => removeWhenEmpty(dir),
			};
		} catch {
			removeWhenEmpty(dir);
		}
	}
	return {
		how: `no cgroup could be made here: heap limit only (--max-old-space-size=${Math.round(megabytes / 2)}), memory not enforced`,
		nodeOptions: `--max-old-space-size=${Math.round(megabytes / 2)}`,
		dispose: () => {},
	};
}

/** A cgroup goes once its processes have: n8n's may take a moment to exit. */
function removeWhenEmpty(dir) {
	for (let attempt = 0; attempt < 50; attempt++) {
		try {
			fs.rmdirSync(dir);
			return;
		} catch {
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
		}
	}
}

module.exports = { containerLimit };
