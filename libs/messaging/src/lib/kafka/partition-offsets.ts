import { Admin, Kafka, Partitioners } from 'kafkajs';
import { TopicPosition } from '../consumer/consumer-positions';
import { fetchTopicEnds } from './topic-ends';

const partitionOf = Partitioners.DefaultPartitioner();

/**
 * Where a key's partition ends now, and what a consumer group has committed: what a service asks
 * to know that it has applied everything written before a moment. The partition of a key is the
 * producers' (murmur2, as the Java client), so it is computed, not looked up.
 */
export class PartitionOffsets {
  private admin?: Promise<Admin>;

  constructor(private readonly kafka: Kafka) {}

  /** The partition `key` lands on in `topic`, and the offset the next message there will get. */
  async endOf(topic: string, key: string): Promise<TopicPosition> {
    const admin = await this.connected();
    const offsets = await fetchTopicEnds(admin, topic);
    const partition = partitionOf({
      topic,
      partitionMetadata: offsets.map((o) => ({
        partitionId: o.partition,
        leader: 0,
        partitionErrorCode: 0,
        replicas: [],
        isr: [],
      })),
      message: { key, value: null },
    });
    const end = offsets.find((o) => o.partition === partition);
    return { topic, partition, nextOffset: Number(end?.high ?? 0) };
  }

  /** Where every partition of `topic` ends now. */
  async endsOf(topic: string): Promise<TopicPosition[]> {
    const admin = await this.connected();
    const offsets = await fetchTopicEnds(admin, topic);
    return offsets.map((o) => ({ topic, partition: o.partition, nextOffset: Number(o.high) }));
  }

  /** What `groupId` committed on these partitions (the next offset it will read); -1 when nothing. */
  async committed(groupId: string, topic: string): Promise<Map<number, number>> {
    const admin = await this.connected();
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    if (admin) await (await admin.catch(() => undefined))?.disconnect();
  }

  private connected(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.admin = undefined;
      throw error;
    });
    return this.admin;
  }
}
