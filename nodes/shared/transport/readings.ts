import type { RestOutcome, RestRequest } from './restApi';

/**
 * Where SMASHSEND's public sources disagree on how a call is made or answered
 * (docs/api-contract.md, "Where the sources disagree"). Every REST call of the package is
 * made as `readingFor` says (restClient.ts), so that the node works whichever reading SMASHSEND gives:
 *
 * - **A search for an email no contact has**: the SDK reads `200 {contact: null}`; Activepieces
 *   treats a 404. A 404 with SMASHSEND's JSON error body is read as `{contact: null}`.
 * - **The custom properties' list**: the SDK's `GET /contacts/properties`; a public endpoint
 *   catalogue's `GET /contact-properties` (where they are created and updated). On a 404, the other.
 * - **A property's update**: the SDK's `PUT /contact-properties/{id}`; the catalogue's `POST` (as
 *   SMASHSEND updates webhooks and API keys). On a 404 or a 405, `POST` once.
 *
 * Once the other reading has answered for an account, its calls go that way first, in every
 * execution and editor picker of this n8n process (at most 1,000 accounts are remembered). A call
 * made the other way is one more call of the attempt, not paced on its own: it happens once per
 * account until the answer is learned (and for each update of a property SMASHSEND does not have).
 */

interface Reading {
	name: string;
	/** Whether the request is one the sources disagree on. */
	matches(request: RestRequest): boolean;
	/** The same call as the other source has it. */
	other(request: RestRequest): RestRequest;
	/** The statuses that say this reading is not SMASHSEND's. */
	notHere: number[];
}

const READINGS: Reading[] = [
	{
		name: 'propertiesList',
		matches: (request) => request.method === 'GET' && request.path === '/contacts/properties',
		other: (request) => ({ ...request, path: '/contact-properties' }),
		notHere: [404],
	},
	{
		name: 'propertyUpdate',
		matches: (request) => request.method === 'PUT' && /^\/contact-properties\/[^/]+$/.test(request.path),
		other: (request) => ({ ...request, method: 'POST' }),
		notHere: [404, 405],
	},
];

/** Accounts whose calls met the other reading, with the readings they met (the oldest forgotten past MAX_ACCOUNTS). */
const learned = new Map<string, Set<string>>();
const MAX_ACCOUNTS = 1000;

function learn(account: string, reading: string): void {
	const known = learned.get(account) ?? new Set<string>();
	known.add(reading);
	learned.delete(account);
	learned.set(account, known);
	if (learned.size > MAX_ACCOUNTS) learned.delete(learned.keys().next().value as string);
}

/** Whether an answer is one of these statuses. */
const answered = (outcome: RestOutcome, statuses: number[]): boolean =>
	!outcome.ok && 'failure' in outcome && statuses.includes(outcome.failure.statusCode);

/**
 * Whether an answer says the server has no such route (a 405; a 404 "Cannot PUT /v1/…", as the
 * web framework answers), not that it has no such record ("Property not found").
 */
const noSuchRoute = (outcome: RestOutcome, method: string): boolean =>
	!outcome.ok &&
	'failure' in outcome &&
	(outcome.failure.statusCode === 405 ||
		(outcome.failure.statusCode === 404 && outcome.failure.serverMessage.startsWith(`Cannot ${method} `)));

/** One call where the sources may disagree: the request to send first, and what its answers mean. */
export interface ReadingPlan {
	/** The SDK's reading, or the one this account answered before. */
	first: RestRequest;
	/** The other reading's request, when the first answer says the first reading is not SMASHSEND's. */
	next(first: RestOutcome): RestRequest | undefined;
	/** The call's outcome, from the first answer (and the second, when `next` asked for one). */
	outcome(first: RestOutcome, second?: RestOutcome): RestOutcome;
}

/**
 * How one call of `account` (shared/keys.ts `paceKey`) is made and read where the sources
 * disagree: the SDK's reading first (or the one this account answered before), the other when
 * SMASHSEND says the first is not there. The caller sends `first`, then `next(first)` if any.
 */
export function readingFor(account: string, request: RestRequest): ReadingPlan {
	const reading = READINGS.find((r) => r.matches(request));
	if (!reading) return { first: request, next: () => undefined, outcome: (first) => searchMissing(request, first) };
	const knownOther = learned.get(account)?.has(reading.name) === true;
	const tried = knownOther ? reading.other(request) : request;
	const retried = knownOther ? request : reading.other(request);
	return {
		first: tried,
		next: (first) => (answered(first, reading.notHere) ? retried : undefined),
		outcome: (first, second) => {
			if (second === undefined) return first;
			if (second.ok && !knownOther) learn(account, reading.name);
			if (second.ok && knownOther) learned.get(account)?.delete(reading.name);
			// Of two refusals, the one about the record ("Property not found") says more than "no such route".
			if (second.ok || !answered(second, reading.notHere)) return second;
			return noSuchRoute(first, tried.method) && !noSuchRoute(second, retried.method) ? second : first;
		},
	};
}

/**
 * A search's 404 with SMASHSEND's JSON error body: no contact has the email (Activepieces'
 * reading). Not a 404 that says the route is not there ("Cannot GET /v1/contacts/search", a
 * Base URL that leads elsewhere): that stays a failure.
 */
function searchMissing(request: RestRequest, outcome: RestOutcome): RestOutcome {
	if (request.method !== 'GET' || request.path !== '/contacts/search') return outcome;
	if (outcome.ok || !('failure' in outcome) || outcome.failure.statusCode !== 404 || !outcome.failure.json) return outcome;
	if (noSuchRoute(outcome, 'GET')) return outcome;
	return { ok: true, statusCode: 200, json: { contact: null } };
}

/** Forgets which reading each account gave (for tests, which share one emulator and key). */
export function forgetReadings(): void {
	learned.clear();
}
