import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Kafka } from 'kafkajs';
import { Clock, CLOCK } from '@recert/clock';
import { EventCatalog, RecertEvents } from '@recert/contracts';
import { Liveness, Readiness, RECERT_CONFIG, RecertConfig, RecertMetrics, ReadinessProbe } from '@recert/platform';
import { DeadLettersHttpController } from './consumer/dead-letters.http.controller';
import { eventLogContext } from './consumer/event-log-context';
import { IdempotentConsumer } from './consumer/idempotent-consumer';
import { RedriveDeadLettersHandler } from './consumer/redrive-dead-letters.handler';
import { KafkaBatchConsumer } from './kafka/kafka-batch-consumer';
import { EVENT_PRODUCER, EventProducer } from './kafka/event-producer.port';
import { KafkajsEventProducer } from './kafka/kafkajs-event-producer';
import { createKafka, KAFKA } from './kafka/kafka-transport';
import { OutboxRelay, settlesWithin } from './outbox/outbox-relay';
import { outboxRelayLiveness } from './outbox/outbox-relay-liveness';
import { UnitOfWork } from './outbox/unit-of-work';
import { MessagingMetrics } from './messaging-metrics';
import { messagingRetentionRules, Retention, RetentionSchedule } from './retention/retention';

/**
 * Runs the outbox relay for the life of the application, and fails liveness when the consumer or
 * the relay is stuck. At shutdown, in this order: the consumer drains (its in-flight batches
 * commit, then their offsets) and disconnects, the relay publishes what they staged and stops
 * (within OUTBOX_STOP_TIMEOUT_MS), the producer closes; the pools close after every such hook.
 */
@Injectable()
class MessagingLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly consumer: KafkaBatchConsumer,
    private readonly relay: OutboxRelay,
    @Inject(EVENT_PRODUCER) private readonly producer: EventProducer,
    private readonly liveness: Liveness,
    @Inject(RECERT_CONFIG) private readonly config: RecertConfig,
  ) {}

  onModuleInit(): void {
    this.liveness.register(this.consumer.livenessProbe());
    this.liveness.register(outboxRelayLiveness(this.relay, this.config.outbox.stuckAfterMs));
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
    await this.relay.stop();
    // kafkajs may still be retrying the abandoned send against a broker it cannot reach.
    await settlesWithin(this.producer.disconnect(), this.config.outbox.stopTimeoutMs);
  }
}

/** Runs retention on its schedule once every rule is registered (at module init); stops it at shutdown. */
@Injectable()
class RetentionLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly schedule: RetentionSchedule) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedule.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.schedule.stop();
  }
}

/** Readiness includes the broker. */
@Injectable()
class KafkaReadiness implements OnModuleInit {
  constructor(
    private readonly readiness: Readiness,
    @Inject(KAFKA) private readonly kafka: Kafka,
  ) {}

  onModuleInit(): void {
    this.readiness.register(kafkaProbe(this.kafka));
  }
}

