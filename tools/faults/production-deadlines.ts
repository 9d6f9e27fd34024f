import { TrainerCertified } from '@recert/contracts';
import { addDays, addYears, Day } from '../load/trainer-plans';
import { UpstreamPublisher } from '../upstream-publisher';
import { FaultInjector, sleep } from './fault-injector';
import { ProductionClock, Sandbox, waitFor } from './sandbox';

/**
 * The production deadline path of the fault suite (issue 15): the services on the system clock
 * (no time travel, BullMQ alone fires deadlines), and a cohort of credentials each with one
 * deadline due at the same instant M, a midnight of their time zone a couple of minutes into the
 * run. Redis is flushed half a minute before M; PostgreSQL is stopped 10 s before M and started
 * again 30 s after it, far longer than a deadline job's attempts. Each deadline must then fire
 * once, after M, within a bound of PostgreSQL's return.
 */

/** BullMQ gives up on a deadline job after 3 attempts, 0.5 s then 1 s apart: 1.5 s in all. */
export const PRODUCTION_RETRY = { jobAttempts: 3, jobBackoffMs: 500, rearmBaseMs: 1_000, rearmMaxMs: 8_000 };
/** The outage around M: from 10 s before to 30 s after (40 s, against 1.5 s of job attempts). */
const DOWN_BEFORE_MS = 10_000;
const DOWN_AFTER_MS = 30_000;
const FLUSH_BEFORE_MS = 30_000;
/** How long after PostgreSQL's return every deadline due at M must have fired (re-arm ≤ 8 s, reconcile 2 s). */
export const FIRED_WITHIN_MS = 60_000;
/** A scheduled deadline this long past due counts as stranded (the same bound, for every deadline of the run). */
export const OVERDUE_BOUND_MS = 120_000;

/** The deadline kinds of DOMAIN.md's table that the cohort has come due at M, one credential each. */
export type CohortKind =
  | 'expiration'
  | 'late-window-end'
  | 'final-window-end'
  | 'reminder-7-before'
  | 'reminder-30-after';
const KINDS: readonly CohortKind[] = [
  'expiration',
  'late-window-end',
  'final-window-end',
  'reminder-7-before',
  'reminder-30-after',
];

export interface CohortCredential {
  trainerId: string;
  credentialId: string;
  kind: CohortKind;
  expiresOn: Day;
  /** The deadline's row kind, and the event its firing emits once (written by hand from DOMAIN.md). */
  deadlineKind: string;
  event: 'CredentialExpired' | 'LateWindowClosed' | 'CredentialLapsed' | 'RecertificationReminderDue';
  /** For a reminder: daysBefore in the event (negative: after expiry). */
  daysBefore?: number;
}

/** What the invariants need to know of the cohort. */
export interface CohortFacts {
  /** The due instant, as the services' clock reads it. */
  dueAt: Date;
  /** The calendar day that begins at dueAt in the cohort's time zone. */
  dueOn: Day;
  timeZone: string;
  credentials: CohortCredential[];
  /** When PostgreSQL was back (services' clock). */
  recoveredAt: Date;
  /** Cohort deadline ids whose BullMQ job had exhausted its attempts while PostgreSQL was down. */
  failedDuringOutage: number;
}

/** The due instant M and the services' clock offset that puts M `leadMs` from now. */
export interface DuePlan {
  clock: ProductionClock;
  /** M on the services' clock: a whole UTC hour, the midnight of `timeZone`. */
  dueAt: Date;
  timeZone: string;
  /** The day that starts at M in `timeZone`. */
  dueOn: Day;
}

/**
 * Every whole UTC hour is midnight in one of the fixed-offset zones Etc/GMT-14 … Etc/GMT+12 (no
 * daylight saving): the services' clock is set back to the last whole hour before now + lead, so
 * M is that hour, reached `leadMs` from now (the offset is under an hour).
 */
