import { CalendarDate } from './calendar-date';
import { RecertPolicy } from './policy';

/** A CPR/AED certification card as its provider issued it. */
export interface CprAedCard {
  readonly cardId: string;
  readonly issuedOn: CalendarDate;
  readonly expiresOn: CalendarDate;
  readonly includesAdultCpr: boolean;
  readonly includesAed: boolean;
  readonly handsOnSkillsAssessment: boolean;
}

/**
 * R7 waiver of the hands-on assessment: from its start through `waiverGraceDays` (60) after the
 * distancing orders were lifted — the 60th day is still in, the 61st is not; open-ended while
 * the lifting date is unset. `null` when there is no waiver at all.
 */
export interface WaiverPeriod {
  readonly startsOn: CalendarDate;
  readonly endsOn: CalendarDate | null;
}

export function waiverPeriod(policy: RecertPolicy): WaiverPeriod | null {
  if (!policy.waiverStartsOn) return null;
  return {
    startsOn: policy.waiverStartsOn,
    endsOn: policy.distancingOrdersLiftedOn ? policy.distancingOrdersLiftedOn.addDays(policy.waiverGraceDays) : null,
  };
}

/** R7: whether online-only CPR/AED courses are accepted on `on` (the waiver's last day included). */
export function isWaiverInEffect(on: CalendarDate, policy: RecertPolicy): boolean {
  const waiver = waiverPeriod(policy);
  return !!waiver && !on.isBefore(waiver.startsOn) && (waiver.endsOn === null || !on.isAfter(waiver.endsOn));
}

/**
 * R7 "current" means not expired on this day: by default the application's submission day
 * (`cprAedCurrentOn: 'submission'`); a policy may judge on the decision day instead. Before a
 * decision exists, the submission day stands in for it.
 */
export function cprAedReferenceDate(
  policy: RecertPolicy,
  dates: { readonly submittedOn: CalendarDate; readonly decidedOn?: CalendarDate },
): CalendarDate {
  return policy.cprAedCurrentOn === 'decision' && dates.decidedOn ? dates.decidedOn : dates.submittedOn;
}

export type CprAedCheck =
  | {
      readonly valid: true;
      readonly card: CprAedCard;
      /** Accepted online-only during the waiver: the trainer is advised to get the hands-on assessment. */
      readonly advisory: 'obtain-hands-on-assessment' | null;
    }
  | { readonly valid: false; readonly reasons: readonly string[] };

/**
 * R7: a card counts when it covers Adult CPR and AED, is current on `submittedOn` (the reference
 * day, see `cprAedReferenceDate`: not expired that day — a card expiring on the submission day is current, one that expired the day before
 * is not), and either included a hands-on skills assessment or `submittedOn` falls in the waiver.
 * Of several cards, a hands-on one is preferred (no advisory), then the one expiring last.
 */
export function checkCprAed(
  cards: readonly CprAedCard[],
  submittedOn: CalendarDate,
  policy: RecertPolicy,
): CprAedCheck {
  if (cards.length === 0) return { valid: false, reasons: ['R7: no CPR/AED card on record'] };
  const waiver = isWaiverInEffect(submittedOn, policy);
  const reasons: string[] = [];
  const acceptable: CprAedCard[] = [];
  for (const card of cards) {
    const problems: string[] = [];
    if (!card.includesAdultCpr || !card.includesAed) problems.push('does not include Adult CPR and AED');
    if (card.issuedOn.isAfter(submittedOn)) problems.push(`was issued ${card.issuedOn}, after the application`);
    if (card.expiresOn.isBefore(submittedOn))
      problems.push(`expired ${card.expiresOn}, before the application (${submittedOn})`);
    if (!card.handsOnSkillsAssessment && !waiver)
      problems.push('is online-only, and the hands-on waiver is not in effect');
    if (problems.length === 0) acceptable.push(card);
    else reasons.push(`R7: card ${card.cardId} ${problems.join(', ')}`);
  }
  if (acceptable.length === 0) return { valid: false, reasons };
  const best = [...acceptable].sort(
    (a, b) => Number(b.handsOnSkillsAssessment) - Number(a.handsOnSkillsAssessment) || b.expiresOn.compare(a.expiresOn),
  )[0];
  return { valid: true, card: best, advisory: best.handsOnSkillsAssessment ? null : 'obtain-hands-on-assessment' };
}
