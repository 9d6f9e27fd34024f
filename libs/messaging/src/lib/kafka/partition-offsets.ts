import { Admin, Kafka, Partitioners } from 'kafkajs';
import { TopicPosition } from '../consumer/consumer-positions';
import { fetchTopicsEnds, PartitionEnd } from './topic-ends';

const partitionOf = Partitioners.DefaultPartitioner();

/**
 * Where a key's partition ends now, and what a consumer group has committed: what a service asks
 * to know that it has applied everything written before a moment. The partition of a key is the
 * producers' (murmur2, as the Java client), so it is computed, not looked up.
 *
 * `since` (performance.now(), an event's EventScope.receivedAt) asks for ends read at or after
 * that moment rather than now: any such read lies past everything written before the event
 * reached its consumer. A batch of receipts then shares one read of each topic's ends instead of
 * asking the broker once per receipt. And the topics asked for in one turn of the event loop (a
 * receipt asks for four at once) are read in one request.
 */
export class PartitionOffsets {
  private admin?: Promise<Admin>;
  /** The latest read of each topic's ends, and when it started. */
  private readonly reads = new Map<string, { startedAt: number; ends: Promise<PartitionEnd[]> }>();
  /** The read gathering this turn's topics, sent once the turn's callers have asked. */
  private gathering?: { topics: string[]; startedAt: number; ends: Promise<Map<string, PartitionEnd[]>> };

  constructor(private readonly kafka: Kafka) {}

  /** The partition `key` lands on in `topic`, and the offset the next message there will get. */
  async endOf(topic: string, key: string, since?: number): Promise<TopicPosition> {
    const offsets = await this.topicEnds(topic, since);
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

  /** Where every partition of `topic` ends now (or, given `since`, at a read no earlier than it). */
  async endsOf(topic: string, since?: number): Promise<TopicPosition[]> {
    const offsets = await this.topicEnds(topic, since);
    return offsets.map((o) => ({ topic, partition: o.partition, nextOffset: Number(o.high) }));
  }

  private topicEnds(topic: string, since: number | undefined): Promise<PartitionEnd[]> {
    const latest = this.reads.get(topic);
    if (latest && since !== undefined && latest.startedAt >= since) return latest.ends;
    const gathering = (this.gathering ??= this.gather());
    if (!gathering.topics.includes(topic)) gathering.topics.push(topic);
    const read = {
      startedAt: gathering.startedAt,
      ends: gathering.ends.then((ends) => ends.get(topic) ?? Promise.reject(new Error(`no ends read for ${topic}`))),
    };
    this.reads.set(topic, read);
    read.ends.catch(() => {
      if (this.reads.get(topic) === read) this.reads.delete(topic);
    });
    return read.ends;
  }

  /** A read of the topics asked for in this turn, sent after it (startedAt: before it is sent, so no later than its request). */
  private gather(): { topics: string[]; startedAt: number; ends: Promise<Map<string, PartitionEnd[]>> } {
    const topics: string[] = [];
    const ends = Promise.resolve().then(async () => {
      this.gathering = undefined;
      return fetchTopicsEnds(await this.connected(), topics);
    });
    return { topics, startedAt: performance.now(), ends };
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