export function planDue(leadMs: number, realNow = Date.now()): DuePlan {
  const target = realNow + leadMs;
  const dueAt = new Date(Math.floor(target / 3_600_000) * 3_600_000);
  const hour = dueAt.getUTCHours();
  // UTC+n reaches midnight when UTC reaches 24 - n: n = (24 - hour) mod 24, within −12…+14.
  let n = (24 - hour) % 24;
  if (n > 14) n -= 24;
  // POSIX sign: Etc/GMT-11 is UTC+11.
  const timeZone = n === 0 ? 'Etc/UTC' : `Etc/GMT${n > 0 ? '-' : '+'}${Math.abs(n)}`;
  const dueOn = new Date(dueAt.getTime() + n * 3_600_000).toISOString().slice(0, 10);
  return { clock: { offsetMs: dueAt.getTime() - target, ...PRODUCTION_RETRY }, dueAt, timeZone, dueOn };
}

/**
 * The cohort, laid out by hand from DOMAIN.md's deadline table and the policy defaults (reminders
 * 90/60/30/7/0 days before expiry and 30 after, late window 90 days, final window 1 year), so that
 * one deadline of each credential falls on day D = dueOn, due at the start of D in the zone:
 *
 * | kind              | expires on        | the deadline due on D          | its event, once                       |
 * |-------------------|-------------------|--------------------------------|---------------------------------------|
 * | expiration        | D−1               | expiration (the day after)     | CredentialExpired, expiredOn D        |
 * | late-window-end   | D−91              | late window's end (+90, +1)    | LateWindowClosed, closedOn D          |
 * | final-window-end  | D−1, one year ago | final window's end (+1 y, +1)  | CredentialLapsed, lapsedOn D          |
 * | reminder-7-before | D+7               | the reminder 7 days before     | RecertificationReminderDue, 7, D      |
 * | reminder-30-after | D−30              | the reminder 30 days after     | RecertificationReminderDue, −30, D    |
 *
 * Their earlier deadlines (an expiration already past, say) fire at once when scheduled, also by
 * BullMQ alone; the invariants of every deadline cover those.
 */
export function planCohort(run: string, plan: DuePlan, perKind: number): CohortCredential[] {
  const d = plan.dueOn;
  const layouts: Record<CohortKind, Omit<CohortCredential, 'trainerId' | 'credentialId' | 'kind'>> = {
    expiration: { expiresOn: addDays(d, -1), deadlineKind: 'expiration', event: 'CredentialExpired' },
    'late-window-end': { expiresOn: addDays(d, -91), deadlineKind: 'late-window-end', event: 'LateWindowClosed' },
    'final-window-end': {
      expiresOn: addYears(addDays(d, -1), -1),
      deadlineKind: 'final-window-end',
      event: 'CredentialLapsed',
    },
    'reminder-7-before': {
      expiresOn: addDays(d, 7),
      deadlineKind: 'expiry-reminder',
      event: 'RecertificationReminderDue',
      daysBefore: 7,
    },
    'reminder-30-after': {
      expiresOn: addDays(d, -30),
      deadlineKind: 'expiry-reminder',
      event: 'RecertificationReminderDue',
      daysBefore: -30,
    },
  };
  return KINDS.flatMap((kind, k) =>
    Array.from({ length: perKind }, (_, i) => {
      const trainerId = `P${run}-${k}-${i}`.toUpperCase();
      return { trainerId, credentialId: `CPT-${trainerId}`, kind, ...layouts[kind] };
    }),
  );
}

/**
 * Certifies the cohort (the exam system's TrainerCertified, in the cohort's zone), waits until its
 * deadlines due at M are scheduled and handed to BullMQ, then runs the faults around M and waits
 * until they fired. Returns the facts the invariants check.
 */
