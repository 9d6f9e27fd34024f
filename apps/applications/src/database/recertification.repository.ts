import { EntityManager } from 'typeorm';
import {
  CalendarDate,
  ceuHundredths,
  CeuTally,
  CprAedCard,
  cycle,
  Cycle,
  FeeLine,
  FailedAudit,
  FeeTier,
  NotCountedReason,
  RecertificationFee,
  RecertifyForLifeMembership,
} from '@recert/rules';

/** What the applications service keeps, read and written inside the caller's transaction. */

export interface CredentialRecord {
  trainerId: string;
  credentialId: string;
  timeZone: string;
  currentCycle: Cycle;
}

/** The CEU ledger as it stood at an application's receipt (LedgerAtReceipt), as stored with it. */
export interface LedgerAtReceiptJson {
  totalCeuHundredths: number;
  counted: { source: 'approved-course' | 'petition'; id: string; ceuHundredths: number; completedOn: string }[];
  notCounted: { id: string; reason: NotCountedReason; explanation: string }[];
  cprAedCards: {
    cardId: string;
    issuedOn: string;
    expiresOn: string;
    includesAdultCpr: boolean;
    includesAed: boolean;
    handsOnSkillsAssessment: boolean;
  }[];
}

export interface LedgerAtReceipt {
  tally: CeuTally;
  cprAedCards: CprAedCard[];
}

export type AuditState = 'not-selected' | 'awaiting-documents' | 'passed' | 'failed';
export type ApplicationStatus = 'received' | 'refused' | 'submitted' | 'approved' | 'denied';

export interface ApplicationRecord {
  applicationId: string;
  trainerId: string;
  credentialId: string;
  cycle: Cycle;
  receivedOn: CalendarDate;
  status: ApplicationStatus;
  /** Whether the fee is fixed: on the day received and the membership payments held then (R10). */
  feeFixed: boolean;
  feeTier: FeeTier | null;
  feeLines: FeeLine[] | null;
  feeTotalCents: number | null;
  feeWaivedBy: RecertifyForLifeMembership | null;
  feePaid: boolean;
  auditState: AuditState | null;
  /** R11: a failed audit's findings (who decided, why, each document at fault), once recorded. */
  auditFindings: FailedAudit | null;
  ledgerAtReceipt: LedgerAtReceipt | null;
}

export class RecertificationRepository {
  constructor(private readonly m: EntityManager) {}

  /** Every credential of the trainer with its newest cycle, the most recently started first. */
  async credentialsOf(trainerId: string): Promise<CredentialRecord[]> {
    const rows = await this.m.query(
      `SELECT DISTINCT ON (c.credential_id) c.trainer_id, c.credential_id, c.time_zone, y.starts_on, y.expires_on
       FROM credentials c JOIN cycles y USING (credential_id)
       WHERE c.trainer_id = $1 ORDER BY c.credential_id, y.expires_on DESC`,
      [trainerId],
    );
    return rows
      .map(toCredential)
      .sort((a: CredentialRecord, b: CredentialRecord) => (a.currentCycle.startsOn.isAfter(b.currentCycle.startsOn) ? -1 : 1));
  }

  /** The credential with its newest cycle, its row locked so changes of one credential apply in turn. */
  async credentialForUpdate(credentialId: string): Promise<CredentialRecord | null> {
    const rows = await this.m.query(
      `SELECT c.trainer_id, c.credential_id, c.time_zone, y.starts_on, y.expires_on
       FROM credentials c JOIN cycles y USING (credential_id)
       WHERE c.credential_id = $1 ORDER BY y.expires_on DESC LIMIT 1 FOR UPDATE OF c`,
      [credentialId],
    );
    return rows.length === 0 ? null : toCredential(rows[0]);
  }

  /** Records a credential and its first cycle; false when the credential was already known. */
  async insertCredential(trainerId: string, credentialId: string, timeZone: string, first: Cycle): Promise<boolean> {
    const inserted = await this.m.query(
      `INSERT INTO credentials (trainer_id, credential_id, time_zone, certified_on) VALUES ($1, $2, $3, $4)
       ON CONFLICT (credential_id) DO NOTHING RETURNING 1`,
      [trainerId, credentialId, timeZone, first.startsOn.toString()],
    );
    if (inserted.length === 0) return false;
    await this.insertCycle(trainerId, credentialId, first, 'certification');
    return true;
  }

  /** The trainer a known credential belongs to, or null. */
  async holderOf(credentialId: string): Promise<string | null> {
    const [row] = await this.m.query(`SELECT trainer_id FROM credentials WHERE credential_id = $1`, [credentialId]);
    return row?.trainer_id ?? null;
  }

  async hasCycle(credentialId: string, c: Cycle): Promise<boolean> {
    const rows = await this.m.query(
      `SELECT 1 FROM cycles WHERE credential_id = $1 AND starts_on = $2 AND expires_on = $3`,
      [credentialId, c.startsOn.toString(), c.expiresOn.toString()],
    );
    return rows.length > 0;
  }

