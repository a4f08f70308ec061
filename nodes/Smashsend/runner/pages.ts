import type { IDataObject } from 'n8n-workflow';

import type { CallResult } from '../delivery/call';
import { forItem, type CallFailure } from '../contract/failures';

/** A listing never has more pages than this (a million contacts at 100 a page). */
export const MAX_PAGES = 10_000;

/**
 * Fetches a listing page by page until `next` says it is done; at most `max` records are
 * kept. Each page is one call through `sendPage`, with its own retries, so a page that fails
 * for good ends the listing with that page's own result (its attempts, its answer). A page
 * that holds no list, a page asked for twice (a server repeating its cursor) and more than
 * MAX_PAGES pages end it with an error instead of a crash or an endless loop. Never throws.
 */
export async function walkPages<R, A>(
	first: R,
	page: {
		items(answer: A): IDataObject[] | undefined;
		next(answer: A, collected: number): R | undefined;
	},
	max: number,
	sendPage: (request: R) => Promise<CallResult<A, CallFailure>>,
	/** "SMASHSEND's listing": what the errors call it. */
	subject: string,
	/** The item the listing is for, if any: its errors end in `[item N]`. */
	itemIndex?: number,
): Promise<CallResult<IDataObject[], CallFailure>> {
	const collected: IDataObject[] = [];
	const asked = new Set<string>();
	const stop = (why: string): CallResult<IDataObject[], CallFailure> => ({
		status: 'failed',
		failure: {
			listing: {
				message:
					itemIndex === undefined ? `${subject} could not be read: ${why}` : forItem(`${subject} could not be read: ${why}`, itemIndex),
				description: `Stopped after ${asked.size} page${asked.size === 1 ? '' : 's'} and ${collected.length} records; nothing was output for this item. Narrow the listing (filters, Limit) or try again later.`,
			},
		},
		attempts: asked.size,
		history: [],
		cause: 'final',
		retriesExhausted: false,
	});
	let request: R | undefined = first;
	while (request !== undefined) {
		const key = JSON.stringify(request);
		if (asked.has(key)) return stop('it sent the same page twice (its cursor did not move on)');
		if (asked.size >= MAX_PAGES) return stop(`it had more than ${MAX_PAGES} pages`);
		asked.add(key);
		const result = await sendPage(request);
		if (result.status !== 'delivered') return result;
		const records = page.items(result.value);
		if (!Array.isArray(records)) return stop(`page ${asked.size} holds no list of records`);
		collected.push(...records);
		request = page.next(result.value, collected.length);
	}
	// A server may send more than a page asked for; the limit is the user's.
	return { status: 'delivered', value: collected.slice(0, max), attempts: asked.size };
}
