import { withDeadline } from '../../nodes/shared/transport/deadline';

/** A call that ends when its signal aborts, or after `ms`. */
const call = (ms: number) => async (signal: AbortSignal | undefined) =>
	await new Promise<string>((resolve, reject) => {
		const timer = AbortSignal.timeout(ms);
		timer.addEventListener('abort', () => resolve('answered'), { once: true });
		signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
	});

describe('withDeadline: a call within its time, one watch for all deadlines', () => {
	it('gives the value of a call that ends in time, and "late" for one that does not, whose signal is aborted', async () => {
		await expect(withDeadline(500, undefined, call(10))).resolves.toEqual({ late: false, value: 'answered' });
		let seen: AbortSignal | undefined;
		const started = Date.now();
		const result = await withDeadline(50, undefined, async (signal) => {
			seen = signal;
			return await call(5000)(signal);
		});
		expect(result).toEqual({ late: true });
		expect(seen?.aborted).toBe(true);
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it('an earlier deadline set while a later one is watched still comes on time', async () => {
		const slow = withDeadline(3000, undefined, call(10_000));
		const started = Date.now();
		await expect(withDeadline(40, undefined, call(10_000))).resolves.toEqual({ late: true });
		expect(Date.now() - started).toBeLessThan(1500);
		await expect(slow).resolves.toEqual({ late: true });
	});

	it("the execution's cancel is the call's own outcome (not late), and leaves no listener on the cancel signal", async () => {
		const cancel = new AbortController();
		let listeners = 0;
		const add = cancel.signal.addEventListener.bind(cancel.signal);
		const remove = cancel.signal.removeEventListener.bind(cancel.signal);
		cancel.signal.addEventListener = ((...args: Parameters<typeof add>) => (listeners++, add(...args))) as typeof add;
		cancel.signal.removeEventListener = ((...args: Parameters<typeof remove>) => (listeners--, remove(...args))) as typeof remove;
		await withDeadline(1000, cancel.signal, call(5));
		await expect(withDeadline(20, cancel.signal, call(5000))).resolves.toEqual({ late: true });
		expect(listeners).toBe(0);
		const cut = withDeadline(1000, cancel.signal, call(5000));
		cancel.abort(new Error('cancelled'));
		await expect(cut).rejects.toThrow('cancelled');
	});

	it('many calls at once each end by their own deadline, the quick ones with their answers', async () => {
		const results = await Promise.all(
			Array.from({ length: 50 }, (_, i) => withDeadline(100 + (i % 5) * 20, undefined, call(i % 2 ? 5 : 5000))),
		);
		expect(results.filter((r) => r.late)).toHaveLength(25);
		expect(results.filter((r) => !r.late).every((r) => !r.late && r.value === 'answered')).toBe(true);
	});
});
