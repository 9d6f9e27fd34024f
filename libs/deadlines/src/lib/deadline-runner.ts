import { Logger } from '@nestjs/common';
import { JobsOptions, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { Clock } from '@recert/clock';
import { EventScope, UnitOfWork } from '@recert/messaging';
import { DeadlineRecord } from './deadline';
import { DeadlinesScheduledInTransaction } from './deadline-scheduler';

/** Acts on a deadline that came due, inside the transaction that marks it fired; returns what it did. */
export type DeadlineHandler = (scope: EventScope, deadline: DeadlineRecord) => Promise<string>;

export interface DeadlineRunnerOptions {
  /** The owning service: its queue is `deadlines-<service>`. */
  readonly service: string;
  readonly redisUrl: string;
  /** BullMQ's key prefix (a test run uses its own). */
  readonly prefix: string;
  readonly concurrency: number;
  /** Only deadlines due within this are handed to BullMQ; the rest wait in PostgreSQL. */
  readonly horizonMs: number;
  /**
   * How often the relay sweeps PostgreSQL for deadlines that entered the horizon. A commit that
   * schedules one already within it wakes the relay at once (see afterTransactionCommit).
   */
  readonly relayPollMs: number;
  readonly reconcileEveryMs: number;
  readonly batchSize: number;
  /**
   * With a controllable clock, deadlines already due fire only through `fireDue`, in due order;
   * the relay and the reconciler then hand BullMQ only those still ahead.
   */
  readonly timeTravel: boolean;
  /**
   * How long a worker's hold on a job lasts without renewal, and how often workers look for jobs
   * whose holder died (BullMQ's lockDuration and stalledInterval; 30 s each by default).
   */
  readonly lockDurationMs?: number;
  readonly retry: DeadlineRetryPolicy;
  /** Told of each deadline that fired (for metrics). */
  readonly onFired?: (kind: string) => void;
}

/**
 * How a deadline is retried until it fires or is cancelled. BullMQ retries a job a few times
 * (`jobAttempts`, exponential from `jobBackoffMs`); a job that exhausted them (PostgreSQL down
 * through its due time, say) is re-armed by the reconciler as a new job, delayed by
 * `rearmBaseMs` doubled at each re-arm up to `rearmMaxMs`: a deadline is never stranded.
 */
export interface DeadlineRetryPolicy {
  readonly jobAttempts: number;
  readonly jobBackoffMs: number;
  readonly rearmBaseMs: number;
  readonly rearmMaxMs: number;
}

/** The delay before re-arm number `rearms` (0 for the first) of a deadline whose job failed. */
export function rearmDelayMs(rearms: number, policy: DeadlineRetryPolicy): number {
  return Math.min(policy.rearmMaxMs, policy.rearmBaseMs * 2 ** rearms);
}

interface DeadlineJobData {
  deadlineId: string;
  /** How many times the reconciler re-armed this deadline after its job failed (shown in Bull Board). */
  rearms?: number;
}

interface DeadlineRow {
  deadline_id: string;
  kind: string;
  subject_id: string;
  due_at: Date;
  payload: Record<string, unknown>;
  status: DeadlineRecord['status'];
}

/** The BullMQ queue of a service's deadlines. */
export function deadlineQueueName(service: string): string {
  return `deadlines-${service}`;
}

/** The services that own deadlines (their queues are what ops watch). */
export const SERVICES_WITH_DEADLINES = ['applications', 'audits', 'ceu-verification'] as const;

export interface OverdueDeadlines {
  kind: string;
  overdue: number;
}

export interface UpcomingDeadlines {
  kind: string;
  overdue: number;
  within7Days: number;
  within30Days: number;
}

/** Thrown when a job runs before its deadline (clock skew between hosts): BullMQ retries it later. */
export class DeadlineNotYetDue extends Error {}

/**
 * Fires each deadline once: PostgreSQL holds the truth (the `deadlines` table), BullMQ the
 * trigger. The relay hands deadlines coming due to BullMQ (job id = deadline id, so twice is
 * once); the reconciler recreates any job Redis lost; a job re-reads its row under lock, so a
 * repeat, a cancelled deadline or a crash between effect and acknowledgement does nothing twice.
 */
export class DeadlineRunner implements EntitySubscriberInterface {
  private readonly logger: Logger;
  private readonly handlers = new Map<string, DeadlineHandler>();
  private connection?: IORedis;
  private queue?: Queue;
  private worker?: Worker;
  private relayTimer?: NodeJS.Timeout;
  private reconcileTimer?: NodeJS.Timeout;
  private relaying = Promise.resolve(0);
  private relayWoken = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly options: DeadlineRunnerOptions,
  ) {
    this.logger = new Logger(`Deadlines(${options.service})`);
  }

  get queueName(): string {
    return deadlineQueueName(this.options.service);
  }

  /** Whether Redis answers (readiness). */
  async ping(): Promise<void> {
    if (!this.connection) throw new Error('the deadline runner is not started');
    await this.connection.ping();
  }

  /** The runner's clock: what "due" is measured against. */
  now(): Date {
    return this.clock.now();
  }

  register(kind: string, handler: DeadlineHandler): void {
    if (this.handlers.has(kind)) throw new Error(`A handler for deadline ${kind} is registered twice`);
    this.handlers.set(kind, handler);
  }

  async start(): Promise<void> {
    // BullMQ's blocking worker connection needs maxRetriesPerRequest: null.
    this.connection = new IORedis(this.options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    const { prefix, concurrency } = this.options;
    this.queue = new Queue(this.queueName, { connection: this.connection, prefix });
    this.worker = new Worker<DeadlineJobData>(this.queueName, (job) => this.fire(job.data.deadlineId), {
      connection: this.connection,
      prefix,
      concurrency,
      lockDuration: this.options.lockDurationMs ?? 30_000,
      stalledInterval: this.options.lockDurationMs ?? 30_000,
    });
    // BullMQ emits connection errors as events: unheard, one would crash the process.
    const logError = (error: Error) => this.logger.warn(`redis: ${error.message}`);
    this.queue.on('error', logError);
    this.worker.on('error', logError);
    this.worker.on('completed', (job) => this.options.onFired?.(job.name));
    this.worker.on('failed', (job, error) => this.logger.warn(`deadline ${job?.id} failed: ${error.message}`));
    await this.reconcile();
    this.dataSource.subscribers.push(this);
    this.relayTimer = setInterval(() => void this.relayNow(), this.options.relayPollMs);
    this.reconcileTimer = setInterval(
      () => void this.reconcile().catch((e: Error) => this.logger.error(`reconcile failed: ${e.message}`)),
      this.options.reconcileEveryMs,
    );
  }

  async stop(): Promise<void> {
    const at = this.dataSource.subscribers.indexOf(this);
    if (at >= 0) this.dataSource.subscribers.splice(at, 1);
    clearInterval(this.relayTimer);
    clearInterval(this.reconcileTimer);
    await this.relaying.catch(() => 0);
    await this.worker?.close();
    await this.queue?.close();
    await this.connection?.quit().catch(() => undefined);
  }

  /**
   * A commit of this process that scheduled a deadline within the horizon wakes the relay, once
   * for all such commits until it runs: no sweep every second while nothing is coming due.
   */
  afterTransactionCommit(event: TransactionCommitEvent): void {
    const earliest = (event.queryRunner.data as DeadlinesScheduledInTransaction).earliestDeadlineScheduled;
    if (!earliest || earliest >= this.horizonEnd() || this.relayWoken || !this.relayTimer) return;
    this.relayWoken = true;
    setImmediate(() => {
      this.relayWoken = false;
      void this.relayNow();
    });
  }

  /** Hands every scheduled deadline due within the horizon and not yet handed over to BullMQ. */
  relayNow(): Promise<number> {
    this.relaying = this.relaying
      .catch(() => 0)
      .then(() => this.relayBatches())
      .catch((e: Error) => {
        this.logger.error(`relay failed: ${e.message}`);
        return 0;
      });
    return this.relaying;
  }

  /**
   * Recreates, from PostgreSQL, the job of every scheduled deadline within the horizon that
   * Redis does not hold (after a FLUSHALL, a failover to an empty replica, a lost write), and
   * re-arms, with backoff, every one whose job failed (see DeadlineRetryPolicy).
   */
  async reconcile(): Promise<{ checked: number; recreated: number; rearmed: number }> {
    const queue = this.requireQueue();
    const client = this.connection as IORedis;
    const keyPrefix = `${this.options.prefix}:${this.queueName}`;
    let checked = 0;
    let recreated = 0;
    let rearmed = 0;
    let after = { dueAt: new Date(0), id: '' };
    for (;;) {
      const rows: DeadlineRow[] = await this.dataSource.query(
        `SELECT deadline_id, kind, due_at FROM deadlines
         WHERE status = 'scheduled' AND due_at < $1 AND (due_at, deadline_id) > ($2, $3) AND due_at > $5
         ORDER BY due_at, deadline_id LIMIT $4`,
        [this.horizonEnd(), after.dueAt, after.id, this.options.batchSize, this.notBefore()],
      );
      if (rows.length === 0) break;
      const pipeline = client.pipeline();
      for (const r of rows) {
        pipeline.exists(`${keyPrefix}:${r.deadline_id}`);
        pipeline.zscore(`${keyPrefix}:failed`, r.deadline_id);
      }
      const replies = (await pipeline.exec()) ?? [];
      const missing = rows.filter((_, i) => replies[2 * i]?.[1] === 0);
      const failed = rows.filter((_, i) => replies[2 * i]?.[1] === 1 && replies[2 * i + 1]?.[1] !== null);
      if (missing.length > 0) await queue.addBulk(missing.map((r) => this.jobFor(r)));
      for (const r of failed) if (await this.rearm(r)) rearmed++;
      await this.markEnqueued(rows.map((r) => r.deadline_id));
      checked += rows.length;
      recreated += missing.length;
      const last = rows[rows.length - 1];
      after = { dueAt: last.due_at, id: last.deadline_id };
    }
    if (recreated > 0) this.logger.warn(`reconcile: ${recreated} of ${checked} deadline jobs were missing; recreated`);
    if (rearmed > 0) this.logger.warn(`reconcile: ${rearmed} of ${checked} deadline jobs had failed; re-armed`);
    return { checked, recreated, rearmed };
  }

  /** Scheduled deadlines by kind still not fired `graceMs` after they were due (stranded, or running late). */
  overdue(graceMs: number): Promise<OverdueDeadlines[]> {
    return this.dataSource.query(
      `SELECT kind, count(*)::int AS overdue FROM deadlines
       WHERE status = 'scheduled' AND due_at < $1 GROUP BY kind ORDER BY kind`,
      [new Date(this.clock.now().getTime() - graceMs)],
    );
  }

  /** Scheduled deadlines by kind: overdue (not yet fired), due within 7 days, within 30 days. */
  upcoming(): Promise<UpcomingDeadlines[]> {
    return this.dataSource.query(
      `SELECT kind, count(*) FILTER (WHERE due_at <= $1)::int AS overdue,
              count(*) FILTER (WHERE due_at <= $1::timestamptz + interval '7 days')::int AS "within7Days",
              count(*)::int AS "within30Days"
       FROM deadlines WHERE status = 'scheduled' AND due_at <= $1::timestamptz + interval '30 days'
       GROUP BY kind ORDER BY kind`,
      [this.clock.now()],
    );
  }

  perWeek(range: { from: string; to: string }): Promise<{ weekOf: string; kind: string; count: number }[]> {
    return this.dataSource.query(
      `SELECT date_trunc('week', due_at AT TIME ZONE 'UTC')::date::text AS "weekOf", kind, count(*)::int AS count
       FROM deadlines WHERE (due_at AT TIME ZONE 'UTC')::date BETWEEN $1 AND $2
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [range.from, range.to],
    );
  }

  due(query: { from: string; to: string; kind?: string }) {
    return this.dataSource.query(
      `SELECT deadline_id AS "deadlineId", kind, subject_id AS "subjectId", due_at AS "dueAt", status, fired_at AS "firedAt", outcome
       FROM deadlines WHERE (due_at AT TIME ZONE 'UTC')::date BETWEEN $1 AND $2 AND ($3::text IS NULL OR kind = $3)
       ORDER BY due_at, deadline_id LIMIT 500`,
      [query.from, query.to, query.kind ?? null],
    );
  }

  /** The earliest scheduled deadline, or null: how far a test or demo may move time before one is due. */
  async nextDueAt(): Promise<Date | null> {
    const [row] = await this.dataSource.query(`SELECT min(due_at) AS due_at FROM deadlines WHERE status = 'scheduled'`);
    return row?.due_at ? new Date(row.due_at) : null;
  }

  /**
   * With a controllable clock: fires every deadline now due, in due order (those due at the same
   * instant together), and returns when each has fired. Deadlines whose jobs sit delayed in
   * BullMQ (delays are real time) are promoted.
   */
  async fireDue(timeoutMs = 60_000): Promise<number> {
    const queue = this.requireQueue();
    let fired = 0;
    for (;;) {
      const due: DeadlineRow[] = await this.dataSource.query(
        `SELECT deadline_id, kind, due_at FROM deadlines
         WHERE status = 'scheduled' AND due_at <= $1
           AND due_at = (SELECT min(due_at) FROM deadlines WHERE status = 'scheduled' AND due_at <= $1)
         ORDER BY deadline_id`,
        [this.clock.now()],
      );
      if (due.length === 0) return fired;
      for (const row of due) {
        const job = await queue.getJob(row.deadline_id);
        const state = job ? await job.getState() : 'unknown';
        if (state === 'delayed') await job?.promote();
        else if (state === 'failed') await job?.retry();
        else if (state === 'unknown' || state === 'completed') {
          await job?.remove();
          await queue.add(row.kind, { deadlineId: row.deadline_id }, { ...this.jobOptions(row), delay: 0 });
        }
      }
      await this.markEnqueued(due.map((r) => r.deadline_id));
      await this.untilFired(
        due.map((r) => r.deadline_id),
        timeoutMs,
      );
      fired += due.length;
    }
  }

  /** Runs one deadline: under its row's lock, once, and only when due. */
  private async fire(deadlineId: string): Promise<string> {
    return this.unitOfWork.run(async (scope) => {
      const [row]: DeadlineRow[] = await scope.manager.query(
        `SELECT deadline_id, kind, subject_id, due_at, payload, status FROM deadlines WHERE deadline_id = $1 FOR UPDATE`,
        [deadlineId],
      );
      if (!row) return 'unknown deadline';
      if (row.status !== 'scheduled') return `already ${row.status}`;
      const now = this.clock.now();
      if (new Date(row.due_at).getTime() > now.getTime())
        throw new DeadlineNotYetDue(`${deadlineId} is due at ${new Date(row.due_at).toISOString()}`);
      const handler = this.handlers.get(row.kind);
      if (!handler) throw new Error(`no handler for deadline kind ${row.kind}`);
      const outcome = await handler(scope, {
        deadlineId: row.deadline_id,
        kind: row.kind,
        subjectId: row.subject_id,
        dueAt: new Date(row.due_at),
        payload: row.payload,
        status: row.status,
      });
      await scope.manager.query(
        `UPDATE deadlines SET status = 'fired', fired_at = $2, outcome = $3 WHERE deadline_id = $1`,
        [deadlineId, now, outcome],
      );
      return outcome;
    });
  }

  private async relayBatches(): Promise<number> {
    const queue = this.requireQueue();
    let relayed = 0;
    for (;;) {
      const rows: DeadlineRow[] = await this.dataSource.query(
        `SELECT deadline_id, kind, due_at FROM deadlines
         WHERE status = 'scheduled' AND enqueued_at IS NULL AND due_at < $1 AND due_at > $3
         ORDER BY due_at, deadline_id LIMIT $2`,
        [this.horizonEnd(), this.options.batchSize, this.notBefore()],
      );
      if (rows.length === 0) return relayed;
      await queue.addBulk(rows.map((r) => this.jobFor(r)));
      await this.markEnqueued(rows.map((r) => r.deadline_id));
      relayed += rows.length;
    }
  }

  private jobFor(row: Pick<DeadlineRow, 'deadline_id' | 'kind' | 'due_at'>) {
    return { name: row.kind, data: { deadlineId: row.deadline_id }, opts: this.jobOptions(row) };
  }

  /**
   * Replaces a failed job by a new one with the same id (so there is still one job per
   * deadline), delayed by the capped backoff. Firing stays idempotent: the row decides.
   */
  private async rearm(row: Pick<DeadlineRow, 'deadline_id' | 'kind' | 'due_at'>): Promise<boolean> {
    const queue = this.requireQueue();
    const job = await queue.getJob(row.deadline_id);
    if (!job || (await job.getState()) !== 'failed') return false;
    const rearms = (job.data as DeadlineJobData).rearms ?? 0;
    try {
      await job.remove();
    } catch (error) {
      // Someone retried it meanwhile (ops in Bull Board): it runs again without us.
      this.logger.warn(`deadline ${row.deadline_id} not re-armed: ${(error as Error).message}`);
      return false;
    }
    const opts = this.jobOptions(row);
    await queue.add(row.kind, { deadlineId: row.deadline_id, rearms: rearms + 1 } satisfies DeadlineJobData, {
      ...opts,
      delay: Math.max(opts.delay ?? 0, rearmDelayMs(rearms, this.options.retry)),
    });
    return true;
  }

  private jobOptions(row: Pick<DeadlineRow, 'deadline_id' | 'due_at'>): JobsOptions {
    return {
      jobId: row.deadline_id,
      delay: Math.max(0, new Date(row.due_at).getTime() - this.clock.now().getTime()),
      attempts: this.options.retry.jobAttempts,
      backoff: { type: 'exponential', delay: this.options.retry.jobBackoffMs },
      // A fired deadline's truth is its row; its job is not kept. Failures are kept for ops (Bull Board).
      removeOnComplete: true,
      removeOnFail: { count: 10_000 },
    };
  }

  private async markEnqueued(ids: string[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE deadlines SET enqueued_at = $2 WHERE deadline_id = ANY($1::text[]) AND enqueued_at IS NULL`,
      [ids, this.clock.now()],
    );
  }

  private async untilFired(ids: string[], timeoutMs: number): Promise<void> {
    for (let waited = 0; ; waited += 20) {
      const [{ open }] = await this.dataSource.query(
        `SELECT count(*)::int AS open FROM deadlines WHERE deadline_id = ANY($1::text[]) AND status = 'scheduled'`,
        [ids],
      );
      if (open === 0) return;
      // Waiting is counted in polls, not by reading the clock: a controllable clock stands still.
      if (waited > timeoutMs) throw new Error(`deadlines still open after ${timeoutMs} ms: ${ids.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** What the relay and the reconciler leave alone: with time travel, what is already due. */
  private notBefore(): Date {
    return this.options.timeTravel ? this.clock.now() : new Date(0);
  }

  private horizonEnd(): Date {
    return new Date(this.clock.now().getTime() + this.options.horizonMs);
  }

  private requireQueue(): Queue {
    if (!this.queue) throw new Error('the deadline runner is not started');
    return this.queue;
  }
}
