import { CalendarDate } from './calendar-date';
import { checkApplicationWindow, CycleWindows, windowsOf } from './application-window';
import {
  AuditExtension,
  auditDeadline,
  AuditStatus,
  evaluateAudit,
  requiredAuditDocuments,
  SubmittedDocument,
} from './audit';
import { formatCeu } from './ceu';
import { CeuTally, CourseCompletion, PetitionCredit, tallyCeu } from './completions';
import { checkCprAed, CprAedCard, CprAedCheck, cprAedReferenceDate } from './cpr-aed';
import { credentialStatusOn, CredentialStatus } from './credential-status';
import { Cycle } from './cycle';
import { auditDeadlines, cycleDeadlines, Deadline, sortDeadlines, waiverDeadline } from './deadlines';
import { recertificationFee, RecertificationFee, RecertifyForLifeMembership } from './fees';
import { Cents, formatCents, outstandingCents, sumCents } from './money';
import { Petition } from './petition';
import { RecertPolicy } from './policy';
import { ProviderRegistry } from './provider-registry.port';
import { CeuProgress, ceuProgress } from './requirement';

/** A petition on record, with the completion date of the petitioned course (R4 applies to it too). */
export interface PetitionRecord {
  readonly petitionId: string;
  readonly petition: Petition;
  readonly completedOn: CalendarDate;
}

/** A payment toward the recertification fee, as the payment processor reported it. */
export interface FeePayment {
  readonly paymentId: string;
  readonly amount: Cents;
  readonly status: 'succeeded' | 'failed' | 'refunded';
}

/** An audit the application was selected for (R11). */
export interface AuditRecord {
  readonly selectedOn: CalendarDate;
  readonly extensions?: readonly AuditExtension[];
  readonly documents?: readonly SubmittedDocument[];
}

/** Everything known about one trainer's current cycle. */
export interface TrainerRecords {
  readonly cycle: Cycle;
  readonly completions: readonly CourseCompletion[];
  readonly cprAedCards: readonly CprAedCard[];
  /** Petitions in any state; approved ones count their granted CEUs (R6). */
  readonly petitions?: readonly PetitionRecord[];
  /** Petition credits a ledger already holds (counted once with `petitions`, by petition id). */
  readonly petitionCredits?: readonly PetitionCredit[];
  readonly payments?: readonly FeePayment[];
  readonly audit?: AuditRecord;
  /** The trainer's Recertify for Life membership, if payments recorded one. */
  readonly recertifyForLife?: RecertifyForLifeMembership | null;
  /** Credit id → the expiration of the earlier cycle that used it (R4: credits are used once). */
  readonly usedByEarlierCycles?: ReadonlyMap<string, string>;
}

export type MissingCode =
  | 'course-ceu'
  | 'petition-fee'
  | 'petition-review'
  | 'cpr-aed'
  | 'application-window'
  | 'audit-documents';

/** One thing standing between the trainer and an approvable application. */
export interface Missing {
  readonly rule: 'R2' | 'R6' | 'R7' | 'R9' | 'R11';
  readonly code: MissingCode;
  readonly reason: string;
}

export interface WhatIf {
  readonly on: CalendarDate;
  readonly status: CredentialStatus;
  readonly windows: CycleWindows;
  readonly tally: CeuTally;
  readonly progress: CeuProgress;
  readonly cprAed: CprAedCheck;
  readonly audit: AuditStatus | null;
  /** What still stands between the trainer and an approvable application (the fee aside). */
  readonly missing: readonly Missing[];
  /** The fee if the application were received on `on`; null when it would be refused (R9). */
  readonly feeIfReceivedOn: RecertificationFee | null;
  /** That fee less the recertification payments that succeeded and were not refunded (each payment id once). */
  readonly feeDueIfReceivedOn: Cents | null;
  /** Every deadline that applies (cycle, audit if selected, waiver end if known), in due order. */
  readonly deadlines: readonly Deadline[];
  /** The deadlines still ahead (due on or after `on`). */
  readonly upcomingDeadlines: readonly Deadline[];
}

/**
 * For a trainer's records and a date: what is missing (R2–R7, R9, R11), which deadlines apply
 * and when, and the fee due if the application were received that day (R10). Pure: the same
 * records and date always give the same answer.
 */
