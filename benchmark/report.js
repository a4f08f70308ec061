// @ts-check
'use strict';

/** Turns a benchmark run into the markdown table and the SVG chart kept in docs/. */

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

/** The raw client a row is compared with: same concurrency, or 100 for HTTP Request's bursts. */
function rawFor(rows, row) {
	const concurrency = row.concurrency ?? 100;
	return rows.find((r) => r.server === row.server && r.kind === 'raw' && r.concurrency === concurrency);
}

function outcome(row) {
	if (row.succeeded) return 'succeeded';
	return row.stopped ? `**${row.error}**` : 'failed';
}

function speeds(row) {
	const itemsPerSecond = row.items / row.seconds;
	const goodput = row.delivered / row.seconds;
	return { itemsPerSecond, goodput };
}

function renderMarkdown(report) {
	const lines = [];
	lines.push(
		`Measured ${report.date.slice(0, 10)} on ${report.machine}, n8n ${report.n8n}, ${report.items.toLocaleString('en')} items per run (${fmt(report.durationMinutes, 0)} minutes in all).`,
	);
	if (report.servers.length > 0) {
		lines.push('');
		lines.push(
			'Time is the node\'s own execution time from n8n\'s run data (not n8n\'s start-up); the raw client is timed around its loop. Ratios compare with the raw keep-alive client at the same concurrency (100 for the HTTP Request node). "Twice" and "never" count contacts by what the emulator accepted.',
		);
	}
	for (const server of report.servers) {
		lines.push('');
		lines.push(`**${server.label}**`);
		lines.push('');
		lines.push('| Client | Time (s) | Items/s | × raw | Delivered/s | × raw | Requests | Twice | Never | Execution | Peak RSS (MB) |');
		lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
		for (const row of report.rows.filter((r) => r.server === server.name)) {
			const raw = rawFor(report.rows, row);
			const mine = speeds(row);
			const base = raw ? speeds(raw) : undefined;
			lines.push(
				`| ${row.variant} | ${fmt(row.seconds, 1)} | ${fmt(mine.itemsPerSecond)} | ${base ? fmt(mine.itemsPerSecond / base.itemsPerSecond, 2) : '–'} | ${fmt(mine.goodput)} | ${base ? fmt(mine.goodput / base.goodput, 2) : '–'} | ${row.requests} | ${row.twice} | ${row.never} | ${outcome(row)} | ${fmt(row.peakRssMb)} |`,
			);
		}
		// What Concurrency: Auto said about itself, in the execution's hints.
		for (const row of report.rows.filter((r) => r.server === server.name && r.hint)) {
			lines.push('');
			lines.push(`${row.variant}: “${row.hint}”`);
		}
	}
	if (report.rest?.length > 0) renderRest(report.rest, lines);
	if (report.concurrent?.length > 0) renderConcurrent(report.concurrent, lines);
	if (report.scaling.length > 0) {
		lines.push('');
		lines.push(
			"**How cost grows with N** (SMASHSEND at its defaults, fast server; each size run more than once, side by side with n8n without the node). A NoOp node passes the same item objects on; an Edit Fields node makes a new item of the node's output shape for every input item, as the node does (n8n keeps and saves those items whoever makes them): *beyond Edit Fields* is what the node costs on top of n8n. Peak RSS is the `n8n execute` process's high-water mark (what a container's limit meets); peak heap is the most JavaScript held at once, garbage not yet collected included. Both move by tens of MB between runs of the same thing. On a machine with memory to spare (this one), V8 lets garbage pile up before it collects: every HTTP call n8n's request helper makes leaves some 15–20 KB of it, so these peaks say more about V8's patience than about what the run needs; the container table below says what it needs.",
		);
		renderGrowth(report.scaling, lines);
	}
	if (report.container?.rows?.length > 0) {
		lines.push('');
		lines.push(
			`**The same in a ${report.container.megabytes.toLocaleString('en')} MB container** (${report.container.how}; every n8n process in it, as in a Docker container with that memory limit: Node sizes its heap from the limit, so garbage is collected before the heap outgrows the container). *Beyond Edit Fields* here is what the node needs on top of n8n where memory is scarce.`,
		);
		renderGrowth(report.container.rows, lines);
	}
	return lines.join('\n');
}

/** One row per size and run: the node, NoOp and Edit Fields side by side. */
function renderGrowth(rows, lines) {
	lines.push('');
	lines.push(
		'| Items | Run | Time (s) | µs per item | Peak RSS (MB) | Peak heap (MB) | NoOp RSS (MB) | Edit Fields RSS (MB) | Edit Fields heap (MB) | Beyond Edit Fields: RSS (MB) | heap (MB) | Twice | Never | Execution |',
	);
	lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
	for (const row of rows) {
		const execution = `${row.succeeded ? 'succeeded' : 'failed'}${row.sameShapeSucceeded === false ? ' (Edit Fields failed)' : ''}`;
		lines.push(
			`| ${row.items.toLocaleString('en')} | ${row.run ?? 1} | ${fmt(row.seconds, 1)} | ${fmt((row.seconds * 1e6) / row.items)} | ${fmt(row.peakRssMb)} | ${fmt(row.peakHeapMb)} | ${fmt(row.baselineRssMb)} | ${fmt(row.sameShapeRssMb)} | ${fmt(row.sameShapeHeapMb)} | ${fmt(row.peakRssMb - row.sameShapeRssMb)} | ${fmt(row.peakHeapMb - row.sameShapeHeapMb)} | ${row.twice} | ${row.never} | ${execution} |`,
		);
	}
}

