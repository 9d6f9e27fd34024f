import { CalendarDate } from './calendar-date';
import { formatCeu, sumCeu } from './ceu';
import { CeuTally } from './completions';
import { CprAedCheck } from './cpr-aed';
import { Cycle } from './cycle';
import { RecertificationFee } from './fees';
import { formatCents } from './money';
import { RecertPolicy } from './policy';
import { checkApplicationWindow } from './application-window';

/** The rules R12 weighs; R2 stands for the whole CEU requirement (R2–R6). */
export type RuleId = 'R2' | 'R7' | 'R9' | 'R10' | 'R11';

/** One rule's verdict, with the inputs it looked at: a decision is explainable. */
export interface RuleVerdict {
  readonly rule: RuleId;
  readonly verdict: 'passed' | 'failed' | 'pending';
  readonly reason: string;
  readonly inputs: Readonly<Record<string, string | number | boolean | null>>;
}

/** R11 as the decision sees it (the application waits while the audit is open — policy default). */
export type AuditState = 'not-selected' | 'awaiting-documents' | 'under-review' | 'passed' | 'failed';

/** R11: a failed audit as the audits service reported it: who decided, why, and each document at fault. */
export interface FailedAudit {
  readonly state: 'failed';
  /** A reviewer's name, or 'deadline'. */
  readonly decidedBy: string;
  readonly reason: string;
  readonly missing: readonly { readonly kind: string; readonly proves?: string }[];
  readonly rejected: readonly {
    readonly documentId: string;
    readonly kind: string;
    readonly proves?: string;
    readonly reason: string;
  }[];
}

export interface DecisionInputs {
  readonly cycle: Cycle;
  readonly receivedOn: CalendarDate;
  readonly tally: CeuTally;
  readonly cprAed: CprAedCheck;
  readonly fee: RecertificationFee;
  readonly feePaid: boolean;
  /** The audit's state; a failure with its findings, so the denial names each document. */
  readonly audit: AuditState | FailedAudit;
  /**
   * Set once the last day the fee could be paid has passed (policy: the end of the final window,
   * R9): an unpaid fee then fails R10, so no application stays open forever.
   */
  readonly feeDueBy?: { readonly lastDay: CalendarDate; readonly passed: boolean };
}

/**
 * R12: approved when CEUs are met (R2–R6), the CPR/AED card is valid (R7), the application is
 * within the window (R9), the fee is paid (R10) and, if audited, the audit passed (R11). Denied
 * when any rule failed — every failed rule is named. Pending while a fee or an audit is awaited.
 */
export interface Decision {
  readonly outcome: 'approved' | 'denied' | 'pending';
  readonly verdicts: readonly RuleVerdict[];
  readonly failedRules: readonly RuleId[];
  /** Set when approved with an online-only card during the waiver (R7). */
  readonly advisory: 'obtain-hands-on-assessment' | null;
}

export function decide(inputs: DecisionInputs, policy: RecertPolicy): Decision {
  const verdicts: RuleVerdict[] = [
    ceuVerdict(inputs, policy),
    cprVerdict(inputs),
    windowVerdict(inputs, policy),
    feeVerdict(inputs),
    auditVerdict(inputs),
  ];
  const failedRules = verdicts.filter((v) => v.verdict === 'failed').map((v) => v.rule);
  const outcome =
    failedRules.length > 0 ? 'denied' : verdicts.some((v) => v.verdict === 'pending') ? 'pending' : 'approved';
  return {
    outcome,
    verdicts,
    failedRules,
    advisory: outcome === 'approved' && inputs.cprAed.valid ? inputs.cprAed.advisory : null,
  };
}

/** What is judged on the day of receipt, before anything is owed: the CEUs, the card and the window. */
export type ReceiptInputs = Pick<DecisionInputs, 'cycle' | 'receivedOn' | 'tally' | 'cprAed'>;

/**
 * R12 at receipt (policy: one applies once the requirements are met): R2–R6, R7 and R9 judged
 * on the ledger as it stood at receipt, rule by rule with their inputs, exactly as a decision
 * would judge them. Any failure refuses the application and names every failed rule.
 */
export function receiptVerdicts(
  inputs: ReceiptInputs,
  policy: RecertPolicy,
): { readonly verdicts: readonly RuleVerdict[]; readonly failedRules: readonly RuleId[] } {
  const verdicts = [ceuVerdict(inputs, policy), cprVerdict(inputs), windowVerdict(inputs, policy)];
  return { verdicts, failedRules: verdicts.filter((v) => v.verdict === 'failed').map((v) => v.rule) };
}

function ceuVerdict({ tally }: Pick<DecisionInputs, 'tally'>, policy: RecertPolicy): RuleVerdict {
  const met = tally.totalCeu >= policy.requiredCourseCeu;
  const inputs = {
    courseCeu: formatCeu(tally.totalCeu),
    requiredCourseCeu: formatCeu(policy.requiredCourseCeu),
    countedCourses: tally.counted.length,
    notCounted: tally.notCounted.length,
    // R4/R5: why each left-out completion did not count, so a denial can be checked by hand.
    notCountedDetail: tally.notCounted.map((n) => `${n.id}: ${n.reason}`).join('; ') || null,
    totalWithCprAed: formatCeu(sumCeu([tally.totalCeu, policy.cprAedCeu])),
  };
  return met
    ? {
        rule: 'R2',
        verdict: 'passed',
        reason: `R2: ${inputs.courseCeu} CEUs from courses (${inputs.requiredCourseCeu} required)`,
        inputs,
      }
    : {
        rule: 'R2',
        verdict: 'failed',
        reason:
          `R2: ${inputs.courseCeu} CEUs from courses counted in the window; ${inputs.requiredCourseCeu} required (R3–R6)` +
          // R12: what did not count, and why, so the trainer sees what to fix.
          (tally.notCounted.length > 0
            ? `; not counted: ${tally.notCounted.map((n) => `${n.id} (${n.explanation})`).join('; ')}`
            : ''),
        inputs,
      };
}

