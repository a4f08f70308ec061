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

/** A contact id as the emulator gives them by default, as every real sample: `ctc_` and 24 letters and digits. */
export const CONTACT_ID = /^ctc_[A-Za-z0-9]{24}$/;

/** A contact id as the emulator gives them with the reading `contactIds: 'uuid'` (SMASHSEND's SDK's README). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A fault's `pathPattern` for one method on a contact by its id (`GET /v1/contacts/{id}`), either reading. */
export const contactByIdRoute = (method: string) => `^${method} /v1/contacts/(ctc_[A-Za-z0-9]{24}|[0-9a-f]{8}-[0-9a-f]{4}-)`;
