import { CalendarDate } from './calendar-date';
import { RecertPolicy } from './policy';

/**
 * R11 supporting documentation (policy default, as NASM's portal asks): a certificate of
 * completion per counted course, and the front and back of the Adult CPR and AED card.
 */
export type AuditDocumentKind = 'course-certificate' | 'cpr-aed-card-front' | 'cpr-aed-card-back';

export interface RequiredDocument {
  readonly kind: AuditDocumentKind;
  /** For a course certificate: the completion (or petition) it proves. */
  readonly proves?: string;
}

export interface SubmittedDocument {
  readonly kind: AuditDocumentKind;
  readonly proves?: string;
  readonly submittedOn: CalendarDate;
}

/** R11 (policy default): a certificate per counted course or petition, then the card's front and back. */
export function requiredAuditDocuments(countedCreditIds: readonly string[]): RequiredDocument[] {
  return [
    ...countedCreditIds.map((id) => ({ kind: 'course-certificate' as const, proves: id })),
    { kind: 'cpr-aed-card-front' },
    { kind: 'cpr-aed-card-back' },
  ];
}

/** Staff may extend the documentation window (policy); each extension adds days and says why. */
export interface AuditExtension {
  readonly days: number;
  readonly reason: string;
}

/** R11: the last day to submit: selection + 30 days, plus any extension staff granted (each with a reason). */
export function auditDeadline(
  selectedOn: CalendarDate,
  policy: RecertPolicy,
  extensions: readonly AuditExtension[] = [],
): CalendarDate {
  for (const e of extensions) {
    if (!Number.isSafeInteger(e.days) || e.days <= 0)
      throw new RangeError('R11: an extension adds a positive number of days');
    if (!e.reason.trim()) throw new RangeError('R11: an extension gives its reason');
  }
  return selectedOn.addDays(policy.auditDocumentationDays + extensions.reduce((total, e) => total + e.days, 0));
}

export type AuditStatus =
  | { readonly status: 'passed'; readonly completedOn: CalendarDate }
  | {
      readonly status: 'awaiting-documents';
      readonly missing: readonly RequiredDocument[];
      readonly deadline: CalendarDate;
    }
  | { readonly status: 'failed'; readonly missing: readonly RequiredDocument[]; readonly deadline: CalendarDate };

/**
 * R11: passed once every required document arrived by the deadline (inclusive); failed when the
 * deadline passed with documents missing, naming them. Documents arriving late do not count.
 */
export function evaluateAudit(
  required: readonly RequiredDocument[],
  submitted: readonly SubmittedDocument[],
  deadline: CalendarDate,
  today: CalendarDate,
): AuditStatus {
  const onTime = submitted.filter((d) => !d.submittedOn.isAfter(deadline));
  const firstMatch = (r: RequiredDocument): CalendarDate | undefined =>
    onTime
      .filter((d) => d.kind === r.kind && (r.proves === undefined || d.proves === r.proves))
      .map((d) => d.submittedOn)
      .reduce<CalendarDate | undefined>(
        (first, on) => (first === undefined || on.isBefore(first) ? on : first),
        undefined,
      );
  const arrivals = required.map((r) => ({ r, on: firstMatch(r) }));
  const missing = arrivals.filter((a) => a.on === undefined).map((a) => a.r);
  if (missing.length === 0) {
    // Passed the day the last required document arrived (today, if nothing was required).
    const completedOn = arrivals.reduce<CalendarDate | undefined>(
      (latest, a) => (latest === undefined || (a.on as CalendarDate).isAfter(latest) ? a.on : latest),
      undefined,
    );
    return { status: 'passed', completedOn: completedOn ?? today };
  }
  return today.isAfter(deadline)
    ? { status: 'failed', missing, deadline }
    : { status: 'awaiting-documents', missing, deadline };
}
