import fc from 'fast-check';
import { CalendarDate } from './calendar-date';
import { cycle, nextCycle } from './cycle';
import { createPolicy } from './policy';
import { checkApplicationWindow, credentialStatusOn, windowsOf } from './windows';

const d = CalendarDate.parse;
const policy = createPolicy();
const current = cycle(d('2024-07-01'), d('2026-06-30'));

describe('cycles and windows', () => {
  it('R1: the next cycle starts the day after expiration and expires two years after it', () => {
    expect(nextCycle(current, policy)).toEqual({ startsOn: d('2026-07-01'), expiresOn: d('2028-06-30') });
  });

  it('R1: a cycle expiring 29 February renews to 28 February', () => {
    expect(nextCycle(cycle(d('2026-03-01'), d('2028-02-29')), policy).expiresOn.toString()).toBe('2030-02-28');
  });

  it('R1: a cycle cannot expire before it starts', () => {
    expect(() => cycle(d('2026-01-02'), d('2026-01-01'))).toThrow(RangeError);
  });

  it('R4/R9/R10: the windows of a cycle', () => {
    expect(windowsOf(current, policy)).toEqual({
      applicationOpensOn: d('2025-12-30'),
      expiresOn: d('2026-06-30'),
      lateWindowEndsOn: d('2026-09-28'),
      finalWindowEndsOn: d('2027-06-30'),
    });
  });

  it('R9: a cycle expiring 29 February has its final window end on 28 February', () => {
    expect(windowsOf(cycle(d('2026-03-01'), d('2028-02-29')), policy).finalWindowEndsOn.toString()).toBe('2029-02-28');
  });

  it('a first cycle shorter than the early window opens applications at its start', () => {
    expect(windowsOf(cycle(d('2026-05-01'), d('2026-06-30')), policy).applicationOpensOn.toString()).toBe('2026-05-01');
  });

  it.each([
    ['2026-06-30', 'active'], // day 0: the last valid day
    ['2026-07-01', 'expired'], // day 1
    ['2027-06-30', 'expired'], // the last day of the one-year window
    ['2027-07-01', 'lapsed'], // the day after
  ])('R8: on %s the credential is %s', (on, status) => {
    expect(credentialStatusOn(current, d(on), policy)).toBe(status);
  });

  it.each([
    ['2025-12-29', false, 'too-early'],
    ['2025-12-30', true, null],
    ['2026-06-30', true, null],
    ['2026-09-28', true, null], // day 90
    ['2026-09-29', true, null], // day 91
    ['2027-06-30', true, null], // the last day of the one-year window
    ['2027-07-01', false, 'lapsed'], // the day after: refused with a clear reason
  ])('R9: an application received %s is accepted: %s', (on, accepted, code) => {
    const check = checkApplicationWindow(current, d(on), policy);
    expect(check.accepted).toBe(accepted);
    if (!check.accepted) {
      expect(check.code).toBe(code);
      expect(check.reason).toMatch(/^R9: /);
    }
  });

  it('R9: the refusal after one year says the trainer must certify again', () => {
    const check = checkApplicationWindow(current, d('2027-07-01'), policy);
    expect(!check.accepted && check.reason).toMatch(/lapsed .* must certify again/);
  });

  it('property (R8/R9): status follows the date, and applications are accepted exactly until lapse', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200, max: 800 }), (offset) => {
        const on = current.expiresOn.addDays(offset);
        const status = credentialStatusOn(current, on, policy);
        const accepted = checkApplicationWindow(current, on, policy).accepted;
        const expected = offset <= 0 ? 'active' : offset <= 365 ? 'expired' : 'lapsed';
        return status === expected && (status === 'lapsed' ? !accepted : accepted === !on.isBefore(d('2025-12-30')));
      }),
    );
  });
});
