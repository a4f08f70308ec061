import type { DeliveryOptions } from '../../nodes/Smashsend/delivery/itemDelivery';
import type { FakeClock } from './fakeClock';

/** The delivery settings the delivery tests start from: one at a time, five retries from 1 s, virtual time. */
export function testDeliveryOptions(clock: FakeClock): DeliveryOptions {
	return { concurrency: 1, maxRetries: 5, maxWaitMs: 60_000, baseDelayMs: 1000, ambiguous: 'retry', stopOnFailure: false, clock };
}
