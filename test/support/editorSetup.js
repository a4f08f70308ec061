// @ts-check
'use strict';

// Where the editor test finds its browser and puts its screenshots. JavaScript, so that the
// TypeScript test needs no Node.js globals (the community lint rules forbid them there).

const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/** Debian's Chromium by default; CHROMIUM_PATH for another Chromium-based browser (GitHub's runners have Chrome). */
function chromiumPath() {
	return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/**
 * A git-ignored folder, so that a test run leaves the working tree clean; `npm run
 * screenshots` points it at docs/screenshots, the pictures the README shows.
 */
function screenshotsDir() {
	return path.resolve(ROOT, process.env.SMASHSEND_SCREENSHOTS || path.join('test', 'editor', 'screenshots'));
}

module.exports = { chromiumPath, screenshotsDir };
