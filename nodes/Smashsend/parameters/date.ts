/**
 * A date as n8n users give one: an ISO date or date-time (one without a zone, as the date
 * picker gives it, in the workflow's time zone), a Date or Luxon date from an expression, or
 * epoch seconds or milliseconds. Epoch milliseconds; undefined when it is not a date.
 */
export function readDate(value: unknown, timeZone = 'UTC'): number | undefined {
	const time = readTime(value, timeZone);
	// A Date holds ±100,000,000 days around 1970 (ECMAScript's time value range): beyond is no date.
	return time !== undefined && Math.abs(time) <= MAX_TIME ? time : undefined;
}

const MAX_TIME = 8.64e15;

function readTime(value: unknown, timeZone: string): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? (Math.abs(value) < 1e11 ? value * 1000 : value) : undefined;
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
	const text =
		typeof value === 'object' && value !== null && 'toISO' in value
			? String((value as { toISO: () => unknown }).toISO())
			: String(value).trim();
	if (/^\d+$/.test(text)) return readTime(Number(text), timeZone);
	const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
	const parsed = Date.parse(zoned || !/^\d{4}-\d{2}-\d{2}/.test(text) ? text : `${text.length === 10 ? `${text}T00:00:00` : text}Z`);
	if (Number.isNaN(parsed)) return undefined;
	// A wall-clock time without a zone is the workflow's: shift it by that zone's offset then.
	return zoned || !/^\d{4}-\d{2}-\d{2}/.test(text) ? parsed : parsed - zoneOffsetMs(timeZone, parsed);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `utcMs` (0 for a zone Intl does not know). */
function zoneOffsetMs(timeZone: string, utcMs: number): number {
	try {
		const parts = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		}).formatToParts(new Date(utcMs));
		const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
		const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
		return wall - Math.floor(utcMs / 1000) * 1000;
	} catch {
		return 0;
	}
}
