import { createEmulator } from '../../emulator/server';

/**
 * The emulator for a test file of the REST operations: started before its tests, stopped
 * after them, and fresh for each test (no state, no REST rate limit: tests that need one set it).
 */
export function useRestEmulator(): ReturnType<typeof createEmulator> {
	const emulator = createEmulator();
	beforeAll(async () => await emulator.start());
	afterAll(async () => await emulator.stop());
	beforeEach(() => {
		emulator.reset();
		emulator.setRestRateLimit({ limit: 0, windowMs: 1000 });
	});
	return emulator;
}
