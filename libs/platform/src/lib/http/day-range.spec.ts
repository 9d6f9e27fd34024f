import { DayRange, daysOf, instantsOf } from './day-range';

describe('the day range of an ops chart', () => {
  it('lists every day, both ends included, across a month end', () => {
    expect(daysOf({ from: '2026-11-29', to: '2026-12-02' })).toEqual([
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
    ]);
    expect(instantsOf({ from: '2026-11-29', to: '2026-11-29' }).map((d) => d.toISOString())).toEqual([
      '2026-11-29T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
    ]);
  });

  it('refuses a reversed range, a range over 367 days and a date that does not exist', () => {
    expect(DayRange.safeParse({ from: '2026-12-02', to: '2026-12-01' }).error?.issues[0].message).toBe(
      'from must not be after to',
    );
    expect(DayRange.safeParse({ from: '2026-01-01', to: '2027-01-03' }).error?.issues[0].message).toBe(
      'the range must be at most 367 days',
    );
    expect(DayRange.safeParse({ from: '2026-01-01', to: '2027-01-02' }).success).toBe(true);
    expect(DayRange.safeParse({ from: '2026-02-30', to: '2026-03-01' }).success).toBe(false);
  });
});
