import fc from 'fast-check';
import { CalendarDate, daysBetween } from './calendar-date';
import { cycle, isWithinCycle, nextCycle } from './cycle';
import { createPolicy } from './policy';

const d = CalendarDate.parse;
const policy = createPolicy();
const current = cycle(d('2024-07-01'), d('2026-06-30'));

describe('R1: the two-year cycle and the next one', () => {
  it('R1: the next cycle starts the day after expiration and expires two years after it', () => {
    expect(nextCycle(current, policy)).toEqual({ startsOn: d('2026-07-01'), expiresOn: d('2028-06-30') });
  });

  it('R1: a cycle expiring 29 February renews to 28 February, and stays on the 28th afterwards', () => {
    const leap = cycle(d('2026-03-01'), d('2028-02-29'));
    const next = nextCycle(leap, policy);
    expect(next).toEqual({ startsOn: d('2028-03-01'), expiresOn: d('2030-02-28') });
    expect(nextCycle(next, policy).expiresOn.toString()).toBe('2032-02-28');
  });

  it('R1: a cycle expiring 28 February in a year before a leap year keeps the 28th', () => {
    expect(nextCycle(cycle(d('2025-03-01'), d('2026-02-28')), policy).expiresOn.toString()).toBe('2028-02-28');
  });

  it('R1: the cycle length is policy', () => {
    expect(nextCycle(current, createPolicy({ cycleYears: 3 })).expiresOn.toString()).toBe('2029-06-30');
  });

  it('R1: a cycle cannot expire before it starts; a one-day cycle is a cycle', () => {
    expect(() => cycle(d('2026-01-02'), d('2026-01-01'))).toThrow(/cannot expire \(2026-01-01\) before it starts/);
    expect(cycle(d('2026-01-01'), d('2026-01-01')).expiresOn.toString()).toBe('2026-01-01');
  });

  it('R1: a cycle holds its first and last day', () => {
    expect(isWithinCycle(current, d('2024-07-01'))).toBe(true);
    expect(isWithinCycle(current, d('2026-06-30'))).toBe(true);
    expect(isWithinCycle(current, d('2024-06-30'))).toBe(false);
    expect(isWithinCycle(current, d('2026-07-01'))).toBe(false);
  });

  it('R1 property: next cycles follow each other without gap or overlap, two years apart', () => {
    const anyExpiry = fc.integer({ min: 0, max: 40_000 }).map(CalendarDate.fromEpochDay);
    fc.assert(
      fc.property(anyExpiry, (expiresOn) => {
        const c = cycle(expiresOn.addYears(-2).addDays(1), expiresOn);
        const next = nextCycle(c, policy);
        return (
          daysBetween(c.expiresOn, next.startsOn) === 1 &&
          next.expiresOn.year === c.expiresOn.year + 2 &&
          next.expiresOn.month === c.expiresOn.month
        );
      }),
    );
  });
});
