import { chromium, selectors, type Browser, type Page } from 'playwright-core';

import { createEmulator } from '../../emulator/server';
import { N8nSession, packPackage } from '../../n8n-runtime/session';
import { apiCredential } from '../support/e2eCredentials';
import { join, list, read, repositoryFiles, ROOT } from '../support/files';
import { chromiumPath, screenshotsDir } from '../support/editorSetup';

/**
 * The node as users meet it: n8n's editor in headless Chromium, with the packed package
 * installed. The screenshots it takes are the ones the README shows.
 */

const SHOTS = screenshotsDir();
const FLOW = { flowId: 'flw_editor', workspaceId: 'wrk_editor' };
const emulator = createEmulator({ flows: [FLOW] });
let session: InstanceType<typeof N8nSession>;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

const pinnedWorkflow = {
	id: 'editorPinned0001',
	name: 'SMASHSEND editor check',
	nodes: [
		{ id: 'ed-1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'ed-2',
			name: 'SMASHSEND',
			type: 'n8n-nodes-smashsend.smashsend',
			typeVersion: 1,
			position: [260, 0],
			parameters: { resource: 'flow', operation: 'trigger', email: '={{ $json.email }}', options: {} },
			credentials: { smashsendFlowWebhookApi: { id: 'editorCred', name: 'SMASHSEND flow webhook' } },
		},
	],
	connections: { Start: { main: [[{ node: 'SMASHSEND', type: 'main', index: 0 }]] } },
	active: false,
	settings: { executionOrder: 'v1' },
	pinData: {
		Start: [{ json: { email: 'ada@example.com', firstName: 'Ada' } }, { json: { email: 'grace@example.com', firstName: 'Grace' } }],
	},
};

/** The same node on 30 pinned items: enough calls for Concurrency: Auto to say where it settled. */
const autoWorkflow = {
	...pinnedWorkflow,
	id: 'editorAuto000001',
	name: 'SMASHSEND editor Concurrency: Auto',
	pinData: { Start: Array.from({ length: 30 }, (_, i) => ({ json: { email: `auto${i}@example.com` } })) },
};

