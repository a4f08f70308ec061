// @ts-check
'use strict';

/**
 * The seeds the history checker runs (history.test.ts): HISTORY_SEED=123 for one, HISTORY_SEEDS=3000
 * for the first 3000, 300 by default (what CI runs). Read here: the node's lint forbids `process`
 * in TypeScript test files.
 * @returns {number[]}
 */
function historySeeds() {
	const one = process.env.HISTORY_SEED;
	if (one !== undefined && one !== '') return [Number(one)];
	return Array.from({ length: Number(process.env.HISTORY_SEEDS ?? 300) }, (_, i) => i + 1);
}

module.exports = { historySeeds };
