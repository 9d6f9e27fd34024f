import { Controller, INestMicroservice, Module, OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { createEnvelope, defineEvent, EventCatalog } from '@recert/contracts';
import { PlatformModule } from '@recert/platform';
import {
  createTestTopic,
  TEST_DATABASE_URL,
  TEST_KAFKA_BROKERS,
  testKafka,
  testKafkaSasl,
  uniqueName,
  waitFor,
} from '@recert/testing';
import { IdempotentConsumer } from './consumer/idempotent-consumer';
import { MessagingTables1764000000000 } from './database/messaging-tables.migration';
import { ParkedMessages1767400000000 } from './database/parked-messages.migration';
import { kafkaMicroserviceOptions, receivedFrom } from './kafka/kafka-transport';
import { KafkajsEventProducer } from './kafka/kafkajs-event-producer';
import { MessagingModule } from './messaging.module';
import { UnitOfWork } from './outbox/unit-of-work';

/**
 * The path every service takes: Nest's Kafka transport (@nestjs/microservices on kafkajs) with
 * the project's options hands raw messages to the idempotent consumer.
 */
describe('Nest Kafka transport with the idempotent consumer (real Kafka + PostgreSQL)', () => {
  const kafka = testKafka();
  const producer = new KafkajsEventProducer(kafka);
  const schema = uniqueName('it_nest');
  let app: INestMicroservice;
  let topic: string;
  let pinged: ReturnType<typeof definePinged>;

  function definePinged(topicName: string) {
    return defineEvent({
      type: 'Pinged',
      version: 1,
      topic: {
        name: topicName,
        partitions: 3,
        writer: { kind: 'service', service: 'gateway' },
        consumers: [],
        description: 'test',
      },
      description: 'A test event.',
      schema: z.strictObject({ trainerId: z.string() }),
      key: (p) => p.trainerId,
    });
  }

  beforeAll(async () => {
    topic = await createTestTopic(kafka, 'it.nest');
    pinged = definePinged(topic);

    @Controller()
    class PingMessageController implements OnModuleInit {
      constructor(private readonly consumer: IdempotentConsumer) {}

      onModuleInit(): void {
        this.consumer.handle(topic, {
          Pinged: async (envelope, scope) => {
            await scope.manager.query(`INSERT INTO pings (trainer_id) VALUES ($1)`, [
              (envelope.payload as { trainerId: string }).trainerId,
            ]);
          },
        });
      }

      @EventPattern(topic)
      async onPing(@Ctx() context: KafkaContext): Promise<void> {
        await this.consumer.consume(receivedFrom(context));
      }
    }

    class PingsTable1764000000002 {
      name = 'PingsTable1764000000002';
      async up(q: { query: (sql: string) => Promise<unknown> }) {
        await q.query(`CREATE TABLE pings (id serial PRIMARY KEY, trainer_id text NOT NULL)`);
      }
      async down() {
        return undefined;
      }
    }

    @Module({
      imports: [
        PlatformModule.forService({
          service: 'payments',
          database: {
            entities: [],
            migrations: [MessagingTables1764000000000, ParkedMessages1767400000000, PingsTable1764000000002],
          },
          env: { DATABASE_URL: TEST_DATABASE_URL, DB_SCHEMA: schema, LOG_LEVEL: 'warn', CONSUMER_BACKOFF_MS: '5' },
        }),
        MessagingModule.forRoot(new EventCatalog([pinged])),
      ],
      controllers: [PingMessageController],
    })
    class PingModule {}

    app = await NestFactory.createMicroservice(PingModule, {
      ...kafkaMicroserviceOptions({
        brokers: TEST_KAFKA_BROKERS,
        clientId: uniqueName('it-nest'),
        groupId: uniqueName('it-nest'),
        concurrency: 2,
        // The test's own topic and group: the admin principal (no service's ACLs name them).
        sasl: testKafkaSasl(),
      }),
      logger: ['error', 'warn'],
    });
    app.enableShutdownHooks();
    await app.listen();
  });

  afterAll(async () => {
    const dataSource = app?.get(DataSource);
    await app?.close();
    await producer.disconnect();
    if (dataSource) {
      const cleanup = new DataSource({ type: 'postgres', url: TEST_DATABASE_URL });
      await cleanup.initialize();
      await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await cleanup.destroy();
    }
  });

  it('applies an event once when it is delivered twice, and parks a malformed one without stopping', async () => {
    const envelope = createEnvelope(pinged, { trainerId: 'T-42' }, { producer: 'test', occurredAt: new Date(0) });
    const message = { topic, key: envelope.key, value: JSON.stringify(envelope), headers: {} };
    await producer.send([message, { topic, key: 'T-42', value: 'garbage', headers: {} }, message]);
    const after = createEnvelope(pinged, { trainerId: 'T-43' }, { producer: 'test', occurredAt: new Date(0) });
    await producer.send([{ topic, key: after.key, value: JSON.stringify(after), headers: {} }]);

    const dataSource = app.get(DataSource);
    const pings = await waitFor(
      () => dataSource.query(`SELECT trainer_id FROM pings ORDER BY trainer_id`),
      (rows: unknown[]) => rows.length >= 2,
      { what: 'both pings applied' },
    );
    expect(pings).toEqual([{ trainer_id: 'T-42' }, { trainer_id: 'T-43' }]);
    const parked = await waitFor(
      () =>
        dataSource.query(
          `SELECT envelope->'payload'->>'reason' AS reason FROM outbox WHERE event_type = 'MessageDeadLettered'`,
        ),
      (rows: unknown[]) => rows.length === 1,
      { what: 'the malformed message parked' },
    );
    expect(parked).toEqual([{ reason: 'message is not valid JSON' }]);
    expect(app.get(UnitOfWork)).toBeInstanceOf(UnitOfWork);
  });
});
