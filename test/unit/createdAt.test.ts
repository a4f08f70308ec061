import { readDate } from '../../nodes/Smashsend/parameters/date';

/** Created At as users give it: read in the workflow's time zone when it has none of its own. */
describe('readDate (Created At)', () => {
	const iso = (value: unknown, zone?: string) => {
		const ms = readDate(value, zone);
		return ms === undefined ? undefined : new Date(ms).toISOString();
	};

	it('reads a date or date-time without a zone in the workflow time zone, with summer and winter time', () => {
		expect(iso('2023-01-15', 'America/New_York')).toBe('2023-01-15T05:00:00.000Z');
		expect(iso('2023-07-15T10:30:00', 'America/New_York')).toBe('2023-07-15T14:30:00.000Z');
		expect(iso('2023-07-15T10:30:00', 'Europe/Berlin')).toBe('2023-07-15T08:30:00.000Z');
		expect(iso('2023-07-15T10:30:00')).toBe('2023-07-15T10:30:00.000Z');
	});

	it('keeps a zone the value gives, and reads epoch seconds and milliseconds, Dates and Luxon dates', () => {
		expect(iso('2023-07-15T10:30:00Z', 'America/New_York')).toBe('2023-07-15T10:30:00.000Z');
		expect(iso('2023-07-15T10:30:00+02:00', 'America/New_York')).toBe('2023-07-15T08:30:00.000Z');
		expect(iso(1577923200)).toBe('2020-01-02T00:00:00.000Z');
		expect(iso('1577923200000')).toBe('2020-01-02T00:00:00.000Z');
		expect(iso(new Date('2020-01-02T00:00:00Z'))).toBe('2020-01-02T00:00:00.000Z');
		expect(iso({ toISO: () => '2020-01-02T01:00:00.000+01:00' })).toBe('2020-01-02T00:00:00.000Z');
	});

	it('is undefined for what is not a date', () => {
		for (const value of ['last spring', '', '2023-13-45', Number.NaN, new Date('nope')]) expect(readDate(value, 'UTC')).toBeUndefined();
	});
});
