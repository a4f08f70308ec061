import type { IDataObject } from 'n8n-workflow';

import { join, read, repositoryFiles, ROOT } from './files';

/**
 * The workflows under examples/: what the README and docs/ show users, each a file they can
 * import. The real-n8n suite runs every one (test/e2e/examples.e2e.test.ts); a unit test holds
 * the docs' examples to them (test/unit/examples.test.ts).
 */

export interface ExampleNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	parameters: IDataObject;
	credentials?: Record<string, { id: string; name: string }>;
}

export interface ExampleWorkflow {
	/** Its path from the repository's root. */
	file: string;
	workflow: { id: string; name: string; nodes: ExampleNode[]; connections: IDataObject };
}

/** Every examples/*.workflow.json, parsed. */
export function examples(): ExampleWorkflow[] {
	return repositoryFiles()
		.filter((file) => /^examples\/[^/]+\.workflow\.json$/.test(file))
		.map((file) => ({ file, workflow: JSON.parse(read(join(ROOT, file))) as ExampleWorkflow['workflow'] }));
}

/** The credentials the examples name, by id: a user picks their own; the tests give these, pointing at the emulator. */
export const EXAMPLE_CREDENTIAL_IDS = ['smashsendApiExample', 'smashsendFlowExample', 'openAiExample'];

export function EXAMPLE_CREDENTIALS(to: { apiBaseUrl: string; flowWebhookUrl: string; chatModelUrl: string }) {
	return [
		{
			id: 'smashsendApiExample',
			name: 'SMASHSEND account',
			type: 'smashsendApi',
			data: { apiKey: 'sk_live_emulator_editor', baseUrl: to.apiBaseUrl },
		},
		{
			id: 'smashsendFlowExample',
			name: 'SMASHSEND flow webhook',
			type: 'smashsendFlowWebhookApi',
			data: { webhookUrl: to.flowWebhookUrl },
		},
		{ id: 'openAiExample', name: 'OpenAI account', type: 'openAiApi', data: { apiKey: 'sk-fake', url: to.chatModelUrl } },
	];
}
