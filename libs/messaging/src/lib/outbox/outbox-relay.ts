import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { EventEnvelope } from '@recert/contracts';
import { EventProducer } from '../kafka/event-producer.port';
import { headersOf } from './unit-of-work';

export interface OutboxRelayOptions {
  /** How often the relay looks for rows nobody published (another process's, or left by a crash). */
  sweepMs: number;
  batchSize: number;
  /** How long `stop()` waits for a send in flight before abandoning it. */
  stopTimeoutMs: number;
  onError?: (error: unknown) => void;
  onPublished?: (count: number, topics: string[]) => void;
}

/** How one turn went: rows published, or another relay of the same schema held the turn. */
export type BatchOutcome = { published: number } | 'another relay is publishing';

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  envelope: EventEnvelope;
}

// While another replica publishes, it may have read the outbox before this process's commit:
// look again soon rather than at the next sweep.
const CONTENDED_RETRY_MS = 25;
const FAILURE_BACKOFF_MS = { first: 100, max: 5_000 };

/**
 * Publishes committed outbox rows to Kafka in commit order. The process that commits publishes its
 * own rows right after the commit (`nudge`); a slow sweep picks up what another process or a crash
 * left behind, so an idle service sends one cheap query per sweep.
 *
 * Only one relay per service schema publishes at a time, so replicas never reorder one aggregate's
 * events: the turn is a session-level advisory lock on a connection of its own, held while the rows
 * are read, sent and marked, each statement committing on its own. No transaction is open across
 * the Kafka send, and a relay that dies mid-send (or is stopped) loses its connection and with it
 * the lock. A crash between send and mark re-sends the rows: delivery is at least once, and
 * consumers are idempotent by event id.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private nudged = false;
  /** When the relay learned of work it has not finished, reset by each step of progress (performance.now()). */
  private waitingSince?: number;
  /** Ends the connection of the turn in flight, so a stuck send cannot keep the turn. */
  private abandonTurn?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: EventProducer,
    private readonly options: OutboxRelayOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Stops within `stopTimeoutMs`. A send still in flight then is abandoned: its rows stay
   * unpublished and go out again at the next start (or from another replica).
   */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    if (!this.loop) return;
    if (!(await settlesWithin(this.loop, this.options.stopTimeoutMs))) this.abandonTurn?.();
    this.loop = undefined;
  }

  /** Called after a commit that staged events: they go out now, with whatever else committed meanwhile. */
  nudge(): void {
    this.nudged = true;
    this.waitingSince ??= performance.now();
    this.wake?.();
  }

  /** How long events have waited without the relay making progress; 0 when nothing waits. */
  stalledForMs(): number {
    return this.waitingSince === undefined ? 0 : performance.now() - this.waitingSince;
  }

  /** Takes the schema's turn if it is free and publishes at most one batch. */
  async publishBatch(): Promise<BatchOutcome> {
    const [client, release] = (await (this.dataSource.driver as PostgresDriver).obtainMasterConnection()) as [
      PoolClient,
      (error?: Error) => void,
    ];
    // A connection lost between the turn's statements (PostgreSQL restarted during a send) is
    // reported on the client, not on a statement: heard here, it fails the turn's next statement
    // instead of crashing the process.
    const lost = (error: Error) => this.options.onError?.(error);
    client.on('error', lost);
    let released = false;
    const end = (error?: Error) => {
      if (released) return;
      released = true;
      this.abandonTurn = undefined;
      client.off('error', lost);
      release(error);
    };
    this.abandonTurn = () => end(new Error('outbox relay stopped during a send'));
    let locked = false;
    try {
      const { rows: turn } = await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(hashtext(current_schema() || '.outbox-relay')) AS locked`,
      );
      locked = turn[0].locked;
      if (!locked) return 'another relay is publishing';
      const { rows } = await client.query<OutboxRow>(
        `SELECT id, topic, message_key, envelope FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        [this.options.batchSize],
      );
      if (rows.length > 0) {
        await this.producer.send(
          rows.map((row) => ({
            topic: row.topic,
            key: row.message_key,
            value: JSON.stringify(row.envelope),
            headers: headersOf(row.envelope),
          })),
        );
        await client.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [
          rows.map((r) => r.id),
        ]);
        this.options.onPublished?.(
          rows.length,
          rows.map((r) => r.topic),
        );
      }
      await client.query(`SELECT pg_advisory_unlock(hashtext(current_schema() || '.outbox-relay'))`);
      locked = false;
      return { published: rows.length };
    } finally {
      // A session that may still hold the lock is closed rather than returned to the pool.
      end(locked ? new Error('outbox relay turn ended by an error') : undefined);
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    // At start: a look for what an earlier run left behind.
    let delay = 0;
    while (this.running) {
      await this.sleep(delay);
      if (!this.running) break;
      try {
        // Known work (a nudge, a full batch, the turn taken elsewhere) is published at once;
        // otherwise one cheap query says whether there is any.
        if (this.waitingSince === undefined) {
          if (!(await this.anyUnpublished())) {
            delay = this.options.sweepMs;
            continue;
          }
          this.waitingSince = performance.now();
        }
        const outcome = await this.publishBatch();
        failures = 0;
        if (outcome === 'another relay is publishing') {
          delay = CONTENDED_RETRY_MS;
        } else {
          const full = outcome.published === this.options.batchSize;
          this.waitingSince = full || this.nudged ? performance.now() : undefined;
          delay = full ? 0 : this.options.sweepMs;
        }
      } catch (error) {
        // With no known work (PostgreSQL down during a sweep, say) nothing waits, and liveness holds.
        failures += 1;
        if (this.running) this.options.onError?.(error);
        delay = Math.min(FAILURE_BACKOFF_MS.first * 2 ** (failures - 1), FAILURE_BACKOFF_MS.max);
      }
    }
  }

  private async anyUnpublished(): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT 1`);
    return rows.length > 0;
  }

  /** Waits `ms`, or less when nudged. */
  private sleep(ms: number): Promise<void> {
    if (this.nudged || ms === 0) {
      this.nudged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.nudged = false;
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

/** Whether `work` settled (either way) within `ms`; it is not cancelled when it did not. */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = work.then(
    () => true,
    () => true,
  );
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}
