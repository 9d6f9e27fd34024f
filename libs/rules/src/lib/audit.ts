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

export function requiredAuditDocuments(countedCreditIds: readonly string[]): RequiredDocument[] {
  return [
    ...countedCreditIds.map((id) => ({ kind: 'course-certificate' as const, proves: id })),
    { kind: 'cpr-aed-card-front' },
    { kind: 'cpr-aed-card-back' },
  ];
}

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
  const missing = required.filter(
    (r) => !onTime.some((d) => d.kind === r.kind && (r.proves === undefined || d.proves === r.proves)),
  );
  if (missing.length === 0) {
    const last = required
      .map((r) => onTime.filter((d) => d.kind === r.kind && (r.proves === undefined || d.proves === r.proves)))
      .map(
        (matches) => matches.reduce((first, d) => (d.submittedOn.isBefore(first.submittedOn) ? d : first)).submittedOn,
      )
      .reduce((latest, on) => (on.isAfter(latest) ? on : latest));
    return { status: 'passed', completedOn: last };
  }
  return today.isAfter(deadline)
    ? { status: 'failed', missing, deadline }
    : { status: 'awaiting-documents', missing, deadline };
}
