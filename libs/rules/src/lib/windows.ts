import { CalendarDate } from './calendar-date';
import { Cycle } from './cycle';
import { RecertPolicy } from './policy';

/**
 * The dates that bind one cycle. All are inclusive last days:
 * - `lateWindowEndsOn` (R4, R10): expiration + 90 days — the last day a course still counts and
 *   the late (not the additional) fee applies;
 * - `finalWindowEndsOn` (R9): expiration + 1 year — the last day an application is accepted
 *   (the anniversary itself is accepted; the day after it, the credential is lapsed);
 * - `applicationOpensOn`: expiration − 6 months (policy), the first day one may apply.
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
    // A first cycle shorter than the early window opens at its start.
    applicationOpensOn: opens.isBefore(cycle.startsOn) ? cycle.startsOn : opens,
    expiresOn: cycle.expiresOn,
    lateWindowEndsOn: cycle.expiresOn.addDays(policy.lateWindowDays),
    finalWindowEndsOn: cycle.expiresOn.addYears(policy.finalWindowYears),
  };
}

/** R8: active through expiration; expired (grace) through the final window; lapsed after. */
export type CredentialStatus = 'active' | 'expired' | 'lapsed';

export function credentialStatusOn(cycle: Cycle, on: CalendarDate, policy: RecertPolicy): CredentialStatus {
  const windows = windowsOf(cycle, policy);
  if (!on.isAfter(windows.expiresOn)) return 'active';
  if (!on.isAfter(windows.finalWindowEndsOn)) return 'expired';
  return 'lapsed';
}

export type ApplicationWindowCheck =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly code: 'too-early' | 'lapsed'; readonly reason: string };

/** R9: whether an application received on `receivedOn` is within the window. */
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
