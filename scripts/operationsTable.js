// @ts-check
'use strict';

/**
 * The README's table of operations, made from the nodes' own descriptions: the words the
 * editor shows (each operation's name and description), so that the README never says other
 * than the node. `npm run docs:operations` writes it between the README's markers, and the
 * node's canvas subtitle (each operation's action, which n8n's lint wants written out) into
 * nodes/Smashsend/Smashsend.node.ts; test/unit/readmeOperations.test.ts and
 * test/unit/description.test.ts check that both are up to date.
 */

const START = '<!-- operations: written by npm run docs:operations -->';
const END = '<!-- /operations -->';

/**
 * @param {{ properties: Array<Record<string, any>> }} action the SMASHSEND node's description
 * @param {{ properties: Array<Record<string, any>>, displayName: string }} trigger the SMASHSEND Trigger's description
 * @returns {string}
 */
function operationsTable(action, trigger) {
	const resource = action.properties.find((p) => p.name === 'resource');
	const events = trigger.properties.find((p) => p.name === 'events');
	if (!resource || !events) throw new Error('The nodes have no Resource or no Events parameter');
	const rows = ['| Resource | Operation | What it does |', '| --- | --- | --- |'];
	for (const { name: resourceName, value } of resource.options) {
		const operations = action.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(value));
		for (const operation of operations?.options ?? []) rows.push(`| ${resourceName} | **${operation.name}** | ${operation.description} |`);
	}
	rows.push(
		`| — | **${trigger.displayName}** | Starts the workflow on: ${events.options.map((/** @type {{name: string}} */ o) => o.name).join(', ')} |`,
	);
	return rows.join('\n');
}

/**
 * The README with its table replaced by `table`.
 * @param {string} readme
 * @param {string} table
 */
function withTable(readme, table) {
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	if (start === -1 || end === -1) throw new Error(`README.md has no ${START} … ${END} markers`);
	return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

/**
 * The node's subtitle: each operation's action, by "resource:operation" (the canvas shows it under the node).
 * @param {{ properties: Array<Record<string, any>> }} action the SMASHSEND node's description
 */
function subtitle(action) {
	const resource = action.properties.find((p) => p.name === 'resource');
	/** @type {Record<string, string>} */
	const actions = {};
	for (const { value } of resource?.options ?? []) {
		const operations = action.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(value));
		for (const operation of operations?.options ?? []) actions[`${value}:${operation.value}`] = operation.action ?? '';
	}
	return `={{ (${JSON.stringify(actions)})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}`;
}

/** The node's source with its subtitle replaced. @param {string} source @param {string} text */
function withSubtitle(source, text) {
	const line = /^(\t+)'=\{\{ \(\{.*\}\)\[\$parameter\["resource"\].*',$/m;
	if (!line.test(source)) throw new Error('Smashsend.node.ts has no subtitle line to write');
	return source.replace(line, (_all, indent) => `${indent}${JSON.stringify(text).replace(/^"|"$/g, "'").replace(/\\"/g, '"')},`);
}

/** The table in the README now (between the markers). @param {string} readme */
function tableIn(readme) {
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	return start === -1 || end === -1 ? undefined : readme.slice(start + START.length, end).trim();
}

if (require.main === module) {
	const fs = require('node:fs');
	const path = require('node:path');
	const root = path.resolve(__dirname, '..');
	const { Smashsend } = require(path.join(root, 'dist/nodes/Smashsend/Smashsend.node.js'));
	const { SmashsendTrigger } = require(path.join(root, 'dist/nodes/SmashsendTrigger/SmashsendTrigger.node.js'));
	const file = path.join(root, 'README.md');
	fs.writeFileSync(
		file,
		withTable(fs.readFileSync(file, 'utf8'), operationsTable(new Smashsend().description, new SmashsendTrigger().description)),
	);
	const node = path.join(root, 'nodes/Smashsend/Smashsend.node.ts');
	fs.writeFileSync(node, withSubtitle(fs.readFileSync(node, 'utf8'), subtitle(new Smashsend().description)));
	process.stdout.write("README.md and Smashsend.node.ts's subtitle: written from the nodes' descriptions\n");
}

module.exports = { operationsTable, withTable, tableIn, subtitle, withSubtitle };
