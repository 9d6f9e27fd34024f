import { DataSource } from 'typeorm';
import { EventEnvelope } from '@recert/contracts';
import { EventProducer } from '../kafka/event-producer.port';
import { headersOf } from './unit-of-work';

export interface OutboxRelayOptions {
  pollMs: number;
  batchSize: number;
  onError?: (error: unknown) => void;
  onPublished?: (count: number, topics: string[]) => void;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  envelope: EventEnvelope;
}

/**
 * Publishes committed outbox rows to Kafka in commit order, then marks them published in the same
 * transaction that read them. A crash between send and commit re-sends the batch on restart:
 * delivery is at least once, and consumers are idempotent by event id.
 *
 * Only one relay per service schema works at a time (a transaction-scoped advisory lock), so
 * replicas of a service never reorder one aggregate's events.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private nudged = false;

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

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Called after a commit that staged events, so they go out without waiting for the next poll. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /** Publishes at most one batch; returns how many rows it published. */
  async publishBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query(
        `SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '.outbox-relay')) AS locked`,
      );
      if (!locked) return 0;
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, topic, message_key, envelope FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        [this.options.batchSize],
      );
      if (rows.length === 0) return 0;
      await this.producer.send(
        rows.map((row) => ({
          topic: row.topic,
          key: row.message_key,
          value: JSON.stringify(row.envelope),
          headers: headersOf(row.envelope),
        })),
      );
      await manager.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      this.options.onPublished?.(
        rows.length,
        rows.map((r) => r.topic),
      );
      return rows.length;
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let published = 0;
      try {
        published = await this.publishBatch();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.options.onError?.(error);
      }
      // A full batch means more is waiting: go on at once. Otherwise wait for a poll or a nudge,
      // backing off while the broker or the database is failing.
      if (published < this.options.batchSize && this.running) {
        await this.sleep(failures ? Math.min(this.options.pollMs * 2 ** failures, 5_000) : this.options.pollMs);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.nudged) {
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
