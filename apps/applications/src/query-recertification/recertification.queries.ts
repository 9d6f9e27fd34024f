import { EntityManager } from 'typeorm';
import { CalendarDate, credentialStatusOn, cycle, RecertPolicy, windowsOf } from '@recert/rules';

export const APPLICATION_STATUSES = ['refused', 'submitted', 'approved', 'denied'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

const APPLICATION_COLUMNS = `
  application_id AS "applicationId", trainer_id AS "trainerId", cycle_expires_on AS "cycleExpiresOn",
  received_on AS "receivedOn", status, recertify_for_life AS "recertifyForLife",
  fee_tier AS "feeTier", fee_lines AS "feeLines", fee_total_cents AS "feeTotalCents", fee_paid AS "feePaid",
  audit_state AS "auditState", refusal_reasons AS "refusalReasons", decision, decided_on AS "decidedOn"`;

/** The read side of the applications service: what ops dashboards and the portal ask. */
export class RecertificationQueries {
  constructor(
    private readonly m: EntityManager,
    private readonly policy: RecertPolicy,
  ) {}

  /** The credential, every cycle with its windows and the status on `today`, and the applications. */
  async trainer(trainerId: string, today: CalendarDate) {
    const [credential] = await this.m.query(
      `SELECT trainer_id AS "trainerId", credential_id AS "credentialId", time_zone AS "timeZone", certified_on AS "certifiedOn"
       FROM credentials WHERE trainer_id = $1`,
      [trainerId],
    );
    if (!credential) return null;
    const cycles: { starts_on: string; expires_on: string }[] = await this.m.query(
      `SELECT starts_on, expires_on FROM cycles WHERE trainer_id = $1 ORDER BY expires_on DESC`,
      [trainerId],
    );
    const applications = await this.m.query(
      `SELECT ${APPLICATION_COLUMNS} FROM applications WHERE trainer_id = $1 ORDER BY received_on DESC, application_id`,
      [trainerId],
    );
    const current = cycle(CalendarDate.parse(cycles[0].starts_on), CalendarDate.parse(cycles[0].expires_on));
    const [ledger] = await this.m.query(
      `SELECT revision, total_ceu_hundredths AS "totalCeuHundredths", jsonb_array_length(cpr_aed_cards) AS "cprAedCards"
       FROM ceu_ledgers WHERE trainer_id = $1 AND cycle_expires_on = $2`,
      [trainerId, current.expiresOn.toString()],
    );
    return {
      ...credential,
      // R1, R9: active until expiry, expired in the final window, lapsed after it.
      status: credentialStatusOn(current, today, this.policy),
      currentCycle: { startsOn: current.startsOn, ...windowsOf(current, this.policy) },
      cycles: cycles.map((c) => ({ startsOn: c.starts_on, expiresOn: c.expires_on })),
      // The CEU ledger as last published to this service: what an application received now is judged on.
      ceuLedger: ledger ?? null,
      applications,
    };
  }

  async application(applicationId: string) {
    const [row] = await this.m.query(`SELECT ${APPLICATION_COLUMNS} FROM applications WHERE application_id = $1`, [
      applicationId,
    ]);
    return row ?? null;
  }

  list(filter: { status?: ApplicationStatus; trainerId?: string; limit: number }) {
    return this.m.query(
      `SELECT ${APPLICATION_COLUMNS} FROM applications
       WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR trainer_id = $2)
       ORDER BY received_on, application_id LIMIT $3`,
      [filter.status ?? null, filter.trainerId ?? null, filter.limit],
    );
  }

  /** Applications by status, every status listed (zero included), for dashboards. */
  async countsByStatus(): Promise<Record<ApplicationStatus, number>> {
    const rows: { status: ApplicationStatus; n: string }[] = await this.m.query(
      `SELECT status, count(*) AS n FROM applications GROUP BY status`,
    );
    const counts = Object.fromEntries(APPLICATION_STATUSES.map((s) => [s, 0])) as Record<ApplicationStatus, number>;
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }
}