/** A workflow with only a manual trigger: the nodes panel then offers action nodes. */
const blankWorkflow = {
	id: 'editorBlank00001',
	name: 'SMASHSEND editor start',
	nodes: [{ id: 'eb-1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
	connections: {},
	active: false,
	settings: { executionOrder: 'v1' },
	pinData: {},
};

/** Another, for the Contact picker: the steps before may have left nodes on the first (n8n saves as you go). */
const contactWorkflow = { ...blankWorkflow, id: 'editorContact001', name: 'SMASHSEND editor Contact picker' };

/** For Email → Send and Create or Update: a customer pinned on the trigger, so that executing the node has an item. */
const pickersWorkflow = {
	...blankWorkflow,
	id: 'editorPickers001',
	name: 'SMASHSEND editor template, sender and custom properties',
	pinData: { Start: [{ json: { email: 'ada@example.com', firstName: 'Ada' } }] },
};
const propertiesWorkflow = { ...pickersWorkflow, id: 'editorProps00001', name: 'SMASHSEND editor custom properties' };
const failingListWorkflow = { ...pickersWorkflow, id: 'editorListFail01', name: 'SMASHSEND editor list that fails' };
const propertyDeleteWorkflow = { ...pickersWorkflow, id: 'editorPropDel001', name: 'SMASHSEND editor Property picker' };
const formWorkflow = { ...pickersWorkflow, id: 'editorFormSub001', name: 'SMASHSEND editor form sign-up' };
const broadcastWorkflow = { ...pickersWorkflow, id: 'editorBroadcast1', name: 'SMASHSEND editor Broadcast picker' };

/** The open node's resource locator `name`: its input, to click for the list. */
const locatorInput = (name: string) => page.getByTestId('ndv').getByTestId(`resource-locator-${name}`).getByTestId('rlc-input');

/** An option of the dropdown open now, by its exact text (n8n draws dropdowns at the end of the page). */
const option = (text: string) => page.getByText(text, { exact: true }).last();

/** A field of the open node's resource mapper, by its label: the field's row. */
const mapperField = (label: string) =>
	page.getByTestId('ndv').getByTestId('mapping-fields-container').locator('.parameter-item').filter({ hasText: label }).first();

/** On a blank workflow, the nodes panel searched for SMASHSEND: the SMASHSEND item. */
async function searchNodesPanel(workflowId = blankWorkflow.id) {
	await page.goto(`/workflow/${workflowId}`);
	await page.getByTestId('canvas-handle-plus').first().click();
	await page.getByTestId('node-creator-search-bar').fill('SMASHSEND');
	return page.getByTestId('node-creator-item-name').getByText('SMASHSEND', { exact: true });
}

/** In the open node, adds an option to Options by its label: the option's input. */
async function addOption(label: string, name: string) {
	const ndv = page.getByTestId('ndv');
	await ndv.getByText('Add option').or(ndv.getByPlaceholder('Add option')).first().click();
	await page.getByText(label, { exact: true }).first().click();
	const field = ndv.getByTestId(`parameter-input-${name}`).locator('input').first();
	await field.waitFor();
	return field;
}

/**
 * A picture of the editor at rest, for the docs (docs/screenshots/<name>.png with npm run
 * screenshots): no toast in the way, every animation and transition finished (a panel mid-slide,
 * a button mid-fade), no text caret.
 */
async function shot(name: string, clip?: { x: number; y: number; width: number; height: number }) {
	for (const close of await page.locator('.el-notification__closeBtn').all()) await close.click().catch(() => undefined);
	await page
		.locator('.el-notification')
		.first()
		.waitFor({ state: 'hidden', timeout: 5000 })
		.catch(() => undefined);
	await page
		.waitForFunction('document.getAnimations().every((animation) => animation.playState !== "running")', undefined, { timeout: 5000 })
		.catch(() => undefined);
	await page.screenshot({ path: `${SHOTS}/${name}.png`, animations: 'disabled', caret: 'hide', ...(clip ? { clip } : {}) });
}

/** Contacts in the emulator's workspace, created through its API as SMASHSEND's would be. */
async function seedContacts(people: Array<{ email: string; firstName?: string; lastName?: string }>) {
	for (const properties of people) {
		const response = await fetch(`${emulator.url}/v1/contacts`, {
			method: 'POST',
			headers: { authorization: `Bearer ${apiCredential(emulator.url).data.apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ properties }),
		});
		expect(response.ok).toBe(true);
	}
}

beforeAll(async () => {
	await emulator.start();
	session = new N8nSession();
	session.installPackage(packPackage());
	await session.importCredentials([
		{
			id: 'editorCred',
			// Named as a user would name it: the pictures show it.
			name: 'SMASHSEND flow webhook',
			type: 'smashsendFlowWebhookApi',
			data: { webhookUrl: emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId) },
		},
		// Both credential types, as users who use flows and contacts have: adding Trigger a Flow must stay on Flow.
		{ ...apiCredential(emulator.url), name: 'SMASHSEND account' },
	]);
	await session.importWorkflow(pinnedWorkflow);
	await session.importWorkflow(blankWorkflow);
	await session.importWorkflow(contactWorkflow);
	await session.importWorkflow(autoWorkflow);
	await session.importWorkflow(pickersWorkflow);
	await session.importWorkflow(propertiesWorkflow);
	await session.importWorkflow(failingListWorkflow);
	await session.importWorkflow(propertyDeleteWorkflow);
	await session.importWorkflow(formWorkflow);
	await session.importWorkflow(broadcastWorkflow);
	await session.startEditor();
	const cookie = await session.setupOwner({
		email: 'editor@example.com',
		firstName: 'Editor',
		lastName: 'Test',
		password: 'Editor-pass-123',
	});
	const [name, value] = cookie.split('=');

	selectors.setTestIdAttribute('data-test-id');
	browser = await chromium.launch({
		executablePath: chromiumPath(),
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	const base = `http://127.0.0.1:${session.port}`;
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: base });
	await context.addCookies([{ name, value, url: base }]);
	page = await context.newPage();
	page.on('console', (message) => {
		if (message.type() === 'error') consoleErrors.push(message.text());
	});
	page.on('pageerror', (error) => consoleErrors.push(error.message));
});

afterAll(async () => {
	await browser?.close();
	await session?.stop();
	await emulator.stop();
});

describe(`SMASHSEND in n8n's editor`, () => {
	it('takes every picture the docs show, and only those: each one shown, each one shown there', () => {
		const pages = ['README.md', ...repositoryFiles().filter((file) => /^docs\/[^/]+\.md$/.test(file))];
		const shown = new Set(pages.flatMap((file) => [...read(join(ROOT, file)).matchAll(/screenshots\/([a-z-]+)\.png/g)].map((m) => m[1])));
		const taken = new Set([...read(join(ROOT, 'test/editor/editor.test.ts')).matchAll(/await shot\(\s*'([a-z-]+)'/g)].map((m) => m[1]));
		const kept = list(join(ROOT, 'docs/screenshots')).map((file) => file.replace(/\.png$/, ''));
		expect([...shown].sort()).toEqual([...taken].sort());
		expect(kept).toEqual([...taken].sort());
	});

	it('on an empty canvas the nodes panel offers the SMASHSEND Trigger, which shows its events', async () => {
		await page.goto('/workflow/new');
		await page.getByTestId('canvas-add-button').click();
		await page.getByTestId('node-creator-search-bar').fill('SMASHSEND');
		await page.getByText('Starts the workflow when contacts change in SMASHSEND').waitFor();
		await page.getByTestId('node-creator-item-name').getByText('SMASHSEND', { exact: true }).click();
		// n8n lists one trigger per event of the multi-options parameter.
		await page.getByText('On contact unsubscribed', { exact: true }).waitFor();
		await page.getByText('On workspace sending paused', { exact: true }).waitFor();
		await page.getByText('On contact created', { exact: true }).click();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		await ndv.getByText('Events', { exact: true }).first().waitFor();
		await ndv.getByText('Contact Created', { exact: true }).first().waitFor();
		await ndv.getByText('Only deliveries signed by SMASHSEND', { exact: false }).first().waitFor();
		await shot('trigger-node');
		await page.keyboard.press('Escape');
	});

	it('after a trigger, the nodes panel finds SMASHSEND with its icon and its actions', async () => {
		const item = await searchNodesPanel();
		await item.waitFor();
		const icon = page.getByTestId('node-creator').locator('img[src*="smashsend"]').first();
		await icon.waitFor();
		await item.click();
		for (const action of [
			'Trigger a flow',
			'Create or update a contact',
			'Create a contact property',
			'Send an event',
			'Send a transactional email',
		]) {
			await page.getByText(action, { exact: true }).first().waitFor();
		}
		await shot('nodes-panel');
	});

	it('adding it shows the parameters with their labels, hints and defaults', async () => {
		await page.getByText('Trigger a flow', { exact: true }).click();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		for (const label of ['Email', 'Data to Send', 'Options']) await ndv.getByText(label, { exact: true }).first().waitFor();
		await ndv.getByText('{{ $json.email }}').first().waitFor();
		await ndv.getByText("The Email above is always sent as 'email'", { exact: false }).first().waitFor();
		const values = await ndv.locator('input').evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value: string }).value));
		expect(values).toContain('All Input Fields');
		// The picture shows the parameters, before the Options list opens over them.
		await shot('parameters');
		await ndv.getByText('Add option').or(ndv.getByPlaceholder('Add option')).first().click();
		for (const option of ['Concurrency', 'Rate Limit', 'Retries and Timeout', 'When Unsure If the Flow Started']) {
			await page.getByText(option, { exact: true }).first().waitFor();
		}
		// Version 3 keeps Max Retries, Max Wait per Retry and Timeout inside Retries and Timeout.
		expect(await page.getByText('Max Retries', { exact: true }).count()).toBe(0);
		await page.keyboard.press('Escape');
	});

	it('the credential dialog rejects a malformed URL with its message and accepts the emulator through the test', async () => {
		const ndv = page.getByTestId('ndv');
		await ndv.getByTestId('node-credentials-select').click();
		await page.getByText('Create new credential').click();
		const modal = page.getByTestId('editCredential-modal');
		await modal.waitFor();
		await modal.getByText('Webhook URL', { exact: false }).first().waitFor();
		const url = modal.getByTestId('credential-connection-parameter').locator('input').first();
		await url.fill('https://api.smashsend.com/v1/flows/flw_x/call');
		await modal.getByTestId('credential-save-button').click();
		await modal.getByText(/Couldn.t connect with these settings/).waitFor();
		await modal.getByText('More details').click();
		await modal.getByText('does not end in /v1/flows/{flowId}/{workspaceId}/call', { exact: false }).waitFor();
		await shot('credential-rejected');
		emulator.reset();
		await url.fill(emulator.webhookUrl(FLOW.flowId, FLOW.workspaceId));
		await modal.getByTestId('credential-save-button').click();
		// n8n closes the dialog once the credential test passes.
		await modal.waitFor({ state: 'hidden' });
		await page.getByText('Credential saved').first().waitFor();
		expect(emulator.received.map((r) => r.status)).toEqual([400]);
		expect(emulator.accepted).toHaveLength(0);
	});

	it('executing on pinned sample items shows each flowRunId in the output panel', async () => {
		emulator.reset();
		await page.goto(`/workflow/${pinnedWorkflow.id}`);
		// On the canvas, the node (named SMASHSEND) says what it does in words: its subtitle.
		const onCanvas = page.getByTestId('canvas-node').filter({ hasText: 'SMASHSEND' }).filter({ hasText: 'Trigger a flow' }).first();
		await onCanvas.waitFor();
		// The canvas fades in: for the picture only, let it settle.
		await page.waitForTimeout(600);
		const box = await onCanvas.boundingBox();
		await shot(
			'canvas',
			box ? { x: Math.max(0, box.x - 330), y: Math.max(0, box.y - 60), width: box.width + 480, height: box.height + 140 } : undefined,
		);
		await page.getByTestId('canvas-node').filter({ hasText: 'SMASHSEND' }).dblclick();
		const ndv = page.getByTestId('ndv');
		await ndv.getByTestId('node-execute-button').click();
		await page.getByTestId('output-panel').getByText('flowRunId').first().waitFor();
		expect(emulator.accepted).toHaveLength(2);
		await page.getByTestId('output-panel').getByText(String(emulator.accepted[0].flowRunId)).first().waitFor();
		await shot('output');
	});

	it('Concurrency is Auto (0) by default, and when SMASHSEND pushes back the output panel says where Auto settled', async () => {
		emulator.reset();
		// A flow server admitting 10 calls a second: 30 items meet its 429s.
		emulator.setRateLimit(10);
		await page.goto(`/workflow/${autoWorkflow.id}`);
		await page.getByTestId('canvas-node').filter({ hasText: 'SMASHSEND' }).dblclick();
		const ndv = page.getByTestId('ndv');
		const field = await addOption('Concurrency', 'concurrency');
		expect(await field.inputValue()).toBe('0');
		await ndv.getByText('0 is Auto: the node finds out how many SMASHSEND can take').first().waitFor();
		await ndv.getByTestId('node-execute-button').click();
		await page
			.getByTestId('output-panel')
			.getByText(/Concurrency: Auto settled at \d+ calls at once/)
			.first()
			.waitFor();
		expect(emulator.accepted).toHaveLength(30);
		await shot('concurrency-auto');
		emulator.setRateLimit(0);
		await page.keyboard.press('Escape');
	});

	it('Create or Update offers Batch Size among its Options, at 100', async () => {
		await (await searchNodesPanel()).click();
		await page.getByText('Create or update a contact', { exact: true }).first().click();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		const field = await addOption('Batch Size', 'batchSize');
		expect(await field.inputValue()).toBe('100');
		// The settings few users change, together in one option, at their defaults.
		await addOption('Retries and Timeout', 'maxRetries');
		const setting = (name: string) => ndv.getByTestId(`parameter-input-${name}`).locator('input').first();
		expect(await setting('maxRetries').inputValue()).toBe('5');
		expect(await setting('maxRetryWait').inputValue()).toBe('60');
		expect(Number(await setting('timeoutSeconds').inputValue())).toBe(30);
		await setting('timeoutSeconds').scrollIntoViewIfNeeded();
		await shot('retries-and-timeout');
		await page.keyboard.press('Escape');
	});

	it('Contact → Get: the contact is picked from SMASHSEND’s list, searched, and got', async () => {
		emulator.reset();
		await seedContacts([
			{ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
			{ email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' },
			{ email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing' },
		]);
		await (await searchNodesPanel(contactWorkflow.id)).click();
		await page.getByText('Get a contact', { exact: true }).first().click();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		await ndv.getByText('Simplify', { exact: true }).first().waitFor();
		await ndv.getByTestId('rlc-input').first().click();
		// n8n draws the list outside the panel.
		await page.getByText('ada@example.com (Ada Lovelace)').waitFor();
		await page.getByText('alan@example.com (Alan Turing)').waitFor();
		await shot('contact-picker');
		// The list's search field has the focus: typing searches SMASHSEND.
		await page.keyboard.type('hopper');
		await page.getByText('ada@example.com (Ada Lovelace)').waitFor({ state: 'hidden' });
		expect(await page.getByText('alan@example.com (Alan Turing)').count()).toBe(0);
		// n8n filters what it has at once, and asks SMASHSEND after a pause in the typing.
		const searched = () =>
			emulator.received.some((r) => r.method === 'GET' && r.path === '/v1/contacts' && r.query.includes('search=hopper'));
		for (let waited = 0; !searched() && waited < 10_000; waited += 200) await page.waitForTimeout(200);
		expect(searched()).toBe(true);
		// n8n redraws the list when SMASHSEND's answer comes: pick from the list as it then is.
		await page.waitForTimeout(500);
		await page.getByText('grace@example.com (Grace Hopper)').click();
		// The picked contact shows in the field.
		await expect(
			ndv
				.getByTestId('rlc-input')
				.first()
				.evaluate((el) => el.outerHTML),
		).resolves.toContain('grace@example.com (Grace Hopper)');
		await ndv.getByTestId('node-execute-button').click();
		const output = page.getByTestId('output-panel');
		await output.getByText('grace@example.com').first().waitFor();
		await output.getByText('Hopper').first().waitFor();
		// The pick is SMASHSEND's id for it: Get takes it.
		const grace = emulator.rest.contacts.find((c) => c.properties.email === 'grace@example.com')?.id;
		expect(emulator.received.filter((r) => r.method === 'GET' && r.path === `/v1/contacts/${String(grace)}`)).toHaveLength(1);
		await shot('contact-picked');
		await page.keyboard.press('Escape');
	});

	it('Email → Send: From from the verified senders, the template from SMASHSEND’s list, its variables as fields', async () => {
		emulator.reset();
		await (await searchNodesPanel(pickersWorkflow.id)).click();
		await page.getByText('Send a transactional email', { exact: true }).first().click();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		// HTML and Text first: From is a picker of the workspace's verified senders.
		await locatorInput('sender').click();
		await page.getByText('hello@acme.example', { exact: true }).waitFor();
		await page.getByText('support@acme.example', { exact: true }).waitFor();
		// A verified domain takes any address: typing a name offers it there.
		await page.keyboard.type('news');
		await page.getByText('news@mail.acme.example (verified domain)').waitFor();
		await shot('sender-picker');
		await page.getByText('news@mail.acme.example (verified domain)').click();
		await expect(locatorInput('sender').evaluate((el) => el.outerHTML)).resolves.toContain('news@mail.acme.example');
		// Content → Template: the template is picked from the list, its variables become fields.
		await ndv.getByTestId('parameter-input-content').click();
		await option('Template').click();
		await locatorInput('emailTemplate').click();
		await page.getByText('Welcome (welcome)', { exact: true }).waitFor();
		// Published templates only: the draft is not offered.
		await page.getByText('Invoice paid (invoice-paid)', { exact: true }).waitFor();
		await expect(page.getByText('Winter promo (winter-promo)', { exact: false }).count()).resolves.toBe(0);
		await shot('template-picker');
		// Typing searches the templates' names and titles.
		await page.keyboard.type('welc');
		await page.getByText('Password reset (password-reset)', { exact: true }).waitFor({ state: 'hidden' });
		await page.getByText('Welcome (welcome)', { exact: true }).click();
		await mapperField('firstName (default: there)').waitFor();
		await mapperField('plan (default: free)').waitFor();
		const firstName = mapperField('firstName (default: there)').locator('input, textarea').first();
		await firstName.click();
		await firstName.fill('Ada');
		await page.keyboard.press('Tab');
		await shot('template-variables');
		// New nodes (version 3) keep Other Variables (JSON) among a template email's additional fields.
		await ndv.getByText('Add field', { exact: true }).or(ndv.getByPlaceholder('Add field')).first().click();
		await page.getByText('Other Variables (JSON)', { exact: true }).first().click();
		await ndv.getByTestId('parameter-input-otherVariables').first().waitFor();
		await ndv.getByTestId('node-execute-button').click();
		await page.getByTestId('output-panel').getByText('SENT').first().waitFor();
		expect(emulator.rest.emails).toHaveLength(1);
		expect(emulator.rest.emails[0]).toMatchObject({ to: 'ada@example.com', template: 'welcome', variables: { firstName: 'Ada' } });
		expect(emulator.rest.emails[0].variables).not.toHaveProperty('plan');
		await page.keyboard.press('Escape');
	});

	it('Contact → Create or Update: custom properties are added as fields of their type, a select with its options', async () => {
		emulator.reset();
		await (await searchNodesPanel(propertiesWorkflow.id)).click();
		await page.getByText('Create or update a contact', { exact: true }).first().click();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		const add = ndv.getByTestId('add-fields-select');
		await add.click();
		await option('Plan').click();
		await mapperField('Plan').waitFor();
		await mapperField('Plan').locator('input').first().click();
		await option('pro').waitFor();
		await option('team').waitFor();
		await option('pro').click();
		await add.click();
		await option('Seats').click();
		const seats = mapperField('Seats').locator('input').first();
		await seats.click();
		await seats.fill('3');
		await page.keyboard.press('Tab');
		await ndv.getByTestId('node-execute-button').click();
		await page.getByTestId('output-panel').getByText('ada@example.com').first().waitFor();
		expect(emulator.rest.contacts).toHaveLength(1);
		expect(emulator.rest.contacts[0].properties).toMatchObject({ email: 'ada@example.com', plan: 'pro', seats: 3 });
		await shot('custom-properties');
		await page.keyboard.press('Escape');
	});

	it("Form → Submit: the form's questions, read from it by its public key, as fields of their type", async () => {
		emulator.reset();
		await (await searchNodesPanel(formWorkflow.id)).click();
		await page.getByText('Submit a form', { exact: true }).first().click();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		const key = ndv.getByTestId('parameter-input-formKey').locator('input').first();
		await key.fill('pk_your_form_key');
		await page.keyboard.press('Tab');
		// The form's questions but its email (the Email parameter's), each with its label.
		await mapperField('First name').waitFor();
		await mapperField('Role').waitFor();
		const firstName = mapperField('First name').locator('input').first();
		await firstName.click();
		await firstName.fill('Ada');
		await mapperField('Role').locator('input').first().click();
		await option('Founder').click();
		await page.keyboard.press('Tab');
		await ndv.getByTestId('node-execute-button').click();
		await page.getByTestId('output-panel').getByText('PENDING').first().waitFor();
		expect(emulator.rest.forms.entries.map((e) => [e.email, e.answers])).toEqual([
			['ada@example.com', { firstName: 'Ada', role: 'founder' }],
		]);
		await shot('form-answers');
		await page.keyboard.press('Escape');
	});

	it('Broadcast → Schedule: the draft is picked from SMASHSEND’s list of broadcasts, and scheduled', async () => {
		emulator.reset();
		const draft = async (subject: string) => {
			const response = await fetch(`${emulator.url}/v1/broadcasts`, {
				method: 'POST',
				headers: { authorization: `Bearer ${apiCredential(emulator.url).data.apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({ subject, fromEmail: 'news@acme.example', html: '<p>Hi</p>', audience: { all: true } }),
			});
			return ((await response.json()) as { broadcast: { id: string } }).broadcast.id;
		};
		await draft('Spring sale');
		const weekly = await draft('Weekly #42');
		await (await searchNodesPanel(broadcastWorkflow.id)).click();
		await page.getByText('Schedule a broadcast', { exact: true }).first().click();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		await locatorInput('broadcast').click();
		await page.getByText('Spring sale (draft)', { exact: true }).waitFor();
		await shot('broadcast-picker');
		await page.getByText('Weekly #42 (draft)', { exact: true }).click();
		await ndv.getByTestId('node-execute-button').click();
		await page.getByTestId('output-panel').getByText('SENDING').first().waitFor();
		expect(emulator.rest.broadcasts.items.map((b) => [b.id, b.status])).toEqual([
			[expect.any(String), 'DRAFT'],
			[weekly, 'SENDING'],
		]);
		await page.keyboard.press('Escape');
	});

	it('Contact Property → Delete: the property is picked from SMASHSEND’s list, and deleted', async () => {
		emulator.reset();
		await (await searchNodesPanel(propertyDeleteWorkflow.id)).click();
		await page.getByText('Delete a contact property', { exact: true }).first().click();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		await locatorInput('property').click();
		await page.getByText('Plan (plan)', { exact: true }).waitFor();
		await page.getByText('Seats (seats)', { exact: true }).click();
		await expect(locatorInput('property').evaluate((el) => el.outerHTML)).resolves.toContain('Seats (seats)');
		const seats = emulator.rest.properties.find((p) => p.apiSlug === 'seats');
		await ndv.getByTestId('node-execute-button').click();
		await page.getByTestId('output-panel').getByText('deleted').first().waitFor();
		// The pick is SMASHSEND's id for the property: Delete takes it.
		expect(emulator.received.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
			`/v1/contact-properties/${String(seats?.id ?? 'prop_seats')}`,
		]);
		expect(emulator.rest.properties.map((p) => p.apiSlug)).not.toContain('seats');
		await page.keyboard.press('Escape');
	});

	it("logs no console error from the node's description", () => {
		expect(consoleErrors.filter((text) => /smashsend/i.test(text))).toEqual([]);
	});

	// Last: the refused list is an error the browser logs, which the check above must not see.
	it('a list SMASHSEND refuses says why in the dropdown, without the key, and the editor goes on', async () => {
		emulator.reset();
		emulator.addFaults([
			{ path: 'GET /v1/contacts', status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'Invalid API key' } }, times: 20 },
		]);
		await (await searchNodesPanel(failingListWorkflow.id)).click();
		await page.getByText('Get a contact', { exact: true }).first().click();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		await locatorInput('contact').click();
		const message = page.getByText('SMASHSEND did not list the contacts: Invalid API key').first();
		await message.waitFor();
		await shot('picker-error');
		expect(await page.content()).not.toContain(apiCredential(emulator.url).data.apiKey);
		await page.keyboard.press('Escape');
		// The editor still works: the node's other parameters are there.
		await ndv.getByText('Simplify', { exact: true }).first().waitFor();
		await page.keyboard.press('Escape');
	});
});
