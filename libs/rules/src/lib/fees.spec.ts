import fc from 'fast-check';
import { CalendarDate } from './calendar-date';
import { cycle } from './cycle';
import { feeTier, recertificationFee } from './fees';
import { cents } from './money';
import { createPolicy } from './policy';

const d = CalendarDate.parse;
const policy = createPolicy();
const current = cycle(d('2024-07-01'), d('2026-06-30'));

describe('R10: the fee depends on the day the application is received', () => {
  it.each([
    ['2026-06-30', 'standard', 9_900, 0], // day 0: on expiration
    ['2026-07-01', 'late', 12_900, 1], // day 1
    ['2026-09-28', 'late', 12_900, 90], // day 90
    ['2026-09-29', 'additional', 14_900, 91], // day 91
    ['2027-06-30', 'additional', 14_900, 365], // the last day of the one-year window
  ])('R10: received %s → %s, %i cents', (on, tier, total, days) => {
    const fee = recertificationFee(current, d(on), policy);
    expect(fee).toMatchObject({ tier, total, daysAfterExpiration: days, receivedOn: d(on) });
  });

  it('R10: an early application pays the standard fee', () => {
    expect(recertificationFee(current, d('2026-01-15'), policy)).toEqual({
      tier: 'standard',
      receivedOn: d('2026-01-15'),
      daysAfterExpiration: 0,
      lines: [{ kind: 'standard', amount: 9_900 }],
      total: 9_900,
      waivedBy: null,
    });
  });

  it('R10: days 1–90 pay standard + late', () => {
    expect(recertificationFee(current, d('2026-08-01'), policy).lines).toEqual([
      { kind: 'standard', amount: 9_900 },
      { kind: 'late', amount: 3_000 },
    ]);
  });

  it('R10: by default the late fees do not stack: $149 at most', () => {
    expect(recertificationFee(current, d('2027-06-30'), policy).lines).toEqual([
      { kind: 'standard', amount: 9_900 },
      { kind: 'additional', amount: 5_000 },
    ]);
  });

  it('R10: with stacking on, day 91 pays standard + late + additional; day 90 still only the late fee', () => {
    const stacking = createPolicy({ lateFeesStack: true });
    const fee = recertificationFee(current, d('2026-09-29'), stacking);
    expect(fee.lines.map((l) => l.kind)).toEqual(['standard', 'late', 'additional']);
    expect(fee.total).toBe(17_900);
    expect(recertificationFee(current, d('2026-09-28'), stacking).total).toBe(12_900);
  });

  it('R10: the amounts are policy', () => {
    const fee = recertificationFee(
      current,
      d('2026-07-01'),
      createPolicy({ standardFee: cents(10_000), lateFee: cents(1) }),
    );
    expect(fee.total).toBe(10_001);
  });

  it('R10: after a 29 February expiration, 28 February of the next year is still day 365', () => {
    const leap = cycle(d('2026-03-01'), d('2028-02-29'));
    expect(recertificationFee(leap, d('2029-02-28'), policy)).toMatchObject({
      tier: 'additional',
      daysAfterExpiration: 365,
      total: 14_900,
    });
    expect(feeTier(leap, d('2028-05-29'), policy)).toBe('late'); // day 90 across the leap day
    expect(feeTier(leap, d('2028-05-30'), policy)).toBe('additional');
  });

  it('R10 (Recertify for Life): a member owes no recertification fee, whatever the tier: one $0 line names the membership', () => {
    const membership = { membershipId: 'R4L-1', purchasedAt: '2025-01-15T10:00:00Z' };
    expect(recertificationFee(current, d('2026-09-29'), policy, { recertifyForLife: membership })).toEqual({
      tier: 'additional',
      receivedOn: d('2026-09-29'),
      daysAfterExpiration: 91,
      lines: [{ kind: 'recertify-for-life', amount: 0 }],
      total: 0,
      waivedBy: membership,
    });
    expect(recertificationFee(current, d('2026-09-29'), policy, { recertifyForLife: null })).toMatchObject({
      total: 14_900,
      waivedBy: null,
    });
    expect(recertificationFee(current, d('2026-09-29'), policy).waivedBy).toBeNull();
    const noWaiver = createPolicy({ recertifyForLifeWaivesFee: false });
    expect(recertificationFee(current, d('2026-09-29'), noWaiver, { recertifyForLife: membership })).toMatchObject({
      total: 14_900,
      waivedBy: null,
    });
  });

  it('R10 property: the fee never decreases as the received date moves later (stacked or not)', () => {
    const stacking = createPolicy({ lateFeesStack: true });
    fc.assert(
      fc.property(
        fc.integer({ min: -180, max: 365 }),
        fc.integer({ min: 0, max: 400 }),
        fc.boolean(),
        (offset, more, stack) => {
          const p = stack ? stacking : policy;
          const a = recertificationFee(current, current.expiresOn.addDays(offset), p).total;
          const b = recertificationFee(current, current.expiresOn.addDays(Math.min(365, offset + more)), p).total;
          return b >= a;
        },
      ),
    );
  });

  it('R10 property: standard up to expiration, late for days 1–90, additional after', () => {
    fc.assert(
      fc.property(fc.integer({ min: -180, max: 365 }), (offset) => {
        const tier = feeTier(current, current.expiresOn.addDays(offset), policy);
        return tier === (offset <= 0 ? 'standard' : offset <= 90 ? 'late' : 'additional');
      }),
    );
  });
});
