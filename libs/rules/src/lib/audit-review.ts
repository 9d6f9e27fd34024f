import { AuditDocumentKind, documentName, matches, RequiredDocument } from './audit';
import { AuditDraw } from './audit-draw';
import { CalendarDate } from './calendar-date';
import { RecertPolicy } from './policy';

/**
 * R11, the audit as the department works it (DOMAIN.md, "Clarified after review"):
 * selected → awaiting documents → under review (every required document in, none rejected) →
 * passed or failed, by a reviewer. A rejection sends the audit back to awaiting documents with
 * the same last day; the deadline fails only an audit still missing or rejecting documents.
 */
export type AuditLifecycle = 'not-selected' | 'awaiting-documents' | 'under-review' | 'passed' | 'failed';
export type OpenAuditState = 'awaiting-documents' | 'under-review';
export type DocumentReviewState = 'pending' | 'accepted' | 'rejected';

/** A document on record for an audit, dated in the credential's time zone, with its review. */
export interface ReviewedDocument {
  readonly documentId: string;
  readonly kind: AuditDocumentKind;
  readonly proves?: string;
  readonly submittedOn: CalendarDate;
  readonly review: DocumentReviewState;
  readonly reason?: string;
}

export interface MissingDocument {
  readonly kind: AuditDocumentKind;
  readonly proves?: string;
}

export interface RejectedDocument {
  readonly documentId: string;
  readonly kind: AuditDocumentKind;
  readonly proves?: string;
  readonly reason: string;
}

/** Where each required document stands; documents uploaded after the last day count for nothing. */
export interface DocumentAssessment {
  readonly accepted: readonly { readonly required: RequiredDocument; readonly documentId: string }[];
  readonly awaitingReview: readonly { readonly required: RequiredDocument; readonly documentId: string }[];
  readonly rejected: readonly RejectedDocument[];
  readonly missing: readonly MissingDocument[];
}

/** What a reviewer's action or the deadline may not do, and why: `invalid` is bad input, `conflict` the wrong moment. */
export interface Refusal {
  readonly refused: 'invalid' | 'conflict';
  readonly message: string;
}

const isOpen = (status: AuditLifecycle): status is OpenAuditState =>
  status === 'awaiting-documents' || status === 'under-review';

/**
 * R11: for each required document, an accepted one answers it; else one awaiting review; a
 * requirement whose on-time documents were all rejected is rejected (naming the latest
 * rejection); one with no on-time document is missing.
 */
export function assessDocuments(
  required: readonly RequiredDocument[],
  documents: readonly ReviewedDocument[],
  lastDay: CalendarDate,
): DocumentAssessment {
  const onTime = documents.filter((d) => !d.submittedOn.isAfter(lastDay));
  const assessment = { accepted: [], awaitingReview: [], rejected: [], missing: [] } as {
    accepted: { required: RequiredDocument; documentId: string }[];
    awaitingReview: { required: RequiredDocument; documentId: string }[];
    rejected: RejectedDocument[];
    missing: MissingDocument[];
  };
  for (const r of required) {
    const candidates = onTime.filter((d) => matches(r, d));
    const accepted = candidates.find((d) => d.review === 'accepted');
    const pending = candidates.find((d) => d.review === 'pending');
    const rejected = candidates.filter((d) => d.review === 'rejected').at(-1);
    if (accepted) assessment.accepted.push({ required: r, documentId: accepted.documentId });
    else if (pending) assessment.awaitingReview.push({ required: r, documentId: pending.documentId });
    else if (rejected)
      assessment.rejected.push({
        documentId: rejected.documentId,
        kind: r.kind,
        ...(r.proves === undefined ? {} : { proves: r.proves }),
        reason: rejected.reason ?? 'rejected',
      });
    else assessment.missing.push({ ...r });
  }
  return assessment;
}

/** R11: an open audit is under review once every required document is in and none is rejected. */
export function openAuditState(assessment: DocumentAssessment): OpenAuditState {
  return assessment.missing.length === 0 && assessment.rejected.length === 0 ? 'under-review' : 'awaiting-documents';
}

const notOpen = (status: AuditLifecycle): Refusal => ({
  refused: 'conflict',
  message:
    status === 'not-selected'
      ? 'the application was not selected for audit'
      : `the audit is ${status}: a completed audit is final`,
});

const blank = (text: string | undefined | null): boolean => !text || text.trim().length === 0;

/**
 * R11: a reviewer accepts or rejects one document while the audit is open (awaiting documents
 * or under review). A rejection gives its reason; a rejected document stays rejected (the
 * trainer uploads another); a document uploaded after the last day counts for nothing.
 */