export async function runDueTimePhase(
  sandbox: Sandbox,
  faults: FaultInjector,
  plan: DuePlan,
  cohort: CohortCredential[],
): Promise<CohortFacts> {
  const offset = plan.clock.offsetMs;
  const realAt = (servicesTime: number) => servicesTime - offset;
  const until = (servicesTime: number) => sleep(realAt(servicesTime) - Date.now());
  const m = plan.dueAt.getTime();

  const clockRoute = await fetch(`${sandbox.gatewayUrl}/v1/clock`, {
    headers: { authorization: `Bearer ${sandbox.apiToken}` },
  });
  faults.note(
    'system clock',
    `GET /v1/clock answers ${clockRoute.status} (no time travel); the services' clock is this machine's ${(offset / 60_000).toFixed(1)} min back (libfaketime); ` +
      `M = ${plan.dueAt.toISOString()} = ${plan.dueOn} 00:00 in ${plan.timeZone}, ${((realAt(m) - Date.now()) / 1000).toFixed(0)} s from now`,
  );
  if (clockRoute.status !== 404)
    throw new Error(`the services run a controllable clock (GET /v1/clock: ${clockRoute.status})`);

  const publisher = new UpstreamPublisher('fault-suite-cohort', sandbox.brokers);
  try {
    await publisher.publish(
      TrainerCertified,
      cohort.map((c) => ({
        trainerId: c.trainerId,
        credentialId: c.credentialId,
        certifiedOn: addYears(c.expiresOn, -2),
        expiresOn: c.expiresOn,
        timeZone: plan.timeZone,
      })),
    );
  } finally {
    await publisher.disconnect();
  }
  const ids = cohort.map((c) => c.credentialId);
  const atM = `FROM applications.deadlines WHERE payload->>'credentialId' = ANY($1) AND due_at = $2`;
  const count = async (where = '') =>
    Number((await sandbox.query<{ n: string }>(`SELECT count(*) AS n ${atM} ${where}`, [ids, plan.dueAt]))[0]?.n ?? 0);
  await waitFor(
    async () => (await count(`AND enqueued_at IS NOT NULL`)) === cohort.length,
    Math.max(5_000, realAt(m - FLUSH_BEFORE_MS) - Date.now() - 5_000),
    `the cohort's ${cohort.length} deadlines due at M to be scheduled and handed to BullMQ before the faults`,
    500,
  );
  const deadlineIds = (await sandbox.query<{ id: string }>(`SELECT deadline_id AS id ${atM}`, [ids, plan.dueAt])).map(
    (r) => r.id,
  );
  faults.note(
    'cohort scheduled',
    `${cohort.length} credentials certified in ${plan.timeZone}, one deadline each due at M, delayed in BullMQ`,
  );

  await until(m - FLUSH_BEFORE_MS);
  await faults.flushRedis();
  const back = await sandbox.jobsHeld('applications', deadlineIds);
  faults.note('cohort jobs after the FLUSHALL', `${back}/${deadlineIds.length} back in Redis (reconciler), before M`);

  await until(m - DOWN_BEFORE_MS);
  await faults.stopPostgres(`M − ${DOWN_BEFORE_MS / 1000} s`);
  // Redis is up: BullMQ runs each job at M, and each fails its attempts on the missing PostgreSQL.
  await until(m + DOWN_AFTER_MS - 2_000);
  const failed = await sandbox.jobsFailed('applications', deadlineIds);
  faults.note(
    'cohort jobs while PostgreSQL is down',
    `${failed}/${deadlineIds.length} failed after their ${plan.clock.jobAttempts} attempts (${PRODUCTION_RETRY.jobBackoffMs} ms backoff)`,
  );
  await until(m + DOWN_AFTER_MS);
  await faults.startPostgres(`M + ${DOWN_AFTER_MS / 1000} s`);
  const recoveredAt = new Date(Date.now() + offset);
  const t = Date.now();
  await waitFor(
    async () => (await count(`AND status = 'scheduled'`)) === 0,
    FIRED_WITHIN_MS,
    'the cohort to fire',
  ).catch(() => undefined);
  faults.note(
    'cohort after the outage',
    `${cohort.length - (await count(`AND status = 'scheduled'`))}/${cohort.length} fired ${((Date.now() - t) / 1000).toFixed(1)} s after PostgreSQL's return`,
  );
  return {
    dueAt: plan.dueAt,
    dueOn: plan.dueOn,
    timeZone: plan.timeZone,
    credentials: cohort,
    recoveredAt,
    failedDuringOutage: failed,
  };
}
