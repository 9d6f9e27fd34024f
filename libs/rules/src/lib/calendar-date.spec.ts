import fc from 'fast-check';
import { CalendarDate, daysBetween, isLeapYear, isTimeZone } from './calendar-date';

const d = CalendarDate.parse;
const anyDate = fc.integer({ min: -50_000, max: 100_000 }).map(CalendarDate.fromEpochDay);

describe('R1/R4/R9: CalendarDate — deadlines are calendar dates, computed exactly', () => {
  it('R1: parses and prints ISO dates, also in JSON', () => {
    expect(d('2026-02-28').toString()).toBe('2026-02-28');
    expect(JSON.stringify({ on: d('2024-02-29') })).toBe('{"on":"2024-02-29"}');
    expect([d('2026-03-05').year, d('2026-03-05').month, d('2026-03-05').day]).toEqual([2026, 3, 5]);
    expect(d('0050-03-01').toString()).toBe('0050-03-01');
    expect(CalendarDate.of(2026, 1, 1).epochDay).toBe(20_454);
  });

  it.each([
    '2026-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-01-00',
    '0000-01-01',
    '2026-1-1',
    '26-01-01',
    'tomorrow',
    '',
  ])('R1: refuses %p', (text) => {
    expect(() => d(text)).toThrow(RangeError);
  });

  it('R1: refuses non-integer arithmetic, day numbers and years beyond 0001–9999', () => {
    expect(() => d('2026-01-01').addDays(0.5)).toThrow(RangeError);
    expect(() => d('2026-01-01').addMonths(1.5)).toThrow(RangeError);
    expect(() => d('2026-01-01').addYears(0.5)).toThrow(RangeError);
    expect(() => CalendarDate.fromEpochDay(1.5)).toThrow(RangeError);
    expect(() => CalendarDate.of(2026.5, 1, 1)).toThrow(RangeError);
    expect(() => d('9999-12-31').addDays(1)).toThrow(RangeError);
    expect(() => d('0001-01-01').addDays(-1)).toThrow(RangeError);
  });

  it('R1: adding years moves 29 February to 28 February in a year without one', () => {
    expect(d('2028-02-29').addYears(2).toString()).toBe('2030-02-28');
    expect(d('2028-02-29').addYears(4).toString()).toBe('2032-02-29');
    expect(d('2028-02-29').addYears(1).toString()).toBe('2029-02-28');
    expect(d('2027-02-28').addYears(1).toString()).toBe('2028-02-28');
    expect(d('2000-02-29').addYears(100).toString()).toBe('2100-02-28'); // 2100 is not a leap year
  });

  it('R9: adding months clamps to the end of a shorter month', () => {
    expect(d('2026-08-31').addMonths(-6).toString()).toBe('2026-02-28');
    expect(d('2028-08-31').addMonths(-6).toString()).toBe('2028-02-29');
    expect(d('2026-01-31').addMonths(1).toString()).toBe('2026-02-28');
    expect(d('2026-12-15').addMonths(1).toString()).toBe('2027-01-15');
    expect(d('2026-01-15').addMonths(-1).toString()).toBe('2025-12-15');
  });

  it('R4: counts days across leap years', () => {
    expect(daysBetween(d('2028-02-28'), d('2028-03-01'))).toBe(2);
    expect(daysBetween(d('2026-02-28'), d('2026-03-01'))).toBe(1);
    expect(daysBetween(d('2026-01-01'), d('2027-01-01'))).toBe(365);
    expect(daysBetween(d('2028-01-01'), d('2029-01-01'))).toBe(366);
    expect(d('2026-01-10').daysUntil(d('2026-01-01'))).toBe(-9);
  });

  it('R4: compares inclusively, and sorts', () => {
    expect(d('2026-01-01').isWithin(d('2026-01-01'), d('2026-01-31'))).toBe(true);
    expect(d('2026-01-31').isWithin(d('2026-01-01'), d('2026-01-31'))).toBe(true);
    expect(d('2026-02-01').isWithin(d('2026-01-01'), d('2026-01-31'))).toBe(false);
    expect(d('2026-01-01').equals(d('2026-01-01'))).toBe(true);
    expect(d('2026-01-02').isAfter(d('2026-01-01'))).toBe(true);
    expect(d('2026-01-02').isBefore(d('2026-01-01'))).toBe(false);
    expect([d('2026-01-02').compare(d('2026-01-03')), d('2026-01-03').compare(d('2026-01-03'))]).toEqual([-1, 0]);
    const sorted = [d('2026-03-01'), d('2025-01-01'), d('2026-01-01')].sort(CalendarDate.compare).map(String);
    expect(sorted).toEqual(['2025-01-01', '2026-01-01', '2026-03-01']);
    expect(CalendarDate.min(d('2026-03-01'), d('2025-01-01'), d('2026-01-01')).toString()).toBe('2025-01-01');
    expect(CalendarDate.max(d('2026-03-01'), d('2025-01-01'), d('2026-01-01')).toString()).toBe('2026-03-01');
  });

  it("R1: reads the calendar date of an instant in the credential's time zone (default UTC)", () => {
    const instant = new Date('2026-03-01T03:30:00Z');
    expect(CalendarDate.fromInstant(instant, 'UTC').toString()).toBe('2026-03-01');
    expect(CalendarDate.fromInstant(instant, 'America/Los_Angeles').toString()).toBe('2026-02-28');
    expect(CalendarDate.fromInstant(new Date('2028-02-29T23:30:00-08:00'), 'America/Los_Angeles').toString()).toBe(
      '2028-02-29',
    );
    expect(CalendarDate.fromInstant(new Date('2026-12-31T15:00:00Z'), 'Asia/Tokyo').toString()).toBe('2027-01-01');
  });

  it('R1: refuses an invalid instant or an unknown time zone', () => {
    expect(() => CalendarDate.fromInstant(new Date('nonsense'), 'UTC')).toThrow(/invalid Date/);
    expect(() => CalendarDate.fromInstant(new Date(0), 'Mars/Olympus')).toThrow(/Not an IANA time zone: Mars\/Olympus/);
    expect([isTimeZone('Europe/Paris'), isTimeZone('Mars/Olympus')]).toEqual([true, false]);
  });

  it('R1: knows leap years', () => {
    expect([2024, 2026, 2000, 2100].map(isLeapYear)).toEqual([true, false, true, false]);
  });

  it('R4 property: addDays and daysBetween are inverse', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -5000, max: 5000 }), (date, n) => {
        const later = date.addDays(n);
        return daysBetween(date, later) === n && date.addDays(daysBetween(date, later)).equals(later);
      }),
    );
  });

  it('R4 property: the order of dates is the order of their day numbers, and daysBetween is additive', () => {
    fc.assert(
      fc.property(anyDate, anyDate, anyDate, (a, b, c) => {
        const sign = Math.sign(daysBetween(b, a));
        return a.compare(b) === sign && daysBetween(a, c) === daysBetween(a, b) + daysBetween(b, c);
      }),
    );
  });

  it('R1 property: printing and parsing round-trip', () => {
    fc.assert(fc.property(anyDate, (date) => CalendarDate.parse(date.toString()).equals(date)));
  });

  it('R1 property: adding years keeps the month, and the day except 29 February', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -20, max: 20 }), (date, years) => {
        const later = date.addYears(years);
        const leapDayMoved = date.month === 2 && date.day === 29 && !isLeapYear(later.year);
        return (
          later.year === date.year + years && later.month === date.month && later.day === (leapDayMoved ? 28 : date.day)
        );
      }),
    );
  });

  it('R1 property: the date of an instant in UTC is the date of its ISO string', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (ms) => {
        const instant = new Date(ms);
        return CalendarDate.fromInstant(instant, 'UTC').toString() === instant.toISOString().slice(0, 10);
      }),
    );
  });
});
