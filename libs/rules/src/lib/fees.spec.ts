import fc from 'fast-check';
import { CalendarDate } from './calendar-date';
import { cycle } from './cycle';
import { feeTier, recertificationFee } from './fees';
import { createPolicy } from './policy';

const d = CalendarDate.parse;
const policy = createPolicy();
const current = cycle(d('2024-07-01'), d('2026-06-30'));

describe('R10: the fee depends on the day the application is received', () => {
  it.each([
    ['2026-06-30', 'standard', 9_900, 0], // on expiration
    ['2026-07-01', 'late', 12_900, 1], // day 1
    ['2026-09-28', 'late', 12_900, 90], // day 90
    ['2026-09-29', 'additional', 14_900, 91], // day 91
    ['2027-06-30', 'additional', 14_900, 365], // the last day of the one-year window
  ])('R10: received %s → %s, %i cents', (on, tier, total, days) => {
    const fee = recertificationFee(current, d(on), policy);
    expect(fee.tier).toBe(tier);
    expect(fee.total).toBe(total);
    expect(fee.daysAfterExpiration).toBe(days);
  });

  it('R10: the early application pays the standard fee', () => {
    expect(recertificationFee(current, d('2026-01-15'), policy)).toMatchObject({
      tier: 'standard',
      total: 9_900,
      daysAfterExpiration: 0,
    });
  });

  it('R10: with stacking on, day 91 pays standard + late + additional', () => {
    const fee = recertificationFee(current, d('2026-09-29'), createPolicy({ lateFeesStack: true }));
    expect(fee.lines.map((l) => l.kind)).toEqual(['standard', 'late', 'additional']);
    expect(fee.total).toBe(17_900);
  });

  it('R10: by default the fee is $149 at most', () => {
    expect(recertificationFee(current, d('2027-06-30'), policy).lines).toEqual([
      { kind: 'standard', amount: 9_900 },
      { kind: 'additional', amount: 5_000 },
    ]);
  });

  it('R10 (Recertify for Life): a member owes no recertification fee, whatever the tier', () => {
    expect(recertificationFee(current, d('2026-09-29'), policy, { recertifyForLife: true })).toMatchObject({
      tier: 'additional',
      total: 0,
      lines: [],
    });
    expect(
      recertificationFee(current, d('2026-09-29'), createPolicy({ recertifyForLifeWaivesFee: false }), {
        recertifyForLife: true,
      }).total,
    ).toBe(14_900);
  });

  it('property (R10): the fee never decreases as the received date moves later', () => {
    fc.assert(
      fc.property(fc.integer({ min: -180, max: 365 }), fc.integer({ min: 0, max: 400 }), (offset, more) => {
        const a = recertificationFee(current, current.expiresOn.addDays(offset), policy).total;
        const b = recertificationFee(current, current.expiresOn.addDays(Math.min(365, offset + more)), policy).total;
        return b >= a;
      }),
    );
  });

  it('property (R10): the tier is standard up to expiration, late for days 1–90, additional after', () => {
    fc.assert(
      fc.property(fc.integer({ min: -180, max: 365 }), (offset) => {
        const tier = feeTier(current, current.expiresOn.addDays(offset), policy);
        return tier === (offset <= 0 ? 'standard' : offset <= 90 ? 'late' : 'additional');
      }),
    );
  });
});
