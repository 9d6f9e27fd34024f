import { CalendarDate } from './calendar-date';
import { Cycle } from './cycle';
import { RecertPolicy } from './policy';
import { windowsOf } from './windows';
import { waiverPeriod } from './cpr-aed';

export type DeadlineKind =
  | 'expiry-reminder'
  | 'expiration'
  | 'late-window-end'
  | 'final-window-end'
  | 'audit-reminder'
  | 'audit-documentation'
  | 'waiver-end';

/** A date a background job acts on. The day after a window's last day is when its effect starts. */
export interface Deadline {
  readonly kind: DeadlineKind;
  /** The calendar day the job fires (in the credential's time zone). */
  readonly dueOn: CalendarDate;
  /** For reminders: days before (positive) or after (negative) the date reminded of. */
  readonly offsetDays?: number;
}

/**
 * The deadlines of one cycle (DOMAIN.md): reminders before expiry and after it, expiration
 * (credential → expired, R8) the day after the last valid day, the end of the late window (R4,
 * R10) and of the final window (R9: → lapsed), in due order.
 */
export function cycleDeadlines(cycle: Cycle, policy: RecertPolicy): Deadline[] {
  const w = windowsOf(cycle, policy);
  const deadlines: Deadline[] = [
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
    { kind: 'expiration', dueOn: w.expiresOn.addDays(1) },
    { kind: 'late-window-end', dueOn: w.lateWindowEndsOn.addDays(1) },
    { kind: 'final-window-end', dueOn: w.finalWindowEndsOn.addDays(1) },
  ];
  return sortDeadlines(deadlines);
}

/** R11: reminders before the audit deadline, and the deadline itself (the day after the last day). */
export function auditDeadlines(lastDay: CalendarDate, policy: RecertPolicy): Deadline[] {
  return sortDeadlines([
    ...policy.auditReminderDaysBefore.map((d) => ({
      kind: 'audit-reminder' as const,
      dueOn: lastDay.addDays(-d),
      offsetDays: d,
    })),
    { kind: 'audit-documentation', dueOn: lastDay.addDays(1) },
  ]);
}

/** R7: the day online-only cards stop being accepted, once the lifting date is known. */
export function waiverDeadline(policy: RecertPolicy): Deadline | null {
  const waiver = waiverPeriod(policy);
  return waiver?.endsOn ? { kind: 'waiver-end', dueOn: waiver.endsOn.addDays(1) } : null;
}

function sortDeadlines(deadlines: Deadline[]): Deadline[] {
  return deadlines.sort((a, b) => a.dueOn.compare(b.dueOn));
}
