import { installOnce } from '../../n8n-runtime/install';
import { exists, join, list, remove, tempDir, write } from '../support/files';

/** The shared n8n runtime cache: an install is used only when complete, and redone when broken. */
describe('installOnce', () => {
	const built: string[] = [];
	const build = (into: string) => {
		built.push(into);
		write(join(into, 'bin', 'tool'), 'v1');
	};

	it('installs into place once, and reuses a complete install', () => {
		const root = tempDir();
		const dir = join(root, 'n8n-1.0.0');
		installOnce(dir, ['bin/tool'], 'node 24', build);
		installOnce(dir, ['bin/tool'], 'node 24', build);
		expect(built).toHaveLength(1);
		expect(exists(join(dir, '.complete'))).toBe(true);
		expect(list(root)).toEqual(['n8n-1.0.0']);
		remove(root);
	});

	it('redoes an install that was interrupted (no completion mark) or lost a file', () => {
		built.length = 0;
		const root = tempDir();
		const dir = join(root, 'n8n-1.0.0');
		write(join(dir, 'bin', 'tool'), 'half');
		installOnce(dir, ['bin/tool'], 'node 24', build);
		remove(join(dir, 'bin', 'tool'));
		installOnce(dir, ['bin/tool'], 'node 24', build);
		expect(built).toHaveLength(2);
		expect(exists(join(dir, 'bin', 'tool'))).toBe(true);
		remove(root);
	});

	it('redoes an install made for another Node version (its SQLite addon would not load)', () => {
		built.length = 0;
		const root = tempDir();
		const dir = join(root, 'n8n-1.0.0');
		installOnce(dir, ['bin/tool'], 'node 22', build);
		installOnce(dir, ['bin/tool'], 'node 24', build);
		expect(built).toHaveLength(2);
		remove(root);
	});

	it('removes what installs that were killed left behind, and nothing of a live one', () => {
		const root = tempDir();
		const dir = join(root, 'n8n-1.0.0');
		write(join(`${dir}.partial-999999999-abcdef`, 'big'), 'x');
		write(join(`${dir}.partial-1-abcdef`, 'big'), 'x');
		installOnce(dir, ['bin/tool'], 'node 24', build);
		// pid 1 is alive (init); 999999999 cannot be.
		expect(list(root)).toEqual(['n8n-1.0.0', 'n8n-1.0.0.partial-1-abcdef']);
		remove(root);
	});

	it('leaves nothing half-made behind when the install fails', () => {
		const root = tempDir();
		const dir = join(root, 'n8n-1.0.0');
		expect(() =>
			installOnce(dir, ['bin/tool'], 'node 24', (into) => {
				write(join(into, 'bin', 'tool'), 'partial');
				throw new Error('npm install failed');
			}),
		).toThrow('npm install failed');
		expect(list(root)).toEqual([]);
		remove(root);
	});
});
