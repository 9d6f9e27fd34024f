import { EntityManager } from 'typeorm';
import { EventScope } from '../outbox/unit-of-work';

/** How far a consumer has applied one partition: every offset below `nextOffset` is done. */
export interface TopicPosition {
  readonly topic: string;
  readonly partition: number;
  readonly nextOffset: number;
}

/** A partition of a topic. */
export type PartitionKey = Omit<TopicPosition, 'nextOffset'>;

/**
 * A use case that must know how far its service has read some topics, to act once everything
 * recorded before an instant has been applied (e.g. the CEU ledger as it stood at an
 * application's receipt). Registered with the idempotent consumer of the service.
 */
export interface PositionListener {
  readonly topics: readonly string[];
  /** Runs in the transaction that recorded the new position, under the partition's lock. */
  onAdvance(scope: EventScope, position: TopicPosition): Promise<void>;
}

/**
 * The positions table (consumer_positions in the service's schema). A position only moves
 * forward and is written in the message's effect transaction (or after it was parked or skipped),
 * so a position at or past an offset proves that message was applied (or parked, or was not this
 * service's to handle).
 */
export class ConsumerPositions {
  /**
   * Serialises a position's advance with whoever is about to wait on it: without this, a waiter
   * could read an old position while the advance that satisfies it commits, and wait forever.
   * The consumer that advances a partition takes its lock exclusively, before it applies the
   * batch; waiters take theirs shared, so receipts never wait for one another. Locks are taken
   * in one order (topic, partition), in one statement.
   */
  static lockToAdvance(m: EntityManager, consumer: string, keys: readonly PartitionKey[]): Promise<void> {
    return ConsumerPositions.lock(m, consumer, keys, 'pg_advisory_xact_lock');
  }

  /** See lockToAdvance. */
  static lockToWait(m: EntityManager, consumer: string, keys: readonly PartitionKey[]): Promise<void> {
    return ConsumerPositions.lock(m, consumer, keys, 'pg_advisory_xact_lock_shared');
  }

  private static async lock(
    m: EntityManager,
    consumer: string,
    keys: readonly PartitionKey[],
    lockFunction: 'pg_advisory_xact_lock' | 'pg_advisory_xact_lock_shared',
  ): Promise<void> {
    if (keys.length === 0) return;
    const sorted = [...keys].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    await m.query(
      `SELECT count(${lockFunction}(hashtext('position:' || $1 || '/' || k.topic || '/' || k.partition)))
         FROM (SELECT * FROM unnest($2::text[], $3::int[]) WITH ORDINALITY AS u(topic, partition, n) ORDER BY n) k`,
      [consumer, sorted.map((k) => k.topic), sorted.map((k) => k.partition)],
    );
  }

  static async advance(m: EntityManager, consumer: string, p: TopicPosition): Promise<void> {
    await m.query(
      `INSERT INTO consumer_positions (consumer, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
       ON CONFLICT (consumer, topic, partition) DO UPDATE
       SET next_offset = GREATEST(consumer_positions.next_offset, EXCLUDED.next_offset)`,
      [consumer, p.topic, p.partition, p.nextOffset],
    );
  }

  /** The recorded positions of these partitions ("topic/partition" → next offset); absent if never read. */
  static async read(
    m: EntityManager,
    consumer: string,
    keys: readonly Omit<TopicPosition, 'nextOffset'>[],
  ): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const rows: { topic: string; partition: number; next_offset: string }[] = await m.query(
      `SELECT topic, partition, next_offset FROM consumer_positions
       WHERE consumer = $1 AND (topic, partition) IN (SELECT * FROM unnest($2::text[], $3::int[]))`,
      [consumer, keys.map((k) => k.topic), keys.map((k) => k.partition)],
    );
    return new Map(rows.map((r) => [`${r.topic}/${r.partition}`, Number(r.next_offset)]));
  }
}
