import { CalendarDate } from './calendar-date';
import { windowsOf } from './application-window';
import { waiverPeriod } from './cpr-aed';
import { Cycle } from './cycle';
import { RecertPolicy } from './policy';

export type DeadlineKind =
  | 'expiry-reminder'
  | 'expiration'
  | 'late-window-end'
  | 'final-window-end'
  | 'audit-reminder'
  | 'audit-documentation'
  | 'waiver-end';

/**
 * A date a background job acts on, in the credential's time zone. For a window (expiration,
 * late window, final window, audit, waiver) `lastDay` is the last day still inside it and
 * `dueOn` the day after — the first day its effect holds, when the job fires. A reminder is due
 * on the day it is sent.
 */
export interface Deadline {
  readonly kind: DeadlineKind;
  /** The calendar day the job fires. */
  readonly dueOn: CalendarDate;
  /** For a window: its last day (inclusive). */
  readonly lastDay?: CalendarDate;
  /** For a reminder: days before (positive) or after (negative) the date reminded of. */
  readonly offsetDays?: number;
}

const windowEnd = (kind: DeadlineKind, lastDay: CalendarDate): Deadline => ({
  kind,
  dueOn: lastDay.addDays(1),
  lastDay,
});

/**
 * The deadlines of one cycle (DOMAIN.md), in due order: reminders before expiry, on the day and
 * after it; expiration (R8: credential → expired); the end of the late window (R4: courses stop
 * counting, R10: the fee rises); the end of the final window (R9: → lapsed, applications refused).
 */
export function cycleDeadlines(cycle: Cycle, policy: RecertPolicy): Deadline[] {
  const w = windowsOf(cycle, policy);
  return sortDeadlines([
    ...policy.expiryReminderDaysBefore.map((d) => ({
      kind: 'expiry-reminder' as const,
      dueOn: w.expiresOn.addDays(-d),
      offsetDays: d,
    })),
    ...policy.expiryReminderDaysAfter.map((d) => ({
      kind: 'expiry-reminder' as const,
      dueOn: w.expiresOn.addDays(d),
      offsetDays: -d,
    })),
    windowEnd('expiration', w.expiresOn),
    windowEnd('late-window-end', w.lateWindowEndsOn),
    windowEnd('final-window-end', w.finalWindowEndsOn),
  ]);
}

/** R11: reminders before the audit's last day, and the audit deadline itself (due the day after). */
export function auditDeadlines(lastDay: CalendarDate, policy: RecertPolicy): Deadline[] {
  return sortDeadlines([
    ...policy.auditReminderDaysBefore.map((d) => ({
      kind: 'audit-reminder' as const,
      dueOn: lastDay.addDays(-d),
      offsetDays: d,
    })),
    windowEnd('audit-documentation', lastDay),
  ]);
}

/** R7: the day online-only cards stop being accepted, once the lifting date is known (null before). */
export function waiverDeadline(policy: RecertPolicy): Deadline | null {
  const waiver = waiverPeriod(policy);
  return waiver?.endsOn ? windowEnd('waiver-end', waiver.endsOn) : null;
}

/** Due order; on the same day, in the order given (Array.prototype.sort is stable). */
export function sortDeadlines(deadlines: Deadline[]): Deadline[] {
  return deadlines.sort((a, b) => a.dueOn.compare(b.dueOn));
}
