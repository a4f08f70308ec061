// @ts-check
'use strict';

/**
 * A line of what a slow suite measured, in its log (a report, never a bound): the queue-mode
 * test's spread over workers and the 429s a load cost.
 * @param {string} line
 */
function report(line) {
	process.stdout.write(`${line}\n`);
}

module.exports = { report };