  async insertCycle(
    trainerId: string,
    credentialId: string,
    next: Cycle,
    startedBy: 'certification' | 'recertification',
  ): Promise<void> {
    await this.m.query(
      `INSERT INTO cycles (trainer_id, credential_id, starts_on, expires_on, started_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [trainerId, credentialId, next.startsOn.toString(), next.expiresOn.toString(), startedBy],
    );
  }

  async application(applicationId: string): Promise<ApplicationRecord | null> {
    const rows = await this.m.query(`SELECT * FROM applications WHERE application_id = $1 FOR UPDATE`, [applicationId]);
    return rows.length === 0 ? null : toApplication(rows[0]);
  }

  /** The application in progress or approved for the cycle, if any (one at a time, R12). */
  async openApplication(credentialId: string, cycleExpiresOn: CalendarDate): Promise<ApplicationRecord | null> {
    const rows = await this.m.query(
      `SELECT * FROM applications WHERE credential_id = $1 AND cycle_expires_on = $2
       AND status IN ('received', 'submitted', 'approved')`,
      [credentialId, cycleExpiresOn.toString()],
    );
    return rows.length === 0 ? null : toApplication(rows[0]);
  }

  async insertApplication(a: {
    applicationId: string;
    trainerId: string;
    credentialId: string;
    cycle: Cycle;
    receivedAt: Date;
    receivedOn: CalendarDate;
    claimedSubmittedAt: Date;
    status: 'received' | 'refused';
    refusal?: { reasons: readonly string[]; failedRules: readonly string[]; verdicts: readonly unknown[] };
  }): Promise<boolean> {
    const inserted = await this.m.query(
      `INSERT INTO applications (application_id, trainer_id, credential_id, cycle_starts_on, cycle_expires_on, received_at,
                                 received_on, claimed_submitted_at, status, refusal_reasons, refusal)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb)
       ON CONFLICT (application_id) DO NOTHING RETURNING 1`,
      [
        a.applicationId,
        a.trainerId,
        a.credentialId,
        a.cycle.startsOn.toString(),
        a.cycle.expiresOn.toString(),
        a.receivedAt,
        a.receivedOn.toString(),
        a.claimedSubmittedAt,
        a.status,
        a.refusal ? JSON.stringify(a.refusal.reasons) : null,
        a.refusal ? JSON.stringify({ failedRules: a.refusal.failedRules, verdicts: a.refusal.verdicts }) : null,
      ],
    );
    return inserted.length > 0;
  }

  /**
   * The CEU ledger as it stood at receipt came: kept with the application, which it is judged on.
   * Only a received application still without one takes it; null otherwise (a late or repeated answer).
   */
  async recordLedgerAtReceipt(applicationId: string, ledger: LedgerAtReceiptJson): Promise<ApplicationRecord | null> {
    return this.updated(
      `UPDATE applications SET ledger_at_receipt = $2::jsonb
       WHERE application_id = $1 AND status = 'received' AND ledger_at_receipt IS NULL RETURNING *`,
      [applicationId, JSON.stringify(ledger)],
    );
  }

  /** R10: the fee, fixed (none outside the window, R9); it never changes after. */
  async fixFee(applicationId: string, fee: RecertificationFee | null): Promise<ApplicationRecord | null> {
    return this.updated(
      `UPDATE applications SET fee_fixed = true, fee_tier = $2, fee_lines = $3::jsonb, fee_total_cents = $4,
                               fee_waived_by = $5::jsonb
       WHERE application_id = $1 RETURNING *`,
      [
        applicationId,
        fee?.tier ?? null,
        fee ? JSON.stringify(fee.lines) : null,
        fee?.total ?? null,
        fee?.waivedBy ? JSON.stringify(fee.waivedBy) : null,
      ],
    );
  }

  /** Judged at receipt on its ledger and fee: the application is submitted (requirements met) or refused (R12). */
  async recordReceiptJudgement(
    applicationId: string,
    judgement:
      | { status: 'submitted' }
      | { status: 'refused'; reasons: readonly string[]; failedRules: readonly string[]; verdicts: readonly unknown[] },
  ): Promise<void> {
    await this.m.query(
      `UPDATE applications SET status = $2, refusal_reasons = $3::jsonb, refusal = $4::jsonb WHERE application_id = $1`,
      [
        applicationId,
        judgement.status,
        judgement.status === 'refused' ? JSON.stringify(judgement.reasons) : null,
        judgement.status === 'refused'
          ? JSON.stringify({ failedRules: judgement.failedRules, verdicts: judgement.verdicts })
          : null,
      ],
    );
  }

  /** Paid, or unpaid again after a refund (a refund is a fact: the application waits for payment, R10). */
  async setFeePaid(applicationId: string, paid: boolean): Promise<ApplicationRecord | null> {
    return this.updated(`UPDATE applications SET fee_paid = $2 WHERE application_id = $1 RETURNING *`, [
      applicationId,
      paid,
    ]);
  }

  /** R11: the draw's answer; an audit that completed before its draw was recorded is not set back (null then). */
  async recordAuditDrawn(applicationId: string, selected: boolean): Promise<ApplicationRecord | null> {
    return this.updated(
      `UPDATE applications SET audit_state = $2
       WHERE application_id = $1 AND audit_state IS DISTINCT FROM 'passed' AND audit_state IS DISTINCT FROM 'failed'
       RETURNING *`,
      [applicationId, selected ? 'awaiting-documents' : 'not-selected'],
    );
  }

  /** R11: a completed audit's outcome and, for a failure, who decided, why and each document at fault. */
  async recordAuditCompleted(
    applicationId: string,
    outcome: 'passed' | 'failed',
    findings: FailedAudit | null,
  ): Promise<ApplicationRecord | null> {
    return this.updated(
      `UPDATE applications SET audit_state = $2, audit_findings = $3::jsonb WHERE application_id = $1 RETURNING *`,
      [applicationId, outcome, findings ? JSON.stringify(findings) : null],
    );
  }

  async recordDecision(
    applicationId: string,
    outcome: 'approved' | 'denied',
    decision: unknown,
    decidedOn: CalendarDate,
    consumedCreditIds: readonly string[],
  ): Promise<void> {
    await this.m.query(
      `UPDATE applications SET status = $2, decision = $3::jsonb, decided_on = $4, consumed_credit_ids = $5::jsonb
       WHERE application_id = $1`,
      [applicationId, outcome, JSON.stringify(decision), decidedOn.toString(), JSON.stringify(consumedCreditIds)],
    );
  }

  /** Applications of the cycle still waiting for their fee, locked (R10: the final window's end denies them). */
  async unpaidApplications(credentialId: string, cycleExpiresOn: string): Promise<string[]> {
    const rows: { application_id: string }[] = await this.m.query(
      `SELECT application_id FROM applications
       WHERE credential_id = $1 AND cycle_expires_on = $2 AND status = 'submitted' AND NOT fee_paid
       AND coalesce(fee_total_cents, 0) > 0 FOR UPDATE`,
      [credentialId, cycleExpiresOn],
    );
    return rows.map((r) => r.application_id);
  }

  /** An UPDATE … RETURNING * of one application (row locked): the record as it now is, or null if none matched. */
  private async updated(sql: string, parameters: unknown[]): Promise<ApplicationRecord | null> {
    // TypeORM answers an UPDATE … RETURNING with [rows, count].
    const [rows]: [Record<string, unknown>[], number] = await this.m.query(sql, parameters);
    return rows.length === 0 ? null : toApplication(rows[0]);
  }
}

function toCredential(r: Record<string, string>): CredentialRecord {
  return {
    trainerId: r['trainer_id'],
    credentialId: r['credential_id'],
    timeZone: r['time_zone'],
    currentCycle: cycle(CalendarDate.parse(r['starts_on']), CalendarDate.parse(r['expires_on'])),
  };
}

export function ledgerFromJson(l: LedgerAtReceiptJson): LedgerAtReceipt {
  return {
    tally: {
      counted: l.counted.map((c) => ({
        source: c.source,
        id: c.id,
        ceu: ceuHundredths(c.ceuHundredths),
        completedOn: CalendarDate.parse(c.completedOn),
      })),
      notCounted: l.notCounted,
      totalCeu: ceuHundredths(l.totalCeuHundredths),
    },
    cprAedCards: l.cprAedCards.map((c) => ({
      ...c,
      issuedOn: CalendarDate.parse(c.issuedOn),
      expiresOn: CalendarDate.parse(c.expiresOn),
    })),
  };
}

function toApplication(r: Record<string, unknown>): ApplicationRecord {
  return {
    applicationId: r['application_id'] as string,
    trainerId: r['trainer_id'] as string,
    credentialId: r['credential_id'] as string,
    cycle: cycle(CalendarDate.parse(r['cycle_starts_on'] as string), CalendarDate.parse(r['cycle_expires_on'] as string)),
    receivedOn: CalendarDate.parse(r['received_on'] as string),
    status: r['status'] as ApplicationStatus,
    feeFixed: r['fee_fixed'] as boolean,
    feeTier: (r['fee_tier'] as FeeTier | null) ?? null,
    feeLines: (r['fee_lines'] as FeeLine[] | null) ?? null,
    feeTotalCents: (r['fee_total_cents'] as number | null) ?? null,
    feeWaivedBy: (r['fee_waived_by'] as RecertifyForLifeMembership | null) ?? null,
    feePaid: r['fee_paid'] as boolean,
    auditState: (r['audit_state'] as AuditState | null) ?? null,
    auditFindings: (r['audit_findings'] as FailedAudit | null) ?? null,
    ledgerAtReceipt: r['ledger_at_receipt'] ? ledgerFromJson(r['ledger_at_receipt'] as LedgerAtReceiptJson) : null,
  };
}
