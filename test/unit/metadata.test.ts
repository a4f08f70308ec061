import pkg from '../../package.json';
import { SmashsendApi } from '../../credentials/SmashsendApi.credentials';
import { SmashsendFlowWebhookApi } from '../../credentials/SmashsendFlowWebhookApi.credentials';
import actionCodex from '../../nodes/Smashsend/Smashsend.node.json';
import triggerCodex from '../../nodes/SmashsendTrigger/SmashsendTrigger.node.json';

/** n8n's verification wants one public repository behind the package, its author and its links. */
describe('package metadata', () => {
	const web = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

	it('names a public GitHub repository, and its homepage and issues are there', () => {
		expect(web).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
		expect(pkg.homepage).toBe(`${web}#readme`);
		expect(pkg.bugs.url).toBe(`${web}/issues`);
		expect(pkg.author.name).not.toBe('');
		expect(pkg.author.email).toMatch(/^\S+@\S+$/);
		expect(pkg.license).toBe('MIT');
	});

	it('leads every documentation link of the credentials and nodes to that repository', () => {
		const links = [
			new SmashsendApi().documentationUrl,
			new SmashsendFlowWebhookApi().documentationUrl,
			...[actionCodex, triggerCodex].flatMap((codex) =>
				[...codex.resources.credentialDocumentation, ...codex.resources.primaryDocumentation].map((d) => d.url),
			),
		];
		// The README's sections, or pages of docs/ in the repository (blob/main/docs/…).
		for (const link of links) expect(link).toMatch(new RegExp(`^${web.replace(/[.]/g, '\\.')}(#|/blob/main/docs/[\\w-]+\\.md(#|$))`));
	});

	it('is released with npm run release, and asks npm for provenance, which a laptop cannot give', () => {
		// scripts/check-package.mjs runs a plain npm publish and sees it refused.
		expect(pkg.scripts.release).toBe('n8n-node release');
		expect(pkg.publishConfig.provenance).toBe(true);
	});
});
