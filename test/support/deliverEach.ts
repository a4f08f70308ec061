import { callWithRetries } from '../../nodes/Smashsend/delivery/call';
import type { TaskMemory } from '../../nodes/Smashsend/delivery/retryOnFailMemory';
import { deliverItems, type AttemptResult, type DeliveryOptions, type ItemResult } from '../../nodes/Smashsend/delivery/itemDelivery';

/** The delivery engine with one call per task, each a single `attempt` retried as the engine does: what the delivery tests drive. */
export async function deliverEach<T, V, F>(
	tasks: Array<T | undefined>,
	/** One attempt of a task's call; `signal` aborts it when n8n cancels the execution. */
	attempt: (task: T, attemptNumber: number, index: number, signal: AbortSignal) => Promise<AttemptResult<V, F>>,
	options: DeliveryOptions,
	memory?: TaskMemory<V, F>,
): Promise<Array<ItemResult<V, F>>> {
	return await deliverItems(
		tasks,
		async (task, index, context) => await callWithRetries((n, signal) => attempt(task, n, index, signal), context),
		options,
		memory,
	);
}
