import { selectedVersion } from '../../n8n-runtime/install';
import { N8nSession } from '../../n8n-runtime/session';
import { accepts, externalAddresses, occupyPorts } from '../support/ports';

/**
 * The n8n that the tests, the demo and `npm run editor` start must live beside a
 * contributor's own n8n (5678, task broker 5679) and must not be reachable from the network.
 */

let release: () => Promise<void>;
let session: InstanceType<typeof N8nSession>;

beforeAll(async () => {
	release = await occupyPorts([5678, 5679]);
	session = new N8nSession();
});

afterAll(async () => {
	await session?.stop();
	await release?.();
});

it(`n8n ${selectedVersion()} starts beside another n8n on 5678/5679, and answers on 127.0.0.1 only`, async () => {
	expect([5678, 5679]).not.toContain(session.port);
	await session.startEditor();
	const settings = await fetch(`http://127.0.0.1:${session.port}/rest/settings`);
	expect(settings.status).toBe(200);
	for (const address of externalAddresses()) expect(await accepts(address, session.port)).toBe(false);
	// Its task broker (every n8n process starts one) keeps off 5679 as well.
	expect(['5678', '5679']).not.toContain(session.env.N8N_RUNNERS_BROKER_PORT);
});
