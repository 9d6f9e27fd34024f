import fc from 'fast-check';
import { checkApplicationWindow, lateWindowEndsOn, windowsOf } from './application-window';
import { CalendarDate } from './calendar-date';
import { cycle } from './cycle';
import { createPolicy } from './policy';

const d = CalendarDate.parse;
const policy = createPolicy();
const current = cycle(d('2024-07-01'), d('2026-06-30'));

describe('R9: the application window', () => {
  it('R4/R9/R10: the windows of a cycle', () => {
    expect(windowsOf(current, policy)).toEqual({
      applicationOpensOn: d('2025-12-30'),
      expiresOn: d('2026-06-30'),
      lateWindowEndsOn: d('2026-09-28'),
      finalWindowEndsOn: d('2027-06-30'),
    });
    expect(lateWindowEndsOn(current, policy)).toEqual(d('2026-09-28'));
  });

  it('R9: a cycle expiring 29 February has its final window end on 28 February', () => {
    const leap = cycle(d('2026-03-01'), d('2028-02-29'));
    expect(windowsOf(leap, policy)).toEqual({
      applicationOpensOn: d('2027-08-29'),
      expiresOn: d('2028-02-29'),
      lateWindowEndsOn: d('2028-05-29'),
      finalWindowEndsOn: d('2029-02-28'),
    });
    expect(checkApplicationWindow(leap, d('2029-02-28'), policy).accepted).toBe(true);
    expect(checkApplicationWindow(leap, d('2029-03-01'), policy).accepted).toBe(false);
  });

  it('R9: six months before 31 August opens on the last day of February', () => {
    expect(windowsOf(cycle(d('2024-09-01'), d('2026-08-31')), policy).applicationOpensOn.toString()).toBe('2026-02-28');
  });

  it('R9: a first cycle shorter than the early window opens applications at its start', () => {
    expect(windowsOf(cycle(d('2026-05-01'), d('2026-06-30')), policy).applicationOpensOn.toString()).toBe('2026-05-01');
  });

  it('R9: the early window is policy (0 months: from the expiration day only)', () => {
    const check = checkApplicationWindow(current, d('2026-06-29'), createPolicy({ earlyApplicationMonths: 0 }));
    expect(check).toMatchObject({ accepted: false, code: 'too-early' });
    expect(checkApplicationWindow(current, d('2026-06-30'), createPolicy({ earlyApplicationMonths: 0 })).accepted).toBe(
      true,
    );
  });

  it.each([
    ['2025-12-29', false, 'too-early'], // the day before the early window
    ['2025-12-30', true, null], // expiration − 6 months
    ['2026-06-30', true, null], // day 0: expiration
    ['2026-09-28', true, null], // day 90
    ['2026-09-29', true, null], // day 91
    ['2027-06-30', true, null], // the last day of the one-year window
    ['2027-07-01', false, 'lapsed'], // the day after: refused with a clear reason
  ])('R9: an application received %s is accepted: %s', (on, accepted, code) => {
    const check = checkApplicationWindow(current, d(on), policy);
    expect(check.accepted).toBe(accepted);
    expect(check.accepted ? null : check.code).toBe(code);
  });

  it('R9: the refusals say why, in words', () => {
    expect(checkApplicationWindow(current, d('2025-12-29'), policy)).toEqual({
      accepted: false,
      code: 'too-early',
      reason: 'R9: applications for the cycle expiring 2026-06-30 open on 2025-12-30',
    });
    expect(checkApplicationWindow(current, d('2027-07-01'), policy)).toEqual({
      accepted: false,
      code: 'lapsed',
      reason: 'R9: the credential lapsed after 2027-06-30 (one year after expiration); the trainer must certify again',
    });
  });

  it('R9 property: accepted exactly from the opening day through expiration + 1 year', () => {
    fc.assert(
      fc.property(fc.integer({ min: -400, max: 800 }), (offset) => {
        const on = current.expiresOn.addDays(offset);
        const accepted = checkApplicationWindow(current, on, policy).accepted;
        return accepted === on.isWithin(d('2025-12-30'), d('2027-06-30'));
      }),
    );
  });
});
