import { CalendarDate } from './calendar-date';
import { Cycle } from './cycle';
import { Cents, sumCents, ZERO_CENTS } from './money';
import { RecertPolicy } from './policy';
import { windowsOf } from './application-window';

/** R10: which fee tier an application falls in, by the day it was received. */
export type FeeTier = 'standard' | 'late' | 'additional';

export interface FeeLine {
  /** What is owed, or `recertify-for-life`: the $0 line of a member (the waiver named on the bill). */
  readonly kind: 'standard' | 'late' | 'additional' | 'recertify-for-life';
  readonly amount: Cents;
}

/**
 * "Recertify for Life": a membership the trainer bought, as the payment processor reported it and
 * payments recorded it (never a claim of the application). `purchasedAt` is an ISO instant.
 */
export interface RecertifyForLifeMembership {
  readonly membershipId: string;
  readonly purchasedAt: string;
}

/** The recertification fee, fixed at receipt (R10): it does not change while the application is processed. */
export interface RecertificationFee {
  readonly tier: FeeTier;
  readonly receivedOn: CalendarDate;
  readonly daysAfterExpiration: number;
  readonly lines: readonly FeeLine[];
  readonly total: Cents;
  /** The membership that waived the fee, when one did. */
  readonly waivedBy: RecertifyForLifeMembership | null;
}

export function feeTier(cycle: Cycle, receivedOn: CalendarDate, policy: RecertPolicy): FeeTier {
  const { lateWindowEndsOn } = windowsOf(cycle, policy);
  if (!receivedOn.isAfter(cycle.expiresOn)) return 'standard';
  if (!receivedOn.isAfter(lateWindowEndsOn)) return 'late';
  return 'additional';
}

/**
 * R10: standard on or before expiration; + late fee days 1–90 after; + the additional fee from
 * day 91 (instead of the late fee unless the policy stacks them). A trainer who held a "Recertify
 * for Life" membership when the application was received owes no recertification fee, whatever the
 * tier: one $0 line names it (policy `recertifyForLifeWaivesFee`).
 */
export function recertificationFee(
  cycle: Cycle,
  receivedOn: CalendarDate,
  policy: RecertPolicy,
  options: { recertifyForLife?: RecertifyForLifeMembership | null } = {},
): RecertificationFee {
  const tier = feeTier(cycle, receivedOn, policy);
  const waivedBy = options.recertifyForLife && policy.recertifyForLifeWaivesFee ? options.recertifyForLife : null;
  const lines: FeeLine[] = [];
  if (waivedBy) lines.push({ kind: 'recertify-for-life', amount: ZERO_CENTS });
  else {
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
    waivedBy,
  };
}