export function whatIf(
  records: TrainerRecords,
  on: CalendarDate,
  registry: ProviderRegistry,
  policy: RecertPolicy,
): WhatIf {
  const petitions = records.petitions ?? [];
  const approvedCredits: PetitionCredit[] = petitions.flatMap((p) =>
    p.petition.state === 'approved' && p.petition.ceuGranted !== null
      ? [{ petitionId: p.petitionId, ceu: p.petition.ceuGranted, completedOn: p.completedOn }]
      : [],
  );
  const tally = tallyCeu(
    records.cycle,
    records.completions,
    [...approvedCredits, ...(records.petitionCredits ?? [])],
    registry,
    policy,
    records.usedByEarlierCycles,
  );
  const cprAed = checkCprAed(records.cprAedCards, cprAedReferenceDate(policy, { submittedOn: on }), policy);
  const progress = ceuProgress(tally, cprAed, policy);
  const window = checkApplicationWindow(records.cycle, on, policy);

  const missing: Missing[] = [];
  if (!progress.courseRequirementMet) {
    missing.push({
      rule: 'R2',
      code: 'course-ceu',
      reason: `R2: ${formatCeu(progress.missingCourseCeu)} more CEUs from courses`,
    });
    // R6: open petitions are what might still fill the gap.
    for (const p of petitions) {
      if (p.petition.state === 'submitted')
        missing.push({
          rule: 'R6',
          code: 'petition-fee',
          reason: `R6: petition ${p.petitionId} awaits its ${formatCents(policy.petitionFee)} fee before review`,
        });
      if (p.petition.state === 'fee-paid' || p.petition.state === 'under-review')
        missing.push({ rule: 'R6', code: 'petition-review', reason: `R6: petition ${p.petitionId} awaits review` });
    }
  }
  if (!cprAed.valid)
    missing.push(...cprAed.reasons.map((reason) => ({ rule: 'R7' as const, code: 'cpr-aed' as const, reason })));
  if (!window.accepted) missing.push({ rule: 'R9', code: 'application-window', reason: window.reason });

  const deadlines = [...cycleDeadlines(records.cycle, policy)];
  let audit: AuditStatus | null = null;
  if (records.audit) {
    const lastDay = auditDeadline(records.audit.selectedOn, policy, records.audit.extensions);
    const required = requiredAuditDocuments(tally.counted.map((c) => c.id));
    audit = evaluateAudit(required, records.audit.documents ?? [], lastDay, on);
    deadlines.push(...auditDeadlines(lastDay, policy));
    if (audit.status !== 'under-review') {
      const names = audit.missing.map((m) => (m.proves ? `${m.kind} (${m.proves})` : m.kind)).join(', ');
      missing.push({
        rule: 'R11',
        code: 'audit-documents',
        reason:
          audit.status === 'failed'
            ? `R11: the audit failed on ${lastDay.addDays(1)}: missing ${names}`
            : `R11: by ${lastDay}: ${names}`,
      });
    }
  }
  const waiverEnd = waiverDeadline(policy);
  if (waiverEnd) deadlines.push(waiverEnd);

  const fee = window.accepted
    ? recertificationFee(records.cycle, on, policy, { recertifyForLife: records.recertifyForLife })
    : null;
  // A payment reported twice counts once; a refunded one not at all, whatever order the reports came in.
  const payments = records.payments ?? [];
  const refunded = new Set(payments.filter((p) => p.status === 'refunded').map((p) => p.paymentId));
  const paid = new Map<string, Cents>();
  for (const p of payments) if (p.status === 'succeeded' && !refunded.has(p.paymentId)) paid.set(p.paymentId, p.amount);
  const sorted = sortDeadlines(deadlines);
  return {
    on,
    status: credentialStatusOn(records.cycle, on, policy),
    windows: windowsOf(records.cycle, policy),
    tally,
    progress,
    cprAed,
    audit,
    missing,
    feeIfReceivedOn: fee,
    feeDueIfReceivedOn: fee ? outstandingCents(fee.total, sumCents([...paid.values()])) : null,
    deadlines: sorted,
    upcomingDeadlines: sorted.filter((d) => !d.dueOn.isBefore(on)),
  };
}
