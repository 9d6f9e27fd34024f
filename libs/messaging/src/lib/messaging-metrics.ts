import { BeforeApplicationShutdown, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { RECERT_CONFIG, RecertConfig, RecertMetrics } from '@recert/platform';
import { KAFKA } from './kafka/kafka-transport';
import { fetchTopicEnds } from './kafka/topic-ends';

/** The backbone's gauges: the outbox backlog, and the consumer group's lag on each topic it reads. */
@Injectable()
export class MessagingMetrics implements OnModuleInit, BeforeApplicationShutdown {
  private admin?: Promise<Admin>;

  constructor(
    private readonly metrics: RecertMetrics,
    private readonly dataSource: DataSource,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(RECERT_CONFIG) private readonly config: RecertConfig,
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

  async beforeApplicationShutdown(): Promise<void> {
    const admin = await this.admin?.catch(() => undefined);
    await admin?.disconnect();
  }

  private async consumerLag(): Promise<{ labels: { topic: string }; value: number }[]> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    const admin = await this.admin;
    const committed = await admin.fetchOffsets({ groupId: this.config.kafka.groupId });
    return Promise.all(
      committed.map(async ({ topic, partitions }) => {
        const ends = await fetchTopicEnds(admin, topic);
        let lag = 0;
        for (const p of partitions) {
          const end = ends.find((e) => e.partition === p.partition);
          if (!end) continue;
          // No commit yet (-1): the group will read from the start (it reads from the beginning).
          const from = Number(p.offset) < 0 ? Number(end.low) : Number(p.offset);
          lag += Math.max(0, Number(end.high) - from);
        }
        return { labels: { topic }, value: lag };
      }),
    );
  }
}
