import { check, describe as describeWorkflow, runWorkflow } from '../../support/history/history';
import { resources } from '../../../nodes/Smashsend/actions/resources';
import { ALL_KINDS, generate, parametersFor, type Workflow } from '../../support/history/workflows';
import { useRestEmulator } from '../../support/restEmulator';
import { KEPT } from './historyKept';
import { historySeeds } from '../../support/history/seeds';

/**
 * The history checker (test/support/history/): seeded workflows under seeded faults, each checked
 * against the emulator's record. CI runs a fixed list of seeds; more, or one, with
 *
 *     HISTORY_SEEDS=3000 npx jest test/integration/runner/history.test.ts --selectProjects integration
 *     HISTORY_SEED=123 npx jest test/integration/runner/history.test.ts --selectProjects integration
 *
 * A seed that fails prints what contradicts what, and the workflow as data: it then becomes a
 * named test in historyKept.ts.
 */

const emulator = useRestEmulator();

const SEEDS = historySeeds();

async function contradictions(workflow: Workflow): Promise<string[]> {
	const story = await runWorkflow(emulator, workflow);
	return check(emulator, story).map((problem) => `seed ${workflow.seed} (${describeWorkflow(workflow)}): ${problem}`);
}

describe('the history checker', () => {
	it(`${SEEDS.length} seeded workflows under seeded faults: every contact ends with its last saved item's data, every event, email and flow run once, every item truthful`, async () => {
		const problems: string[] = [];
		const failed: Workflow[] = [];
		for (const seed of SEEDS) {
			const workflow = generate(seed);
			const found = await contradictions(workflow);
			if (found.length > 0) failed.push(workflow);
			problems.push(...found);
		}
		if (problems.length > 0) {
			throw new Error(
				`${problems.length} contradictions in ${failed.length} workflows (rerun one with HISTORY_SEED=<seed>):\n${problems.join('\n')}\n\nThe workflows, to keep in historyKept.ts:\n${failed.map((workflow) => JSON.stringify(workflow)).join('\n')}`,
			);
		}
	}, 900_000);

	it.each(KEPT)('kept: %s', async (_name, workflow) => {
		expect(await contradictions(workflow)).toEqual([]);
	});

	it('covers every operation that writes, every kind of workflow, and its faults happen', async () => {
		const writing = resources.flatMap(({ value, operations }) =>
			Object.entries(operations).flatMap(([name, { operation }]) => (operation.isWrite ? [`${value}.${name}`] : [])),
		);
		const checked = ALL_KINDS.map((kind) => `${String(parametersFor(kind).resource)}.${String(parametersFor(kind).operation)}`);
		expect([...new Set(checked)].sort()).toEqual(writing.sort());
		const kinds = new Set(Array.from({ length: 200 }, (_, i) => generate(i + 1).kind));
		expect([...kinds].sort()).toEqual([...ALL_KINDS].sort());
		await runWorkflow(emulator, { ...generate(7), chaos: { seed: 7, rate: 0.4, itemRate: 0.2 } });
		expect(emulator.received.some((r) => r.fault !== undefined)).toBe(true);
	});
});
