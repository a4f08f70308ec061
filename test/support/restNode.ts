import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { SmashsendApi } from '../../credentials/SmashsendApi.credentials';
import type { createEmulator } from '../../emulator/server';
import { Smashsend } from '../../nodes/Smashsend/Smashsend.node';
import { executeContext, type ContextOptions } from './executeContext';
import { authenticatedHttpRequest, type N8nLine } from './n8nHttp';

/** The emulator's keys. */
export const EDITOR = 'sk_live_emulator_editor';
export const VIEWER = 'sk_live_emulator_viewer';

export type RestRunOptions = Omit<ContextOptions, 'credentials'> & { apiKey?: string; line?: N8nLine };

/**
 * The SMASHSEND node run against the emulator's REST API the way n8n runs it: execute() with a
 * SMASHSEND API credential, over HTTP through n8n's request helper (as `line` has it). The
 * Options default to no Rate Limit (tests would otherwise wait a second per call at SMASHSEND's
 * documented 60 a minute); `defaults` are a test file's own (a node version, a resource).
 */
export function restNode(
	emulator: ReturnType<typeof createEmulator>,
	defaults: { typeVersion?: number; parameters?: IDataObject } = {},
): {
	run(options: RestRunOptions): Promise<INodeExecutionData[]>;
	failure(options: RestRunOptions): Promise<Error & { description?: string; httpCode?: string | null }>;
} {
	const run = async (options: RestRunOptions): Promise<INodeExecutionData[]> => {
		const credentials = { apiKey: options.apiKey ?? EDITOR, baseUrl: `${emulator.url}/v1/` };
		const context = executeContext({
			...(defaults.typeVersion !== undefined ? { typeVersion: defaults.typeVersion } : {}),
			...options,
			parameters: { ...defaults.parameters, options: { rateLimit: 0 }, ...options.parameters },
			credentials,
			httpRequestWithAuthentication: authenticatedHttpRequest(new SmashsendApi().authenticate, credentials, options.line),
		});
		const [output] = await new Smashsend().execute.call(context);
		return output;
	};
	const failure = async (options: RestRunOptions) =>
		await run(options).then(
			() => {
				throw new Error('expected the node to throw');
			},
			(error: Error & { description?: string; httpCode?: string | null }) => error,
		);
	return { run, failure };
}

/** Contacts created in the emulator, as SMASHSEND's API would; their ids by email. */
export function seedContacts(
	emulator: ReturnType<typeof createEmulator>,
	people: Array<{ email: string; firstName?: string; lastName?: string }>,
): Map<string, string> {
	emulator.rest.seedContacts(people);
	const ids = new Map<string, string>();
	for (const person of people) {
		const id = emulator.rest.contacts.find((c) => c.properties.email === person.email)?.id;
		if (id) ids.set(person.email, id);
	}
	return ids;
}

/** A resource locator's value as n8n stores it. */
export const locator = (mode: string, value: unknown) => ({ __rl: true, mode, value });

/** The json of each output item. */
export const json = (items: INodeExecutionData[]) => items.map((item) => item.json);
