import { dayStartsAt, deadlineId } from './deadline';

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
