import { Smashsend } from '../../nodes/Smashsend/Smashsend.node';
import { SmashsendTrigger } from '../../nodes/SmashsendTrigger/SmashsendTrigger.node';
import { operationsTable, tableIn } from '../../scripts/operationsTable';
import { join, read, ROOT } from '../support/files';

describe("the README's table of operations", () => {
	it("says what the nodes' descriptions say (after changing an operation: npm run docs:operations)", () => {
		const readme = read(join(ROOT, 'README.md'));
		expect(tableIn(readme)).toBe(operationsTable(new Smashsend().description, new SmashsendTrigger().description));
	});
});
