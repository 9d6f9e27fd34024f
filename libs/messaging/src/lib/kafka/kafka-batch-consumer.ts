import { performance } from 'node:perf_hooks';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { LivenessProbe } from '@recert/platform';
import { IdempotentConsumer, ReceivedMessage } from '../consumer/idempotent-consumer';

export interface BatchConsumerSettings {
  groupId: string;
  /** Partitions consumed at once; order holds per partition, and every event is keyed by its aggregate. */
  concurrency: number;
  /** The most messages one transaction takes: a larger fetch is consumed in slices of this size. */
  batchMax: number;
  /** How long a shutdown lets in-flight batches finish before it gives up on them (they are redelivered). */
  drainMs: number;
  /** A batch that finished no message for this long makes the consumer not live. */
  stuckAfterMs: number;
}

export interface BatchConsumerObserver {
  onCrash?(error: unknown, restarting: boolean): void;
  onDrainTimeout?(drainMs: number): void;
}

/**
 * How every service consumes: its own kafkajs consumer (its own group), fetching batches per
 * partition and handing each slice of at most `batchMax` messages to the idempotent consumer as
 * one transaction. Offsets are committed once that transaction has committed, never before, so a
 * crash in between redelivers the slice and the inbox makes the redelivery a no-op. A new group
 * reads from the earliest offset, so nothing published before a service's first start is missed.
 */
export class KafkaBatchConsumer {
  private consumer?: Consumer;
  /** When each batch in progress last finished a message, or started (performance.now()), by partition. */
  private readonly inProgress = new Map<string, number>();
  private crashed?: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly idempotent: IdempotentConsumer,
    private readonly settings: BatchConsumerSettings,
    private readonly observer: BatchConsumerObserver = {},
  ) {}

  async start(): Promise<void> {
    if (this.consumer) return;
    const consumer = this.kafka.consumer({
      groupId: this.settings.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // kafkajs rejoins by itself after a retriable crash; otherwise the consumer is gone for good.
      if (!payload.restart) this.crashed = payload.error.message;
      this.observer.onCrash?.(payload.error, payload.restart);
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.crashed = undefined;
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.idempotent.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.settings.concurrency,
      eachBatch: (payload) => this.consumeFetched(payload),
    });
  }

  /**
   * Stops fetching, lets the slices in progress finish and commit their offsets, leaves the group
   * and disconnects, for at most drainMs. Past that the shutdown goes on without it: the process
   * is ending, and what was not committed is redelivered to the group's next member.
   */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return;
    this.consumer = undefined;
    const disconnected = consumer.disconnect();
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.settings.drainMs);
    });
    const late = await Promise.race([disconnected.then(() => false), gaveUp]);
    clearTimeout(timer);
    if (late) {
      disconnected.catch(() => undefined);
      this.observer.onDrainTimeout?.(this.settings.drainMs);
    }
  }

  /** Fails when a batch finished no message past the limit, or the consumer crashed and did not rejoin. */
  livenessProbe(): LivenessProbe {
    return {
      name: 'kafka-consumer',
      check: () => {
        if (this.crashed) throw new Error(`the consumer crashed and did not rejoin: ${this.crashed}`);
        const now = performance.now();
        for (const [partition, since] of this.inProgress) {
          const ms = Math.round(now - since);
          if (ms > this.settings.stuckAfterMs)
            throw new Error(`${partition}: a batch has made no progress for ${ms} ms`);
        }
      },
    };
  }

  private async consumeFetched(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    // The fetch is done: a topic end read from now on lies past everything written before it.
    const receivedAt = performance.now();
    const where = `${batch.topic}/${batch.partition}`;
    for (let from = 0; from < batch.messages.length; from += this.settings.batchMax) {
      // A stopping consumer finishes the slice in hand, not the rest of the fetch; a stale one was rebalanced away.
      if (!payload.isRunning() || payload.isStale()) return;
      const slice = batch.messages.slice(from, from + this.settings.batchMax);
      this.inProgress.set(where, performance.now());
      try {
        // After each message: the heartbeat (kafkajs sends it only when due) keeps the partition
        // through a long slice, and the liveness probe sees the progress.
        await this.idempotent.consumeBatch(
          slice.map((m) => received(batch.topic, batch.partition, m, receivedAt)),
          async () => {
            this.inProgress.set(where, performance.now());
            await payload.heartbeat();
          },
        );
      } finally {
        this.inProgress.delete(where);
      }
      const last = slice[slice.length - 1].offset;
      await payload.commitOffsetsIfNecessary({
        topics: [
          { topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(BigInt(last) + 1n) }] },
        ],
      });
      // Only now past the slice: kafkajs retries a failed batch from the position held in memory,
      // so a position moved before a failed commit would leave the slice uncommitted for good.
      payload.resolveOffset(last);
      await payload.heartbeat();
    }
  }
}

/** The message as kafkajs hands it over: the value untouched, headers as text. */
function received(topic: string, partition: number, message: KafkaMessage, receivedAt: number): ReceivedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key === null || message.key === undefined ? null : message.key.toString(),
    headers,
    value: message.value,
    receivedAt,
  };
}
