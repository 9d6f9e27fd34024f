import fc from 'fast-check';
import { CalendarDate, isLeapYear } from './calendar-date';

const d = CalendarDate.parse;
const anyDate = fc.integer({ min: -50_000, max: 100_000 }).map(CalendarDate.fromEpochDay);

describe('CalendarDate (dates are calendar dates, R1)', () => {
  it('parses and prints ISO dates', () => {
    expect(d('2026-02-28').toString()).toBe('2026-02-28');
    expect(JSON.stringify({ on: d('2024-02-29') })).toBe('{"on":"2024-02-29"}');
    expect([d('2026-03-05').year, d('2026-03-05').month, d('2026-03-05').day]).toEqual([2026, 3, 5]);
  });

  it.each(['2026-02-29', '2026-13-01', '2026-00-10', '2026-1-1', '26-01-01', 'tomorrow', ''])('refuses %p', (text) => {
    expect(() => d(text)).toThrow(RangeError);
  });

  it('refuses non-integer arithmetic and day numbers', () => {
    expect(() => d('2026-01-01').addDays(0.5)).toThrow(RangeError);
    expect(() => d('2026-01-01').addMonths(1.5)).toThrow(RangeError);
    expect(() => CalendarDate.fromEpochDay(1.5)).toThrow(RangeError);
    expect(() => CalendarDate.of(2026.5, 1, 1)).toThrow(RangeError);
  });

  it('R1: adding years moves 29 February to 28 February in a year without one', () => {
    expect(d('2028-02-29').addYears(2).toString()).toBe('2030-02-28');
    expect(d('2028-02-29').addYears(4).toString()).toBe('2032-02-29');
    expect(d('2027-02-28').addYears(1).toString()).toBe('2028-02-28');
  });

  it('adding months clamps to the end of a shorter month', () => {
    expect(d('2026-08-31').addMonths(-6).toString()).toBe('2026-02-28');
    expect(d('2028-08-31').addMonths(-6).toString()).toBe('2028-02-29');
    expect(d('2026-01-31').addMonths(1).toString()).toBe('2026-02-28');
    expect(d('2026-12-15').addMonths(1).toString()).toBe('2027-01-15');
  });

  it('counts days across leap years', () => {
    expect(d('2028-02-28').daysUntil(d('2028-03-01'))).toBe(2);
    expect(d('2026-01-01').daysUntil(d('2027-01-01'))).toBe(365);
    expect(d('2028-01-01').daysUntil(d('2029-01-01'))).toBe(366);
    expect(d('2026-01-10').daysUntil(d('2026-01-01'))).toBe(-9);
  });

  it('compares inclusively', () => {
    expect(d('2026-01-01').isWithin(d('2026-01-01'), d('2026-01-31'))).toBe(true);
    expect(d('2026-01-31').isWithin(d('2026-01-01'), d('2026-01-31'))).toBe(true);
    expect(d('2026-02-01').isWithin(d('2026-01-01'), d('2026-01-31'))).toBe(false);
    expect(d('2026-01-01').equals(d('2026-01-01'))).toBe(true);
    expect(d('2026-01-02').isAfter(d('2026-01-01'))).toBe(true);
    expect(d('2026-01-02').compare(d('2026-01-03'))).toBe(-1);
  });

  it('reads the calendar date of an instant in the credential time zone (default UTC)', () => {
    const instant = new Date('2026-03-01T03:30:00Z');
    expect(CalendarDate.fromInstant(instant, 'UTC').toString()).toBe('2026-03-01');
    expect(CalendarDate.fromInstant(instant, 'America/Los_Angeles').toString()).toBe('2026-02-28');
    expect(CalendarDate.fromInstant(instant, 'Asia/Tokyo').toString()).toBe('2026-03-01');
  });

  it('knows leap years', () => {
    expect([2024, 2026, 2000, 2100].map(isLeapYear)).toEqual([true, false, true, false]);
  });

  it('property: addDays and daysUntil are inverse', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -5000, max: 5000 }), (date, n) => date.daysUntil(date.addDays(n)) === n),
    );
  });

  it('property: printing and parsing round-trip', () => {
    fc.assert(fc.property(anyDate, (date) => CalendarDate.parse(date.toString()).equals(date)));
  });

  it('property: adding years never changes the month, and keeps the day except 29 February', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -20, max: 20 }), (date, years) => {
        const later = date.addYears(years);
        const leapDayMoved = date.month === 2 && date.day === 29 && !isLeapYear(later.year);
        return later.month === date.month && later.day === (leapDayMoved ? 28 : date.day);
      }),
    );
  });
});
