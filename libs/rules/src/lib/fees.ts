import { CalendarDate } from './calendar-date';
import { Cycle } from './cycle';
import { Cents, sumCents } from './money';
import { RecertPolicy } from './policy';
import { windowsOf } from './application-window';

/** R10: which fee tier an application falls in, by the day it was received. */
export type FeeTier = 'standard' | 'late' | 'additional';

export interface FeeLine {
  readonly kind: 'standard' | 'late' | 'additional';
  readonly amount: Cents;
}

/** The recertification fee, fixed at receipt (R10): it does not change while the application is processed. */
export interface RecertificationFee {
  readonly tier: FeeTier;
  readonly receivedOn: CalendarDate;
  readonly daysAfterExpiration: number;
  readonly lines: readonly FeeLine[];
  readonly total: Cents;
}

export function feeTier(cycle: Cycle, receivedOn: CalendarDate, policy: RecertPolicy): FeeTier {
  const { lateWindowEndsOn } = windowsOf(cycle, policy);
  if (!receivedOn.isAfter(cycle.expiresOn)) return 'standard';
  if (!receivedOn.isAfter(lateWindowEndsOn)) return 'late';
  return 'additional';
}

/**
 * R10: standard on or before expiration; + late fee days 1–90 after; + the additional fee from
 * day 91 (instead of the late fee unless the policy stacks them). A "Recertify for Life" member
 * owes no recertification fee, whatever the tier.
 */
export function recertificationFee(
  cycle: Cycle,
  receivedOn: CalendarDate,
  policy: RecertPolicy,
  options: { recertifyForLife?: boolean } = {},
): RecertificationFee {
  const tier = feeTier(cycle, receivedOn, policy);
  const lines: FeeLine[] = [];
  if (!(options.recertifyForLife && policy.recertifyForLifeWaivesFee)) {
    lines.push({ kind: 'standard', amount: policy.standardFee });
    if (tier === 'late' || (tier === 'additional' && policy.lateFeesStack))
      lines.push({ kind: 'late', amount: policy.lateFee });
    if (tier === 'additional') lines.push({ kind: 'additional', amount: policy.additionalFee });
  }
  return {
    tier,
    receivedOn,
    daysAfterExpiration: Math.max(0, cycle.expiresOn.daysUntil(receivedOn)),
    lines,
    total: sumCents(lines.map((l) => l.amount)),
  };
}
