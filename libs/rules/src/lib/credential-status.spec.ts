import fc from 'fast-check';
import { CalendarDate } from './calendar-date';
import { credentialStatusOn } from './credential-status';
import { cycle } from './cycle';
import { createPolicy } from './policy';

const d = CalendarDate.parse;
const policy = createPolicy();
const current = cycle(d('2024-07-01'), d('2026-06-30'));

describe('R8: credential status on a date — active → expired (grace) → lapsed', () => {
  it.each([
    ['2024-07-01', 'active'], // the cycle's first day
    ['2026-06-30', 'active'], // day 0: the last valid day
    ['2026-07-01', 'expired'], // day 1
    ['2026-09-28', 'expired'], // day 90
    ['2026-09-29', 'expired'], // day 91
    ['2027-06-30', 'expired'], // the last day of the one-year window
    ['2027-07-01', 'lapsed'], // the day after
  ])('R8: on %s the credential is %s', (on, status) => {
    expect(credentialStatusOn(current, d(on), policy)).toBe(status);
  });

  it('R8: a credential expiring 29 February lapses on 1 March of the next year', () => {
    const leap = cycle(d('2026-03-01'), d('2028-02-29'));
    expect(credentialStatusOn(leap, d('2028-02-29'), policy)).toBe('active');
    expect(credentialStatusOn(leap, d('2028-03-01'), policy)).toBe('expired');
    expect(credentialStatusOn(leap, d('2029-02-28'), policy)).toBe('expired');
    expect(credentialStatusOn(leap, d('2029-03-01'), policy)).toBe('lapsed');
  });

  it('R8 property: status never goes back as the date moves on', () => {
    const rank = { active: 0, expired: 1, lapsed: 2 };
    fc.assert(
      fc.property(fc.integer({ min: -800, max: 800 }), fc.integer({ min: 0, max: 800 }), (offset, more) => {
        const a = credentialStatusOn(current, current.expiresOn.addDays(offset), policy);
        const b = credentialStatusOn(current, current.expiresOn.addDays(offset + more), policy);
        const expected = offset <= 0 ? 'active' : offset <= 365 ? 'expired' : 'lapsed';
        return a === expected && rank[b] >= rank[a];
      }),
    );
  });
});
