import { abortSignalWait } from '../../nodes/Smashsend/delivery/wait';

describe('abortSignalWait', () => {
	it('resolves true once the time has passed', async () => {
		await expect(abortSignalWait(20)).resolves.toBe(true);
	});

	it('resolves false as soon as the signal fires', async () => {
		const controller = new AbortController();
		const waiting = abortSignalWait(60 * 60 * 1000, controller.signal);
		controller.abort();
		await expect(waiting).resolves.toBe(false);
	});

	it('does not wait at all when the signal already fired', async () => {
		await expect(abortSignalWait(60 * 60 * 1000, AbortSignal.abort())).resolves.toBe(false);
	});
});

describe('cancellableWait', () => {
	beforeEach(() => jest.resetModules());

	it("uses n8n-workflow's sleepWithAbort where this n8n has it", async () => {
		const sleepWithAbort = jest.fn(async () => undefined);
		jest.doMock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleepWithAbort }));
		const { cancellableWait } = await import('../../nodes/Smashsend/delivery/wait');
		await expect(cancellableWait(5)).resolves.toBe(true);
		expect(sleepWithAbort).toHaveBeenCalledWith(5, undefined);
	});

	it('reports a sleepWithAbort cut short by cancellation', async () => {
		const sleepWithAbort = jest.fn(async () => {
			throw new Error('Aborted');
		});
		jest.doMock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleepWithAbort }));
		const { cancellableWait } = await import('../../nodes/Smashsend/delivery/wait');
		await expect(cancellableWait(5, new AbortController().signal)).resolves.toBe(false);
	});

	it('falls back to its own wait where n8n-workflow has none', async () => {
		jest.doMock('n8n-workflow', () => {
			const withoutSleep = { ...jest.requireActual('n8n-workflow') };
			delete withoutSleep.sleepWithAbort;
			return withoutSleep;
		});
		const { cancellableWait } = await import('../../nodes/Smashsend/delivery/wait');
		const controller = new AbortController();
		const waiting = cancellableWait(60 * 60 * 1000, controller.signal);
		controller.abort();
		await expect(waiting).resolves.toBe(false);
	});
});