/** The minutes a number of calls takes at a number of calls per minute, as "2 h 47 min". */
function duration(calls, perMinute) {
	const minutes = calls / perMinute;
	if (minutes < 1) return `${Math.round(minutes * 60)} s`;
	const hours = Math.floor(minutes / 60);
	return hours > 0 ? `${hours} h ${Math.round(minutes - hours * 60)} min` : `${minutes.toFixed(1)} min`;
}

/** Several executions at once in one n8n against a rate-limited flow server. */
function renderConcurrent(rows, lines) {
	const { executions, contacts } = rows[0];
	lines.push('');
	lines.push(
		`**Several executions at once** (${executions} webhook calls of ${contacts} contacts each, posted together to one n8n; the flow server admits 100 calls a second and answers 429 with Retry-After beyond). The SMASHSEND node's executions share one pace (Rate Limit, 429 pause, learned pace). Flow runs a second: from the first accepted call to the last.`,
	);
	lines.push('');
	lines.push('| Client | Calls | 429s | Flows started | Twice | Never | Flow runs/s |');
	lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
	for (const row of rows) {
		lines.push(
			`| ${row.variant} | ${row.requests} | ${row.refused} (${fmt((100 * row.refused) / row.requests)}%) | ${row.delivered} | ${row.twice} | ${row.never} | ${fmt(row.delivered / row.seconds)} |`,
		);
	}
}

/** Contacts upserted one call per contact against in batches, under the same calls-per-minute limit. */
function renderRest(rows, lines) {
	const [single, batched] = rows;
	const { items, ratePerMinute } = single;
	lines.push('');
	lines.push(
		`**Contacts → Create or Update: one call per contact against batches** (${items.toLocaleString('en')} contacts; the emulator admits ${ratePerMinute} REST calls a minute and answers 429 beyond; the node's Rate Limit set to the same). Time is the node's own execution time from n8n's run data. "Twice" counts contacts sent again after a call that went through; "Same contacts" compares what SMASHSEND holds afterwards with the one-call-per-contact run, field for field. The last column is what the calls per contact mean at SMASHSEND's free-plan limit.`,
	);
	lines.push('');
	lines.push(
		'| Way | Time (s) | Calls | 429s | Contacts saved | Twice | Never | Same contacts | Execution | At 60 calls/min, 10,000 contacts |',
	);
	lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |');
	for (const row of rows) {
		const callsFor10k = (row.calls / row.items) * 10_000;
		lines.push(
			`| ${row.variant} | ${fmt(row.seconds, 1)} | ${row.calls} | ${row.refused} | ${row.delivered} | ${row.twice} | ${row.never} | ${row.sameAsSingle ? 'yes' : '**no**'} | ${outcome(row)} | ${duration(callsFor10k, 60)} |`,
		);
	}
	if (batched) {
		lines.push('');
		lines.push(
			`Batches: **${fmt(single.calls / batched.calls, 1)}× fewer calls** and **${fmt(single.seconds / batched.seconds, 1)}× less time** than one call per contact.`,
		);
	}
}

/** Grouped horizontal bars: delivered items per second, per client, per server setting. */
function renderSvg(report) {
	const rowHeight = 18;
	const groupGap = 34;
	const labelWidth = 330;
	const barWidth = 420;
	const width = labelWidth + barWidth + 90;
	const colors = { smashsend: '#F97316', http: '#6B7280', raw: '#2563EB' };
	const max = Math.max(...report.rows.map((r) => speeds(r).goodput).filter(Number.isFinite), 1);
	const parts = [];
	let y = 40;
	for (const server of report.servers) {
		parts.push(`<text x="10" y="${y}" font-weight="bold">${escape(server.label)}</text>`);
		y += 10;
		for (const row of report.rows.filter((r) => r.server === server.name)) {
			const goodput = speeds(row).goodput;
			const w = Number.isFinite(goodput) ? Math.max(1, (goodput / max) * barWidth) : 0;
			parts.push(`<text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end">${escape(row.variant)}</text>`);
			parts.push(
				`<rect x="${labelWidth}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowHeight - 4}" fill="${colors[row.kind] ?? '#999'}"/>`,
			);
			const note = row.succeeded ? '' : row.stopped ? ' (stopped)' : ' (failed)';
			parts.push(`<text x="${labelWidth + w + 6}" y="${y + 13}">${fmt(goodput)}/s${note}</text>`);
			y += rowHeight;
		}
		y += groupGap - 10;
	}
	const height = y + 10;
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
		`<rect width="100%" height="100%" fill="#fff"/>`,
		`<text x="10" y="20" font-size="14" font-weight="bold">Delivered items per second, ${report.items.toLocaleString('en')} items (n8n ${escape(report.n8n)})</text>`,
		...parts,
		'</svg>',
		'',
	].join('\n');
}

function escape(text) {
	return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

module.exports = { renderMarkdown, renderSvg };