export function checkDocumentReview(
  status: AuditLifecycle,
  document: ReviewedDocument,
  verdict: 'accept' | 'reject',
  reason: string | undefined,
  lastDay: CalendarDate,
): Refusal | null {
  if (verdict === 'reject' && blank(reason)) return { refused: 'invalid', message: 'a rejection gives its reason' };
  if (!isOpen(status)) return notOpen(status);
  if (document.submittedOn.isAfter(lastDay))
    return {
      refused: 'conflict',
      message: `document ${document.documentId} was uploaded on ${document.submittedOn}, after the last day (${lastDay}): it does not count`,
    };
  if (document.review === 'rejected')
    return {
      refused: 'conflict',
      message: `document ${document.documentId} was rejected (${document.reason ?? 'no reason'}): the trainer uploads another`,
    };
  if (verdict === 'accept' && document.review === 'accepted')
    return { refused: 'conflict', message: `document ${document.documentId} is already accepted` };
  return null;
}

/** R11: a reviewer passes an audit only when every required document is in and accepted. */
export function checkPass(status: AuditLifecycle, assessment: DocumentAssessment): Refusal | null {
  if (!isOpen(status)) return notOpen(status);
  const open = [
    ...assessment.missing.map((m) => `${documentName(m)} is missing`),
    ...assessment.rejected.map((r) => `${documentName(r)}: ${r.documentId} was rejected (${r.reason})`),
    ...assessment.awaitingReview.map((p) => `${documentName(p.required)}: ${p.documentId} awaits review`),
  ];
  return open.length === 0
    ? null
    : { refused: 'conflict', message: `R11: not every required document is accepted: ${open.join('; ')}` };
}

/** R11: a reviewer fails an open audit, with the reason. */
export function checkFail(status: AuditLifecycle, reason: string | undefined): Refusal | null {
  if (blank(reason)) return { refused: 'invalid', message: 'failing an audit gives its reason' };
  return isOpen(status) ? null : notOpen(status);
}

/**
 * R11 [policy]: a reviewer may extend the documentation window `auditExtensionsAllowed` times
 * (default once), by 1 to `auditExtensionMaxDays` days (default 30), with a reason; the new last
 * day counts from the current one.
 */
export function extendedLastDay(
  status: AuditLifecycle,
  lastDay: CalendarDate,
  extensionsGranted: number,
  days: number,
  reason: string | undefined,
  policy: RecertPolicy,
): Refusal | { readonly lastDay: CalendarDate } {
  if (!Number.isSafeInteger(days) || days < 1 || days > policy.auditExtensionMaxDays)
    return {
      refused: 'invalid',
      message: `an extension is 1 to ${policy.auditExtensionMaxDays} whole days (got ${String(days)})`,
    };
  if (blank(reason)) return { refused: 'invalid', message: 'an extension gives its reason' };
  if (!isOpen(status)) return notOpen(status);
  if (extensionsGranted >= policy.auditExtensionsAllowed)
    return {
      refused: 'conflict',
      message: `the deadline was already extended ${extensionsGranted === 1 ? 'once' : `${extensionsGranted} times`}; policy allows ${policy.auditExtensionsAllowed}`,
    };
  return { lastDay: lastDay.addDays(days) };
}

export type DeadlineEffect =
  | { readonly effect: 'fail'; readonly reason: string; readonly findings: AuditFindingsOf }
  | { readonly effect: 'none'; readonly why: string };

export interface AuditFindingsOf {
  readonly missing: readonly MissingDocument[];
  readonly rejected: readonly RejectedDocument[];
}

/**
 * R11: at the end of the last day, the deadline fails an audit for the documents still missing
 * or rejected; an audit under review (everything in, none rejected) is left to the reviewer. A
 * deadline whose last day was extended, or of a completed audit, does nothing.
 */
export function deadlineEffect(
  status: AuditLifecycle,
  assessment: DocumentAssessment,
  lastDay: CalendarDate,
  today: CalendarDate,
): DeadlineEffect {
  if (!isOpen(status)) return { effect: 'none', why: `stale: the audit is ${status}` };
  if (!today.isAfter(lastDay)) return { effect: 'none', why: `stale: the last day is ${lastDay}` };
  if (openAuditState(assessment) === 'under-review')
    return { effect: 'none', why: 'under review: every document was in by the last day' };
  return {
    effect: 'fail',
    reason: `documents missing or rejected at the end of ${lastDay}`,
    findings: { missing: assessment.missing, rejected: assessment.rejected },
  };
}

export interface AuditSelection {
  readonly selected: boolean;
  readonly forced: boolean;
  readonly forcedReason: string | null;
}

/**
 * R11: a trainer who failed the audit of a cycle is selected again, whatever the draw, on any
 * later application for that cycle; the draw is still made and recorded.
 */
export function auditSelection(draw: AuditDraw, failedAuditOfCycle: string | null): AuditSelection {
  return failedAuditOfCycle === null
    ? { selected: draw.selected, forced: false, forcedReason: null }
    : {
        selected: true,
        forced: true,
        forcedReason: `R11: the audit of application ${failedAuditOfCycle} for this cycle failed`,
      };
}