/**
 * The event backbone for one service: the unit of work (state + events in one transaction), the
 * outbox relay, the idempotent consumer with its retries and dead-letter topic, and retention
 * (other modules register the rules of their own tables with `Retention`).
 */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(catalog: EventCatalog = RecertEvents): DynamicModule {
    const logger = new Logger('Messaging');
    return {
      module: MessagingModule,
      controllers: [DeadLettersHttpController],
      providers: [
        {
          provide: KAFKA,
          inject: [RECERT_CONFIG],
          useFactory: (config: RecertConfig) => createKafka(config.kafka),
        },
        {
          provide: EVENT_PRODUCER,
          inject: [KAFKA],
          useFactory: (kafka: Kafka) => new KafkajsEventProducer(kafka),
        },
        {
          provide: OutboxRelay,
          inject: [DataSource, EVENT_PRODUCER, RECERT_CONFIG, RecertMetrics],
          useFactory: (dataSource: DataSource, producer: EventProducer, config: RecertConfig, metrics: RecertMetrics) =>
            new OutboxRelay(dataSource, producer, {
              ...config.outbox,
              onPublished: (_count, topics) => {
                for (const topic of topics) metrics.eventsProduced.inc({ topic });
              },
              onError: (error) =>
                logger.warn(`outbox relay: ${error instanceof Error ? error.message : String(error)}`),
            }),
        },
        {
          provide: UnitOfWork,
          inject: [DataSource, CLOCK, RECERT_CONFIG],
          useFactory: (dataSource: DataSource, clock: Clock, config: RecertConfig) =>
            new UnitOfWork(dataSource, clock, config.service),
        },
        {
          provide: IdempotentConsumer,
          inject: [UnitOfWork, RECERT_CONFIG, RecertMetrics],
          useFactory: (unitOfWork: UnitOfWork, config: RecertConfig, metrics: RecertMetrics) =>
            new IdempotentConsumer(config.kafka.groupId, catalog, unitOfWork, config.consumer, {
              // Every log line written while an event is handled carries its correlation id, event id and type.
              inContext: eventLogContext(() => PinoLogger.root),
              onOutcome: (topic, outcome, type) =>
                metrics.eventsConsumed.inc({ topic, type: type ?? 'unreadable', outcome }),
              onBatchFailed: (topic, size, error) =>
                logger.warn(
                  `${topic}: a batch of ${size} failed, consumed again one by one: ${error instanceof Error ? error.message : String(error)}`,
                ),
              onRetry: (topic, attempt, error) =>
                logger.warn(
                  `${topic}: attempt ${attempt} failed: ${error instanceof Error ? error.message : String(error)}`,
                ),
            }),
        },
        {
          provide: Retention,
          inject: [DataSource, CLOCK, RECERT_CONFIG, RecertMetrics],
          useFactory: (dataSource: DataSource, clock: Clock, config: RecertConfig, metrics: RecertMetrics) => {
            const retention = new Retention(dataSource, clock, {
              batchSize: config.retention.batchSize,
              onPurged: (table, count) => metrics.retentionPurged.inc({ table }, count),
            });
            for (const rule of messagingRetentionRules(config.retention)) retention.register(rule);
            return retention;
          },
        },
        {
          provide: RetentionSchedule,
          inject: [Retention, RECERT_CONFIG],
          useFactory: (retention: Retention, config: RecertConfig) =>
            new RetentionSchedule(retention, {
              service: config.service,
              redisUrl: config.redisUrl,
              prefix: config.deadlines.queuePrefix,
              everyMs: config.retention.everyMs,
            }),
        },
        RetentionLifecycle,
        RedriveDeadLettersHandler,
        {
          provide: KafkaBatchConsumer,
          inject: [KAFKA, IdempotentConsumer, RECERT_CONFIG],
          useFactory: (kafka: Kafka, consumer: IdempotentConsumer, config: RecertConfig) =>
            new KafkaBatchConsumer(
              kafka,
              consumer,
              {
                groupId: config.kafka.groupId,
                concurrency: config.kafka.concurrency,
                batchMax: config.consumer.batchMax,
                drainMs: config.consumer.drainMs,
                stuckAfterMs: config.consumer.stuckAfterMs,
              },
              {
                onCrash: (error, restarting) =>
                  logger.error(
                    `consumer crashed${restarting ? ', rejoining' : ''}: ${error instanceof Error ? error.message : String(error)}`,
                  ),
                onDrainTimeout: (drainMs) =>
                  logger.warn(
                    `consumer: batches still in progress after ${drainMs} ms of shutdown are left to be redelivered`,
                  ),
              },
            ),
        },
        MessagingLifecycle,
        KafkaReadiness,
        MessagingMetrics,
      ],
      exports: [KAFKA, EVENT_PRODUCER, OutboxRelay, UnitOfWork, IdempotentConsumer, KafkaBatchConsumer, Retention],
    };
  }
}

function kafkaProbe(kafka: Kafka): ReadinessProbe {
  const admin = kafka.admin();
  let connected: Promise<void> | undefined;
  return {
    name: 'kafka',
    async check() {
      connected ??= admin.connect().catch((error: unknown) => {
        connected = undefined;
        throw error;
      });
      await connected;
      await admin.describeCluster();
    },
  };
}
