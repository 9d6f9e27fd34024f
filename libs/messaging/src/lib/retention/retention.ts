import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { Clock } from '@recert/clock';

/**
 * One table's retention. A row goes once it is `finished` and its age, counted from `since`, is past
 * `keepMs` on the service's clock; a row that is not finished (an unpublished event, a parked
 * message, a pending deadline) is never purged, however old.
 */
export interface RetentionRule {
  /** The table, in the service's schema. */
  readonly table: string;
  /** The instant a row's age counts from: a column or expression an index of the table orders. */
  readonly since: string;
  /** SQL condition on the table's rows: which may go once old enough. */
  readonly finished: string;
  readonly keepMs: number;
}

export interface RetentionOptions {
  /** Rows deleted per statement: each batch is a short transaction of its own. */
  readonly batchSize: number;
  /** Told of each batch deleted (for the metric). */
  readonly onPurged?: (table: string, count: number) => void;
}

/** How long the backbone keeps its own rows (RecertConfig.retention). */
export interface MessagingRetentionPolicy {
  /** Published outbox rows: the relay never reads them again. */
  readonly outboxMs: number;
  /** Processed inbox rows: duplicate protection, kept longer than Kafka can redeliver. */
  readonly inboxMs: number;
}

/** The outbox's and the inbox's rules. Parked (dead-lettered) inbox rows stay: they are what redrive replays. */
export function messagingRetentionRules(policy: MessagingRetentionPolicy): RetentionRule[] {
  return [
    { table: 'outbox', since: 'published_at', finished: 'published_at IS NOT NULL', keepMs: policy.outboxMs },
    { table: 'inbox', since: 'received_at', finished: `outcome = 'processed'`, keepMs: policy.inboxMs },
  ];
}

/**
 * The one retention mechanism: each library or service registers the rule of the tables it owns,
 * and `purge` deletes what every rule lets go, oldest first, in bounded batches, so no
 * transaction stays open long and no lock is held across batches.
 */
export class Retention {
  private readonly rules: RetentionRule[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly options: RetentionOptions,
  ) {}

  register(rule: RetentionRule): void {
    if (this.rules.some((r) => r.table === rule.table))
      throw new Error(`retention of ${rule.table} is registered twice`);
    this.rules.push(rule);
  }

  /** Deletes what every rule lets go; returns how many rows left each table. */
  async purge(): Promise<Record<string, number>> {
    const purged: Record<string, number> = {};
    for (const rule of this.rules) purged[rule.table] = await this.purgeTable(rule);
    return purged;
  }

  private async purgeTable(rule: RetentionRule): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - rule.keepMs);
    const { batchSize, onPurged } = this.options;
    let total = 0;
    for (;;) {
      // `ctid = ANY(ARRAY(…))` is a TID scan; `ctid IN (SELECT …)` would join against the whole table.
      // TypeORM answers a DELETE with [rows, affected count].
      const [, count]: [unknown[], number] = await this.dataSource.query(
        `DELETE FROM ${rule.table} WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM ${rule.table} WHERE (${rule.finished}) AND ${rule.since} < $1
           ORDER BY ${rule.since} LIMIT $2))`,
        [cutoff, batchSize],
      );
      if (count > 0) onPurged?.(rule.table, count);
      total += count;
      if (count < batchSize) return total;
    }
  }
}

export interface RetentionScheduleOptions {
  /** The owning service: its queue is `retention-<service>`. */
  readonly service: string;
  readonly redisUrl: string;
  /** BullMQ's key prefix (a test run uses its own). */
  readonly prefix: string;
  readonly everyMs: number;
}

/**
 * Runs `Retention.purge` every `everyMs` as one BullMQ job scheduler per service: every replica
 * upserts the same scheduler, so there is one repeating job, and one worker takes each run.
 * Upserting an unchanged scheduler keeps its next run, so restarts do not multiply runs.
 */
export class RetentionSchedule {
  private readonly logger: Logger;
  private connection?: IORedis;
  private queue?: Queue;
  private worker?: Worker;

  constructor(
    private readonly retention: Retention,
    private readonly options: RetentionScheduleOptions,
  ) {
    this.logger = new Logger(`Retention(${options.service})`);
  }

  get queueName(): string {
    return `retention-${this.options.service}`;
  }

  async start(): Promise<void> {
    // BullMQ's blocking worker connection needs maxRetriesPerRequest: null.
    this.connection = new IORedis(this.options.redisUrl, { maxRetriesPerRequest: null });
    const { prefix } = this.options;
    this.queue = new Queue(this.queueName, { connection: this.connection, prefix });
    this.worker = new Worker(this.queueName, () => this.retention.purge(), {
      connection: this.connection,
      prefix,
      concurrency: 1,
    });
    // BullMQ emits connection errors as events: unheard, one would crash the process.
    const logError = (error: Error) => this.logger.warn(`redis: ${error.message}`);
    this.queue.on('error', logError);
    this.worker.on('error', logError);
    this.worker.on('failed', (_job, error) => this.logger.warn(`retention run failed: ${error.message}`));
    await this.queue.upsertJobScheduler(
      this.queueName,
      { every: this.options.everyMs },
      { name: 'purge', opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }

  /** The queue's job schedulers (one, whatever the number of replicas). */
  async schedulers(): Promise<{ id: string; every: number | undefined }[]> {
    const schedulers = await this.requireQueue().getJobSchedulers();
    return schedulers.map((s) => ({ id: s.key, every: s.every === undefined ? undefined : Number(s.every) }));
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
    await this.connection?.quit().catch(() => undefined);
  }

  private requireQueue(): Queue {
    if (!this.queue) throw new Error('the retention schedule is not started');
    return this.queue;
  }
}
