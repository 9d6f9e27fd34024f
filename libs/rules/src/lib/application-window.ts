import { CalendarDate } from './calendar-date';
import { Cycle } from './cycle';
import { RecertPolicy } from './policy';

/**
 * The dates that bind one cycle. All are inclusive last (or first) days:
 * - `applicationOpensOn` (R9, policy): expiration − 6 months, the first day an application is
 *   received (or the cycle's start, for a first cycle shorter than that);
 * - `expiresOn` (R1, R8): the last day the credential is active and the standard fee applies;
 * - `lateWindowEndsOn` (R4, R10): expiration + 90 days — the last day a course still counts and
 *   the late (not the additional) fee applies;
 * - `finalWindowEndsOn` (R9): expiration + 1 year — the last day an application is accepted
 *   (the anniversary itself is accepted; the day after it, the credential is lapsed). From 29
 *   February, the anniversary is 28 February.
 */
export interface CycleWindows {
  readonly applicationOpensOn: CalendarDate;
  readonly expiresOn: CalendarDate;
  readonly lateWindowEndsOn: CalendarDate;
  readonly finalWindowEndsOn: CalendarDate;
}

export function windowsOf(cycle: Cycle, policy: RecertPolicy): CycleWindows {
  const opens = cycle.expiresOn.addMonths(-policy.earlyApplicationMonths);
  return {
    applicationOpensOn: CalendarDate.max(opens, cycle.startsOn),
    expiresOn: cycle.expiresOn,
    lateWindowEndsOn: cycle.expiresOn.addDays(policy.lateWindowDays),
    finalWindowEndsOn: cycle.expiresOn.addYears(policy.finalWindowYears),
  };
}

/** R4: the last day a course may be completed and still count toward `cycle`. */
export function lateWindowEndsOn(cycle: Cycle, policy: RecertPolicy): CalendarDate {
  return windowsOf(cycle, policy).lateWindowEndsOn;
}

export type ApplicationRefusal = 'too-early' | 'lapsed';

export type ApplicationWindowCheck =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly code: ApplicationRefusal; readonly reason: string };

/**
 * R9: whether an application received on `receivedOn` is within the window: from
 * `applicationOpensOn` through `finalWindowEndsOn`, both inclusive. Whether the requirements are
 * met (the condition for applying early) is R12's business, judged with the same date.
 */
export function checkApplicationWindow(
  cycle: Cycle,
  receivedOn: CalendarDate,
  policy: RecertPolicy,
): ApplicationWindowCheck {
  const windows = windowsOf(cycle, policy);
  if (receivedOn.isBefore(windows.applicationOpensOn)) {
    return {
      accepted: false,
      code: 'too-early',
      reason: `R9: applications for the cycle expiring ${windows.expiresOn} open on ${windows.applicationOpensOn}`,
    };
  }
  if (receivedOn.isAfter(windows.finalWindowEndsOn)) {
    return {
      accepted: false,
      code: 'lapsed',
      reason: `R9: the credential lapsed after ${windows.finalWindowEndsOn} (one year after expiration); the trainer must certify again`,
    };
  }
  return { accepted: true };
}
