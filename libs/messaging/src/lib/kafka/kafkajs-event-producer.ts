import { Kafka, Partitioners, Producer } from 'kafkajs';
import { EventProducer, OutgoingMessage } from './event-producer.port';

/**
 * Errors after which the broker no longer accepts this producer's sequence numbers: an idempotent
 * kafkajs producer keeps failing with them (seen after a broker restart in the fault suite: the
 * audits relay failed every send for eight minutes). A new producer gets a new producer id.
 */
const PRODUCER_STATE_LOST = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
]);

/** kafkajs adapter: idempotent producer, acks from all in-sync replicas, one request in flight. */
export class KafkajsEventProducer implements EventProducer {
  private producer: Producer;
  private connecting?: Promise<void>;

  constructor(private readonly kafka: Kafka) {
    this.producer = this.newProducer();
  }

  async send(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    try {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
        })),
      });
    } catch (error) {
      // The caller (the outbox relay) sends again; a send the broker may have kept is at least
      // once, which the consumers' inboxes make once.
      if (lostProducerState(error)) await this.replaceProducer();
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    if (this.connecting) await this.producer.disconnect();
    this.connecting = undefined;
  }

  private async replaceProducer(): Promise<void> {
    const lost = this.producer;
    const wasConnected = this.connecting;
    this.producer = this.newProducer();
    this.connecting = undefined;
    if (wasConnected) await lost.disconnect().catch(() => undefined);
  }

  private newProducer(): Producer {
    // One in-flight request keeps retried batches from overtaking each other (order per key).
    // The Java client's murmur2 partitioner: a key lands on the same partition whoever produces it.
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  private connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }
}

/** Whether the error, or one it wraps (kafkajs nests the broker's answer in `cause`), is one of PRODUCER_STATE_LOST. */
function lostProducerState(error: unknown): boolean {
  let e = error as { type?: string; cause?: unknown; originalError?: unknown } | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (e.type && PRODUCER_STATE_LOST.has(e.type)) return true;
    e = (e.cause ?? e.originalError) as typeof e;
  }
  return false;
}
