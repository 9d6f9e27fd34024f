import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { EventEnvelope } from '@recert/contracts';
import { EventProducer } from '../kafka/event-producer.port';
import { headersOf, OUTBOX_CHANNEL_SQL } from './unit-of-work';

export interface OutboxRelayOptions {
  /** How often the relay looks for rows nobody published (another process's, or left by a crash). */
  sweepMs: number;
  batchSize: number;
  /** How long `stop()` waits for a send in flight before abandoning it. */
  stopTimeoutMs: number;
  onError?: (error: unknown) => void;
  onPublished?: (count: number, topics: string[]) => void;
}

/** How one turn went: rows published, or another relay of the same schema holds the turn. */
export type BatchOutcome = { published: number } | 'another relay is publishing';

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  envelope: EventEnvelope;
}

/** The schema's turn, held by one relay: a session of its own with the advisory lock, LISTENing. */
interface Turn {
  client: PoolClient;
  /** Ends the session (and with it the lock and the LISTEN): it never goes back to the pool. */
  end: (error?: Error) => void;
}

const FAILURE_BACKOFF_MS = { first: 100, max: 5_000 };

/**
 * Publishes committed outbox rows to Kafka in commit order.
 *
 * One relay per service schema holds the turn (a session-level advisory lock on a connection of
 * its own) for as long as it runs, so replicas never reorder one aggregate's events; the others
 * try to take it at every sweep. The holder LISTENs on the schema's channel, which every commit
 * that staged events NOTIFYs (in the statement that stages them): it publishes right after any
 * replica's commit, and an idle relay sends one cheap statement per sweep.
 *
 * A turn is one statement: it marks the rows of the previous send published and reads the next
 * batch. No transaction is open across the Kafka send, and a relay that dies mid-send (or is
 * stopped) loses its session and with it the turn. A crash between a send and the next statement
 * re-sends the rows: delivery is at least once, and consumers are idempotent by event id.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private woken = false;
  private turn?: Turn;
  /** The ids of the last send, marked published by the next statement of the turn. */
  private sentIds: string[] = [];
  /** When the relay learned of work it has not finished, reset by each step of progress (performance.now()). */
  private waitingSince?: number;

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
   * unpublished and go out again from the next relay to take the turn.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    if (!this.loop) return;
    if (!(await settlesWithin(this.loop, this.options.stopTimeoutMs))) this.resign();
    this.loop = undefined;
  }

  /** Whether this relay holds its schema's turn (publishes for every replica). */
  holdsTurn(): boolean {
    return this.turn !== undefined;
  }

  /** How long events have waited without the relay making progress; 0 when nothing waits. */
  stalledForMs(): number {
    return this.waitingSince === undefined ? 0 : performance.now() - this.waitingSince;
  }

  /**
   * Takes the schema's turn if it is free, marks the previous send published and publishes at
   * most one batch. Any failure gives the turn up, so the next relay to take it starts afresh.
   */
  async publishBatch(): Promise<BatchOutcome> {
    const turn = this.turn ?? (await this.takeTurn());
    if (!turn) return 'another relay is publishing';
    try {
      this.woken = false;
      const { rows } = await turn.client.query<OutboxRow>(
        `WITH sent AS (UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[]))
         SELECT id, topic, message_key, envelope FROM outbox
          WHERE published_at IS NULL AND NOT (id = ANY($1::bigint[])) ORDER BY id LIMIT $2`,
        [this.sentIds, this.options.batchSize],
      );
      this.sentIds = [];
      if (rows.length === 0) return { published: 0 };
      this.waitingSince ??= performance.now();
      await this.producer.send(
        rows.map((row) => ({
          topic: row.topic,
          key: row.message_key,
          value: JSON.stringify(row.envelope),
          headers: headersOf(row.envelope),
        })),
      );
      this.sentIds = rows.map((r) => r.id);
      this.options.onPublished?.(
        rows.length,
        rows.map((r) => r.topic),
      );
      return { published: rows.length };
    } catch (error) {
      this.resign(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  private async takeTurn(): Promise<Turn | undefined> {
    const [client, release] = (await (this.dataSource.driver as PostgresDriver).obtainMasterConnection()) as [
      PoolClient,
      (error?: Error) => void,
    ];
    // A connection lost while the turn is held (PostgreSQL restarted) is reported on the client,
    // not on a statement: heard here, it gives the turn up instead of crashing the process.
    const lost = (error: Error) => {
      this.options.onError?.(error);
      if (this.turn?.client === client) this.resign(error);
    };
    const notified = () => {
      this.woken = true;
      this.waitingSince ??= performance.now();
      this.wake?.();
    };
    client.on('error', lost);
    client.on('notification', notified);
    let ended = false;
    const end = (error?: Error) => {
      if (ended) return;
      ended = true;
      client.off('error', lost);
      client.off('notification', notified);
      release(error);
    };
    try {
      const { rows } = await client.query<{ locked: boolean; channel: string }>(
        `SELECT pg_try_advisory_lock(hashtext(current_schema() || '.outbox-relay')) AS locked, ${OUTBOX_CHANNEL_SQL} AS channel`,
      );
      if (!rows[0].locked) {
        end();
        return undefined;
      }
      await client.query(`LISTEN "${rows[0].channel}"`);
      this.turn = { client, end: (error) => end(error ?? new Error('outbox relay gave up its turn')) };
      return this.turn;
    } catch (error) {
      end(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  /** Ends the turn's session; rows sent but not yet marked go out again from the next holder. */
  private resign(error?: Error): void {
    const turn = this.turn;
    this.turn = undefined;
    this.sentIds = [];
    turn?.end(error);
  }

  private async run(): Promise<void> {
    let failures = 0;
    // At start: a look for what an earlier run left behind.
    let delay = 0;
    while (this.running) {
      await this.sleep(delay);
      if (!this.running) break;
      try {
        const outcome = await this.publishBatch();
        failures = 0;
        if (outcome === 'another relay is publishing') {
          // Whatever this process committed is the holder's to publish (and its liveness to report).
          this.waitingSince = undefined;
          delay = this.options.sweepMs;
        } else if (outcome.published > 0) {
          // Progress: at once again, to mark this send and read what committed meanwhile.
          this.waitingSince = performance.now();
          delay = 0;
        } else {
          if (!this.woken) this.waitingSince = undefined;
          delay = this.options.sweepMs;
        }
      } catch (error) {
        // With no known work (PostgreSQL down during a sweep, say) nothing waits, and liveness holds.
        failures += 1;
        if (this.running) this.options.onError?.(error);
        delay = Math.min(FAILURE_BACKOFF_MS.first * 2 ** (failures - 1), FAILURE_BACKOFF_MS.max);
      }
    }
    // A clean stop marks the last send, so the next holder does not send it again.
    if (this.turn && this.sentIds.length > 0) {
      await this.turn.client
        .query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [this.sentIds])
        .catch((error: unknown) => this.options.onError?.(error));
    }
    this.resign();
  }

  /** Waits `ms`, or less when woken by a notification or a stop. */
  private sleep(ms: number): Promise<void> {
    if (this.woken || ms === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
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
