import { EntityManager } from 'typeorm';
import { DayRange, daysOf } from '@recert/platform';
import { CalendarDate, credentialStatusOn, cycle, RecertPolicy, windowsOf } from '@recert/rules';

export const APPLICATION_STATUSES = ['received', 'refused', 'submitted', 'approved', 'denied'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

const APPLICATION_COLUMNS = `
  application_id AS "applicationId", trainer_id AS "trainerId", credential_id AS "credentialId",
  cycle_starts_on AS "cycleStartsOn", cycle_expires_on AS "cycleExpiresOn",
  received_at AS "receivedAt", received_on AS "receivedOn", claimed_submitted_at AS "claimedSubmittedAt",
  status, fee_tier AS "feeTier", fee_lines AS "feeLines", fee_total_cents AS "feeTotalCents",
  fee_waived_by AS "feeWaivedBy", fee_paid AS "feePaid",
  audit_state AS "auditState", refusal_reasons AS "refusalReasons", refusal, ledger_at_receipt AS "ledgerAtReceipt",
  decision, decided_on AS "decidedOn", consumed_credit_ids AS "consumedCreditIds"`;

/** The read side of the applications service: what ops dashboards and the portal ask. */
export class RecertificationQueries {
  constructor(
    private readonly m: EntityManager,
    private readonly policy: RecertPolicy,
  ) {}

  /**
   * Every credential the trainer holds, each with its cycles and windows, its status on the
   * day (in its own time zone) and its applications; the most recently started one also at the top.
   */
  async trainer(trainerId: string, now: Date) {
    const credentials: { credentialId: string; timeZone: string; certifiedOn: string }[] = await this.m.query(
      `SELECT credential_id AS "credentialId", time_zone AS "timeZone", certified_on AS "certifiedOn"
       FROM credentials WHERE trainer_id = $1 ORDER BY certified_on, credential_id`,
      [trainerId],
    );
    if (credentials.length === 0) return null;
    const views = [];
    for (const credential of credentials) {
      const cycles: { starts_on: string; expires_on: string; started_by: string }[] = await this.m.query(
        `SELECT starts_on, expires_on, started_by FROM cycles WHERE credential_id = $1 ORDER BY expires_on DESC`,
        [credential.credentialId],
      );
      const applications = await this.m.query(
        `SELECT ${APPLICATION_COLUMNS} FROM applications WHERE credential_id = $1 ORDER BY received_at DESC, application_id`,
        [credential.credentialId],
      );
      const current = cycle(CalendarDate.parse(cycles[0].starts_on), CalendarDate.parse(cycles[0].expires_on));
      views.push({
        ...credential,
        // R1, R9: active until expiry, expired in the final window, lapsed after it.
        status: credentialStatusOn(current, CalendarDate.fromInstant(now, credential.timeZone), this.policy),
        currentCycle: { startsOn: current.startsOn, ...windowsOf(current, this.policy) },
        cycles: cycles.map((c) => ({ startsOn: c.starts_on, expiresOn: c.expires_on, startedBy: c.started_by })),
        applications,
      });
    }
    const newest = [...views].sort((a, b) => (a.currentCycle.startsOn.isAfter(b.currentCycle.startsOn) ? -1 : 1))[0];
    return { trainerId, ...newest, credentials: views };
  }

  async credential(credentialId: string): Promise<{ credentialId: string; trainerId: string } | null> {
    const [row] = await this.m.query(
      `SELECT credential_id AS "credentialId", trainer_id AS "trainerId" FROM credentials WHERE credential_id = $1`,
      [credentialId],
    );
    return row ?? null;
  }

  async application(applicationId: string) {
    const [row] = await this.m.query(`SELECT ${APPLICATION_COLUMNS} FROM applications WHERE application_id = $1`, [
      applicationId,
    ]);
    return row ?? null;
  }

  list(filter: {
    status?: ApplicationStatus;
    trainerId?: string;
    receivedOn?: string;
    decidedOn?: string;
    limit: number;
  }) {
    return this.m.query(
      `SELECT ${APPLICATION_COLUMNS} FROM applications
       WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR trainer_id = $2)
         AND ($4::date IS NULL OR received_on = $4) AND ($5::date IS NULL OR decided_on = $5)
       ORDER BY received_at, application_id LIMIT $3`,
      [
        filter.status ?? null,
        filter.trainerId ?? null,
        filter.limit,
        filter.receivedOn ?? null,
        filter.decidedOn ?? null,
      ],
    );
  }

  /**
   * Per day of the range: received, and decided by outcome. Approvals and denials count on the day
   * decided; a refusal happens at receipt, so it counts on the day received. Quiet days are zeros.
   */
  async perDay(
    range: DayRange,
  ): Promise<{ day: string; received: number; approved: number; denied: number; refused: number }[]> {
    const rows: { day: string; received: number; approved: number; denied: number; refused: number }[] =
      await this.m.query(
        `SELECT day::text AS day, sum(received)::int AS received, sum(approved)::int AS approved,
              sum(denied)::int AS denied, sum(refused)::int AS refused
       FROM (
         SELECT received_on AS day, 1 AS received, 0 AS approved, 0 AS denied, (status = 'refused')::int AS refused
         FROM applications WHERE received_on BETWEEN $1 AND $2
         UNION ALL
         SELECT decided_on, 0, (status = 'approved')::int, (status = 'denied')::int, 0
         FROM applications WHERE decided_on BETWEEN $1 AND $2 AND status IN ('approved', 'denied')
       ) AS facts GROUP BY day`,
        [range.from, range.to],
      );
    const byDay = new Map(rows.map((r) => [r.day, r]));
    return daysOf(range).map((day) => byDay.get(day) ?? { day, received: 0, approved: 0, denied: 0, refused: 0 });
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
