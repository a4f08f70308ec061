import type { IExecuteFunctions } from 'n8n-workflow';

import { SmashsendApi } from '../../../credentials/SmashsendApi.credentials';
import { Smashsend } from '../../../nodes/Smashsend/Smashsend.node';
import { executeContext } from '../../support/executeContext';
import { read, join, ROOT } from '../../support/files';
import { authenticatedHttpRequest } from '../../support/n8nHttp';
import { useRestEmulator } from '../../support/restEmulator';
import { EDITOR, locator } from '../../support/restNode';

/**
 * One item's way through the code, measured, not told: CONTRIBUTING.md ("One item's way")
 * shows the package's functions on the call stack when an item of Contact Property → Delete
 * reaches n8n, once while it is prepared (its Property parameter read) and once while it is
 * sent (n8n's request helper called). This test takes both stacks from a real run against the
 * emulator and fails when the page's block is not what the code does, or when either way is
 * longer than 15 calls (issue 39's aim).
 */

const emulator = useRestEmulator();
const MOST_CALLS = 15;

/** The package's functions on a stack, outermost (n8n's call of execute) first: "function  file" (below nodes/). */
function packageFrames(stack: string): string[] {
	return stack
		.split('\n')
		.map((line) => /^\s+at (?:async )?(?:(\S+) \()?(\/[^():]+\.ts):\d+:\d+\)?$/.exec(line))
		.filter((frame): frame is RegExpExecArray => frame !== null && frame[2].startsWith(join(ROOT, 'nodes/')))
		.map(([, name, file]) => `${(name ?? '(anonymous)').replace(/^Object\./, '').padEnd(15)} ${file.slice(join(ROOT, 'nodes/').length)}`)
		.reverse();
}

/** The block CONTRIBUTING.md must hold: both ways, a function a line. */
function block(ways: Record<string, string[]>): string {
	const parts = Object.entries(ways).map(([name, frames]) =>
		[`${name} (${frames.length} calls):`, ...frames.map((f) => `  ${f}`)].join('\n'),
	);
	return ['```text', ...parts, '```'].join('\n');
}

it("CONTRIBUTING's item's way is the stack a real item climbs down, each way at most 15 calls", async () => {
	const limit = Error.stackTraceLimit;
	Error.stackTraceLimit = 100;
	try {
		const credentials = { apiKey: EDITOR, baseUrl: `${emulator.url}/v1/` };
		const http = authenticatedHttpRequest(new SmashsendApi().authenticate, credentials);
		const stacks: { preparing?: string; sending?: string } = {};
		const context = executeContext({
			typeVersion: 3,
			items: [{}],
			parameters: { resource: 'contactProperty', operation: 'delete', property: locator('id', 'prop_plan'), options: { rateLimit: 0 } },
			credentials,
			async httpRequestWithAuthentication(this: unknown, type, options) {
				stacks.sending ??= new Error().stack;
				return await http.call(this as never, type, options);
			},
		});
		const getNodeParameter = context.getNodeParameter.bind(context);
		context.getNodeParameter = ((name: string, ...rest: unknown[]) => {
			if (name === 'property') stacks.preparing ??= new Error().stack;
			return (getNodeParameter as (...args: unknown[]) => unknown)(name, ...rest);
		}) as IExecuteFunctions['getNodeParameter'];

		const [output] = await new Smashsend().execute.call(context);

		expect(output.map((item) => item.json)).toEqual([{ deleted: true }]);
		const ways = { preparing: packageFrames(stacks.preparing ?? ''), sending: packageFrames(stacks.sending ?? '') };
		// The outermost is the node's execute(), the innermost the call into n8n: the whole way was seen.
		expect(ways.sending[0]).toMatch(/^execute\s+Smashsend\/Smashsend\.node\.ts$/);
		expect(ways.sending.at(-1)).toMatch(/^restCall\s+shared\/transport\/restApi\.ts$/);
		const expected = block(ways);
		const contributing = read(join(ROOT, 'CONTRIBUTING.md'));
		if (!contributing.includes(expected)) throw new Error(`CONTRIBUTING.md's "One item's way" should show:\n${expected}`);
		for (const frames of Object.values(ways)) expect(frames.length).toBeLessThanOrEqual(MOST_CALLS);
	} finally {
		Error.stackTraceLimit = limit;
	}
});
