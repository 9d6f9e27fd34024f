import { dayStartsAt, deadlineId } from './deadline';
import { rearmDelayMs } from './deadline-runner';

describe('deadline ids and due instants', () => {
  it('gives the same deadline the same id, and a different one another', () => {
    const d = { kind: 'expiration', subjectId: 'T-1', dueAt: new Date('2027-01-01T05:00:00Z'), payload: { a: 1 } };
    expect(deadlineId(d)).toBe(deadlineId({ ...d, dueAt: new Date(d.dueAt) }));
    expect(deadlineId(d)).toMatch(/^expiration\.[0-9a-f]{24}$/);
    expect(deadlineId({ ...d, subjectId: 'T-2' })).not.toBe(deadlineId(d));
    expect(deadlineId({ ...d, dueAt: new Date('2027-01-02T05:00:00Z') })).not.toBe(deadlineId(d));
  });

  it.each([
    ['2027-01-01', 'UTC', '2027-01-01T00:00:00.000Z'],
    ['2027-01-01', 'America/New_York', '2027-01-01T05:00:00.000Z'],
    ['2027-07-01', 'America/New_York', '2027-07-01T04:00:00.000Z'],
    // The day DST starts (clocks jump at 02:00) still begins at local midnight.
    ['2027-03-14', 'America/New_York', '2027-03-14T05:00:00.000Z'],
    ['2027-11-07', 'America/New_York', '2027-11-07T04:00:00.000Z'],
    ['2027-01-01', 'Asia/Kolkata', '2026-12-31T18:30:00.000Z'],
    ['2027-01-01', 'Pacific/Kiritimati', '2026-12-31T10:00:00.000Z'],
  ])('%s begins in %s at %s', (date, zone, instant) => {
    expect(dayStartsAt(date, zone).toISOString()).toBe(instant);
  });

  it('refuses what is not a date', () => {
    expect(() => dayStartsAt('2027-13-01', 'UTC')).toThrow(RangeError);
  });
});

describe('re-arming a deadline whose job failed', () => {
  it('waits the base delay, doubled at each re-arm, never more than the cap', () => {
    const policy = { jobAttempts: 8, jobBackoffMs: 1_000, rearmBaseMs: 30_000, rearmMaxMs: 1_800_000 };
    expect([0, 1, 2, 5, 6, 7, 40].map((rearms) => rearmDelayMs(rearms, policy))).toEqual([
      30_000, 60_000, 120_000, 960_000, 1_800_000, 1_800_000, 1_800_000,
    ]);
  });
});
