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
  | { readonly status: 'under-review' }
  | {
      readonly status: 'awaiting-documents';
      readonly missing: readonly RequiredDocument[];
      readonly deadline: CalendarDate;
    }
  | { readonly status: 'failed'; readonly missing: readonly RequiredDocument[]; readonly deadline: CalendarDate };

/**
 * R11, the documentation alone (no reviews): under review once every required document arrived
 * by the deadline (inclusive) — only a reviewer passes an audit; failed when the deadline passed
 * with documents missing, naming them. Documents arriving late do not count.
 */
export function evaluateAudit(
  required: readonly RequiredDocument[],
  submitted: readonly SubmittedDocument[],
  deadline: CalendarDate,
  today: CalendarDate,
): AuditStatus {
  const onTime = submitted.filter((d) => !d.submittedOn.isAfter(deadline));
  const missing = required.filter((r) => !onTime.some((d) => matches(r, d)));
  if (missing.length === 0) return { status: 'under-review' };
  return today.isAfter(deadline)
    ? { status: 'failed', missing, deadline }
    : { status: 'awaiting-documents', missing, deadline };
}

/** A document answers a requirement of its kind; a certificate only for the completion it proves. */
export function matches(required: RequiredDocument, document: { kind: AuditDocumentKind; proves?: string }): boolean {
  return document.kind === required.kind && (required.proves === undefined || document.proves === required.proves);
}

/** How a document is named to people: its kind, and for a certificate the completion it proves. */
export function documentName(d: { kind: string; proves?: string }): string {
  return d.proves ? `${d.kind} for ${d.proves}` : d.kind;
}
