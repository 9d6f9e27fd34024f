import { EntityManager } from 'typeorm';
import { CalendarDate, ceuHundredths, CeuTally, CprAedCard, cycle, Cycle, FeeLine, FeeTier } from '@recert/rules';

/** What the applications service keeps, read and written inside the caller's transaction. */

export interface CredentialRecord {
  trainerId: string;
  credentialId: string;
  timeZone: string;
  currentCycle: Cycle;
}

export interface LedgerRecord {
  revision: number;
  tally: CeuTally;
  cprAedCards: CprAedCard[];
}

export type AuditState = 'not-selected' | 'awaiting-documents' | 'passed' | 'failed';

export interface ApplicationRecord {
  applicationId: string;
  trainerId: string;
  cycleExpiresOn: CalendarDate;
  receivedOn: CalendarDate;
  status: 'refused' | 'submitted' | 'approved' | 'denied';
  recertifyForLife: boolean;
  feeTier: FeeTier | null;
  feeLines: FeeLine[] | null;
  feeTotalCents: number | null;
  feePaid: boolean;
  auditState: AuditState | null;
}

export class RecertificationRepository {
  constructor(private readonly m: EntityManager) {}

  /** The credential with its newest cycle, its row locked so one trainer's changes apply in turn. */
  async credentialForUpdate(trainerId: string): Promise<CredentialRecord | null> {
    const rows = await this.m.query(
      `SELECT c.trainer_id, c.credential_id, c.time_zone, y.starts_on, y.expires_on
       FROM credentials c JOIN cycles y USING (trainer_id)
       WHERE c.trainer_id = $1 ORDER BY y.expires_on DESC LIMIT 1 FOR UPDATE OF c`,
      [trainerId],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return {
      trainerId: r.trainer_id,
      credentialId: r.credential_id,
      timeZone: r.time_zone,
      currentCycle: cycle(CalendarDate.parse(r.starts_on), CalendarDate.parse(r.expires_on)),
    };
  }

  /** Records a credential and its first cycle; false when it was already known. */
  async insertCredential(trainerId: string, credentialId: string, timeZone: string, first: Cycle): Promise<boolean> {
    const inserted = await this.m.query(
      `INSERT INTO credentials (trainer_id, credential_id, time_zone, certified_on) VALUES ($1, $2, $3, $4)
       ON CONFLICT (trainer_id) DO NOTHING RETURNING 1`,
      [trainerId, credentialId, timeZone, first.startsOn.toString()],
    );
    if (inserted.length === 0) return false;
    await this.insertCycle(trainerId, first);
    return true;
  }

  async insertCycle(trainerId: string, next: Cycle): Promise<void> {
    await this.m.query(
      `INSERT INTO cycles (trainer_id, starts_on, expires_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [trainerId, next.startsOn.toString(), next.expiresOn.toString()],
    );
  }

  async ledger(trainerId: string, cycleExpiresOn: CalendarDate): Promise<LedgerRecord | null> {
    const rows = await this.m.query(
      `SELECT revision, total_ceu_hundredths, counted, cpr_aed_cards FROM ceu_ledgers WHERE trainer_id = $1 AND cycle_expires_on = $2`,
      [trainerId, cycleExpiresOn.toString()],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return {
      revision: r.revision,
      tally: {
        counted: r.counted.map(
          (c: { source: 'approved-course' | 'petition'; id: string; ceuHundredths: number; completedOn: string }) => ({
            source: c.source,
            id: c.id,
            ceu: ceuHundredths(c.ceuHundredths),
            completedOn: CalendarDate.parse(c.completedOn),
          }),
        ),
        notCounted: [],
        totalCeu: ceuHundredths(r.total_ceu_hundredths),
      },
      cprAedCards: r.cpr_aed_cards.map((c: Record<string, string | boolean>) => ({
        cardId: c['cardId'] as string,
        issuedOn: CalendarDate.parse(c['issuedOn'] as string),
        expiresOn: CalendarDate.parse(c['expiresOn'] as string),
        includesAdultCpr: c['includesAdultCpr'] as boolean,
        includesAed: c['includesAed'] as boolean,
        handsOnSkillsAssessment: c['handsOnSkillsAssessment'] as boolean,
      })),
    };
  }

  /** Keeps the newest revision only: ledger events may be redelivered or overtaken. */
  async saveLedger(
    trainerId: string,
    cycleExpiresOn: string,
    revision: number,
    totalCeuHundredths: number,
    counted: unknown,
    cprAedCards: unknown,
  ): Promise<void> {
    await this.m.query(
      `INSERT INTO ceu_ledgers (trainer_id, cycle_expires_on, revision, total_ceu_hundredths, counted, cpr_aed_cards)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)
       ON CONFLICT (trainer_id, cycle_expires_on) DO UPDATE
       SET revision = $3, total_ceu_hundredths = $4, counted = $5::jsonb, cpr_aed_cards = $6::jsonb
       WHERE ceu_ledgers.revision < $3`,
      [trainerId, cycleExpiresOn, revision, totalCeuHundredths, JSON.stringify(counted), JSON.stringify(cprAedCards)],
    );
  }

  async application(applicationId: string): Promise<ApplicationRecord | null> {
    const rows = await this.m.query(`SELECT * FROM applications WHERE application_id = $1 FOR UPDATE`, [applicationId]);
    return rows.length === 0 ? null : toApplication(rows[0]);
  }

  async openApplication(trainerId: string, cycleExpiresOn: CalendarDate): Promise<ApplicationRecord | null> {
    const rows = await this.m.query(
      `SELECT * FROM applications WHERE trainer_id = $1 AND cycle_expires_on = $2 AND status IN ('submitted', 'approved')`,
      [trainerId, cycleExpiresOn.toString()],
    );
    return rows.length === 0 ? null : toApplication(rows[0]);
  }

  async insertApplication(
    a: Pick<
      ApplicationRecord,
      'applicationId' | 'trainerId' | 'cycleExpiresOn' | 'receivedOn' | 'status' | 'recertifyForLife'
    > & {
      fee?: { tier: FeeTier; lines: readonly FeeLine[]; total: number };
      refusalReasons?: readonly string[];
    },
  ): Promise<void> {
    await this.m.query(
      `INSERT INTO applications (application_id, trainer_id, cycle_expires_on, received_on, status, recertify_for_life,
                                 fee_tier, fee_lines, fee_total_cents, refusal_reasons)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10::jsonb)`,
      [
        a.applicationId,
        a.trainerId,
        a.cycleExpiresOn.toString(),
        a.receivedOn.toString(),
        a.status,
        a.recertifyForLife,
        a.fee?.tier ?? null,
        a.fee ? JSON.stringify(a.fee.lines) : null,
        a.fee?.total ?? null,
        a.refusalReasons ? JSON.stringify(a.refusalReasons) : null,
      ],
    );
  }

  async markFeePaid(applicationId: string): Promise<void> {
    await this.m.query(`UPDATE applications SET fee_paid = true WHERE application_id = $1`, [applicationId]);
  }

  /** A refund is a fact: the fee went back, so the application waits for payment again (R10, R12). */
  async markFeeUnpaid(applicationId: string): Promise<void> {
    await this.m.query(`UPDATE applications SET fee_paid = false WHERE application_id = $1`, [applicationId]);
  }

  async setAuditState(applicationId: string, state: AuditState): Promise<void> {
    await this.m.query(`UPDATE applications SET audit_state = $2 WHERE application_id = $1`, [applicationId, state]);
  }

  async recordDecision(
    applicationId: string,
    outcome: 'approved' | 'denied',
    decision: unknown,
    decidedOn: CalendarDate,
  ): Promise<void> {
    await this.m.query(
      `UPDATE applications SET status = $2, decision = $3::jsonb, decided_on = $4 WHERE application_id = $1`,
      [applicationId, outcome, JSON.stringify(decision), decidedOn.toString()],
    );
  }
}

function toApplication(r: Record<string, unknown>): ApplicationRecord {
  return {
    applicationId: r['application_id'] as string,
    trainerId: r['trainer_id'] as string,
    cycleExpiresOn: CalendarDate.parse(r['cycle_expires_on'] as string),
    receivedOn: CalendarDate.parse(r['received_on'] as string),
    status: r['status'] as ApplicationRecord['status'],
    recertifyForLife: r['recertify_for_life'] as boolean,
    feeTier: (r['fee_tier'] as FeeTier | null) ?? null,
    feeLines: (r['fee_lines'] as FeeLine[] | null) ?? null,
    feeTotalCents: (r['fee_total_cents'] as number | null) ?? null,
    feePaid: r['fee_paid'] as boolean,
    auditState: (r['audit_state'] as AuditState | null) ?? null,
  };
}
