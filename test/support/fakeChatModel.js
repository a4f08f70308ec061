// @ts-check
'use strict';

// A small stand-in for an OpenAI-compatible chat completions API (`POST /v1/chat/completions`),
// enough for n8n's OpenAI Chat Model node pointed at it through its credential's Base URL.
// JavaScript, so that TypeScript test files need no Node.js imports (the community lint rules
// forbid them there).
//
// Scripted like an agent conversation: while the conversation has no tool results yet, it
// answers with `toolCalls` (for the tool whose name matches `toolName`); once tool results
// are back, with `finalAnswer`. With `steps`, one step after the other instead (the first while
// its calls have no answers, the second once they all have, …), then `finalAnswer`. Every
// request body is recorded.

const http = require('node:http');

/**
 * @typedef {{ model?: string, stream?: boolean, messages?: Array<{role: string, content?: unknown}>, tools?: Array<{type: string, function: {name: string}}> }} ChatRequest
 * A call may name its own tool (`toolName`), for a step that calls several.
 * @typedef {{ toolName: RegExp, toolCalls: Array<{arguments: Record<string, unknown>, toolName?: RegExp}> }} Step
 * @param {(Step | { steps: Step[] }) & { finalAnswer: string }} script
 */
function createFakeChatModel(script) {
	/** @type {ChatRequest[]} */
	const requests = [];
	let counter = 0;

	/** @param {ChatRequest} request */
	function answer(request) {
		const steps = 'steps' in script ? script.steps : [script];
		// The first step whose calls have not all been answered yet (one tool message per answer).
		const answered = (request.messages ?? []).filter((message) => message.role === 'tool').length;
		let asked = 0;
		const step = steps.find((candidate) => (asked += candidate.toolCalls.length) > answered);
		const tool = step && (request.tools ?? []).find((t) => step.toolName.test(t.function.name));
		const id = `chatcmpl-fake-${++counter}`;
		if (step && tool) {
			const calls = step.toolCalls.map((call, index) => ({
				id: `call_${counter}_${index}`,
				type: 'function',
				function: {
					name:
						(call.toolName && (request.tools ?? []).find((t) => call.toolName?.test(t.function.name)))?.function.name ?? tool.function.name,
					arguments: JSON.stringify(call.arguments),
				},
			}));
			return { id, message: { role: 'assistant', content: null, tool_calls: calls }, finishReason: 'tool_calls' };
		}
		return { id, message: { role: 'assistant', content: script.finalAnswer }, finishReason: 'stop' };
	}

	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
				res.writeHead(404, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { message: `The fake chat model does not serve ${req.method} ${req.url}` } }));
				return;
			}
			/** @type {ChatRequest} */
			const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			requests.push(request);
			const { id, message, finishReason } = answer(request);
			const created = Math.floor(Date.now() / 1000);
			const model = request.model ?? 'gpt-fake';
			if (request.stream) {
				// The same answer as server-sent events: one delta, then the finish reason.
				const delta = message.tool_calls
					? { ...message, tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })) }
					: message;
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				/** @param {object} choice */
				const event = (choice) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [choice] })}\n\n`;
				res.write(event({ index: 0, delta, finish_reason: null }));
				res.write(event({ index: 0, delta: {}, finish_reason: finishReason }));
				res.end('data: [DONE]\n\n');
				return;
			}
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					id,
					object: 'chat.completion',
					created,
					model,
					choices: [{ index: 0, message, finish_reason: finishReason }],
					usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
				}),
			);
		});
	});

	return {
		requests,
		/** The Base URL to put into n8n's OpenAI credential, set by start(). */
		url: '',
		async start() {
			await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
			const address = /** @type {import('node:net').AddressInfo} */ (server.address());
			this.url = `http://127.0.0.1:${address.port}/v1`;
			return this.url;
		},
		async stop() {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

module.exports = { createFakeChatModel };