function cprVerdict({ cprAed, receivedOn }: Pick<DecisionInputs, 'cprAed' | 'receivedOn'>): RuleVerdict {
  if (cprAed.valid) {
    return {
      rule: 'R7',
      verdict: 'passed',
      reason: `R7: card ${cprAed.card.cardId} is current on ${receivedOn}${cprAed.advisory ? ' (online-only, accepted during the waiver)' : ''}`,
      inputs: {
        cardId: cprAed.card.cardId,
        expiresOn: cprAed.card.expiresOn.toString(),
        handsOn: cprAed.card.handsOnSkillsAssessment,
      },
    };
  }
  return {
    rule: 'R7',
    verdict: 'failed',
    reason: cprAed.reasons.join('; '),
    inputs: { receivedOn: receivedOn.toString() },
  };
}

function windowVerdict({ cycle, receivedOn }: Pick<DecisionInputs, 'cycle' | 'receivedOn'>, policy: RecertPolicy): RuleVerdict {
  const check = checkApplicationWindow(cycle, receivedOn, policy);
  const inputs = { receivedOn: receivedOn.toString(), expiresOn: cycle.expiresOn.toString() };
  return check.accepted
    ? { rule: 'R9', verdict: 'passed', reason: `R9: received ${receivedOn}, within the application window`, inputs }
    : { rule: 'R9', verdict: 'failed', reason: check.reason, inputs };
}

function feeVerdict({ fee, feePaid, feeDueBy }: DecisionInputs): RuleVerdict {
  const inputs = {
    tier: fee.tier,
    receivedOn: fee.receivedOn.toString(),
    total: formatCents(fee.total),
    paid: feePaid,
    lastDayToPay: feeDueBy?.lastDay.toString() ?? null,
    recertifyForLife: fee.waivedBy?.membershipId ?? null,
  };
  if (fee.waivedBy)
    return {
      rule: 'R10',
      verdict: 'passed',
      reason: `R10: no recertification fee is owed: Recertify for Life member (membership ${fee.waivedBy.membershipId}, bought ${fee.waivedBy.purchasedAt} before receipt)`,
      inputs,
    };
  if (fee.total === 0) return { rule: 'R10', verdict: 'passed', reason: 'R10: no recertification fee is owed', inputs };
  if (feePaid)
    return { rule: 'R10', verdict: 'passed', reason: `R10: the ${fee.tier} fee of ${inputs.total} is paid`, inputs };
  return feeDueBy?.passed
    ? {
        rule: 'R10',
        verdict: 'failed',
        reason: `R10: the ${fee.tier} fee of ${inputs.total} was still unpaid after ${feeDueBy.lastDay}, the end of the final window`,
        inputs,
      }
    : { rule: 'R10', verdict: 'pending', reason: `R10: the ${fee.tier} fee of ${inputs.total} is awaited`, inputs };
}

function auditVerdict({ audit }: DecisionInputs): RuleVerdict {
  if (typeof audit !== 'string') return failedAuditVerdict(audit);
  const inputs = { audit };
  switch (audit) {
    case 'not-selected':
      return { rule: 'R11', verdict: 'passed', reason: 'R11: not selected for audit', inputs };
    case 'passed':
      return { rule: 'R11', verdict: 'passed', reason: 'R11: the audit passed', inputs };
    case 'awaiting-documents':
      return {
        rule: 'R11',
        verdict: 'pending',
        reason: 'R11: selected for audit; supporting documents are awaited',
        inputs,
      };
    case 'under-review':
      return {
        rule: 'R11',
        verdict: 'pending',
        reason: 'R11: every supporting document is in; the audit awaits a reviewer',
        inputs,
      };
    case 'failed':
      // A failure reported without its findings (recorded before they were carried).
      return {
        rule: 'R11',
        verdict: 'failed',
        reason: 'R11: the audit failed: documentation missing at the deadline',
        inputs,
      };
  }
}

/** R11: a failed audit's denial names each missing or rejected document, who decided and why. */
function failedAuditVerdict(audit: FailedAudit): RuleVerdict {
  const name = (d: { kind: string; proves?: string }) => (d.proves ? `${d.kind} for ${d.proves}` : d.kind);
  const missing = audit.missing.map(name);
  const rejected = audit.rejected.map((r) => `${r.documentId} (${name(r)}): ${r.reason}`);
  const parts = [
    `R11: the audit failed (decided by ${audit.decidedBy}: ${audit.reason})`,
    ...(missing.length > 0 ? [`missing: ${missing.join(', ')}`] : []),
    ...(rejected.length > 0 ? [`rejected: ${rejected.join('; ')}`] : []),
  ];
  return {
    rule: 'R11',
    verdict: 'failed',
    reason: parts.join('; '),
    inputs: {
      audit: 'failed',
      decidedBy: audit.decidedBy,
      auditReason: audit.reason,
      missingDocuments: missing.join('; ') || null,
      rejectedDocuments: rejected.join('; ') || null,
    },
  };
}
