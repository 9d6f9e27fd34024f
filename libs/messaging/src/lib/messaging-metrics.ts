import { BeforeApplicationShutdown, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { RECERT_CONFIG, RecertConfig, RecertMetrics } from '@recert/platform';
import { IdempotentConsumer } from './consumer/idempotent-consumer';
import { KAFKA } from './kafka/kafka-transport';
import { fetchTopicEnds } from './kafka/topic-ends';

/** The backbone's gauges: the outbox backlog, and the consumer group's lag on each topic it reads. */
@Injectable()
export class MessagingMetrics implements OnModuleInit, BeforeApplicationShutdown {
  private admin?: Promise<Admin>;
  /** The lag reads under way: a shutdown lets them finish before it disconnects their admin. */
  private readonly reading = new Set<Promise<unknown>>();
  private closing = false;

  constructor(
    private readonly metrics: RecertMetrics,
    private readonly dataSource: DataSource,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(RECERT_CONFIG) private readonly config: RecertConfig,
    private readonly consumer: IdempotentConsumer,
  ) {}

  onModuleInit(): void {
    this.metrics.gaugeFromState(
      'recert_outbox_backlog',
      'Events committed but not yet published to Kafka.',
      [],
      async () => {
        const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
        return [{ labels: {}, value: n }];
      },
    );
    this.metrics.gaugeFromState(
      'recert_consumer_lag',
      "Messages on each topic that this service's consumer group has yet to read.",
      ['topic'],
      () => this.consumerLag(),
    );
  }

  /**
   * No lag read starts once shutdown begins, and the ones under way finish first: an admin
   * disconnected under a read reconnects to retry it, which kept the scrape's request, and with it
   * the HTTP server's close, waiting.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.reading]);
    const admin = await this.admin?.catch(() => undefined);
    await admin?.disconnect();
  }

  private async consumerLag(): Promise<{ labels: { topic: string }; value: number }[]> {
    if (this.closing) throw new Error('the service is shutting down');
    const read = this.readLag();
    this.reading.add(read);
    try {
      return await read;
    } finally {
      this.reading.delete(read);
    }
  }

  private async readLag(): Promise<{ labels: { topic: string }; value: number }[]> {
    this.admin ??= (async () => {
      // One attempt per scrape: a failed read leaves the gauge empty for that scrape (the next one
      // asks again), instead of holding the request through kafkajs's retries.
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      await admin.connect();
      return admin;
    })();
    const admin = await this.admin;
    const topics = this.consumer.topics;
    if (topics.length === 0) return [];
    // Named topics: the broker then answers for every partition, including those never committed on.
    const committed = await admin.fetchOffsets({ groupId: this.config.kafka.groupId, topics });
    return Promise.all(
      committed.map(async ({ topic, partitions }) => {
        const ends = await fetchTopicEnds(admin, topic, 0);
        let lag = 0;
        for (const end of ends) {
          const offset = Number(partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
          // No commit yet (-1): the group will read from the start (it reads from the beginning).
          const from = offset < 0 ? Number(end.low) : offset;
          lag += Math.max(0, Number(end.high) - from);
        }
        return { labels: { topic }, value: lag };
      }),
    );
  }
}
