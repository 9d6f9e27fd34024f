import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Consumer, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { createEnvelope, defineEvent, EventCatalog, MessageDeadLettered } from '@recert/contracts';
import { Liveness, PlatformModule } from '@recert/platform';
import {
  createTestTopic,
  TEST_DATABASE_URL,
  TEST_KAFKA_BROKERS,
  testKafka,
  uniqueName,
  waitFor,
} from '@recert/testing';
import { IdempotentConsumer } from './consumer/idempotent-consumer';
import { MessagingTables1764000000000 } from './database/messaging-tables.migration';
import { KafkaBatchConsumer } from './kafka/kafka-batch-consumer';
import { KAFKA } from './kafka/kafka-transport';
import { KafkajsEventProducer } from './kafka/kafkajs-event-producer';
import { MessagingModule } from './messaging.module';
import { OutboxRelay } from './outbox/outbox-relay';

class PingsTable1764000000002 {
  name = 'PingsTable1764000000002';
  async up(q: { query: (sql: string) => Promise<unknown> }) {
    await q.query(`CREATE TABLE pings (id serial PRIMARY KEY, trainer_id text NOT NULL)`);
  }
  async down() {
    return undefined;
  }
}

/**
 * A service's shutdown (issue 15, clean lifecycle): the consumer stops fetching, the batch in
 * progress finishes and its offset is committed, the consumer disconnects, then the outbox relay
 * stops, then the pools close.
 */
describe("a service's shutdown drains its consumer first (real Kafka + PostgreSQL)", () => {
  const kafka: Kafka = testKafka();
  const producer = new KafkajsEventProducer(kafka);
  const schema = uniqueName('it_drain');
  const group = uniqueName('it-drain');

  afterAll(async () => {
    await producer.disconnect();
    const cleanup = new DataSource({ type: 'postgres', url: TEST_DATABASE_URL });
    await cleanup.initialize();
    await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await cleanup.destroy();
  });

  it('lets the in-flight handler finish and commit its offset before disconnecting, then stops the relay, then closes the pool', async () => {
    const topic = await createTestTopic(kafka, 'it.drain', 1);
    const pinged = defineEvent({
      type: 'Pinged',
      version: 1,
      topic: {
        name: topic,
        partitions: 1,
        writer: { kind: 'service', service: 'gateway' },
        consumers: [],
        description: 'test',
      },
      description: 'A test event.',
      schema: z.strictObject({ trainerId: z.string() }),
      key: (p) => p.trainerId,
    });
    const order: string[] = [];
    let entered = false;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });

    @Injectable()
    class PingMessageController implements OnModuleInit {
      constructor(private readonly consumer: IdempotentConsumer) {}

      onModuleInit(): void {
        this.consumer.handle(topic, {
          Pinged: async (envelope, scope) => {
            entered = true;
            await gate;
            await scope.manager.query(`INSERT INTO pings (trainer_id) VALUES ($1)`, [
              (envelope.payload as { trainerId: string }).trainerId,
            ]);
            order.push('handler finished');
          },
        });
      }
    }

    @Module({
      imports: [
        PlatformModule.forService({
          service: 'payments',
          database: { entities: [], migrations: [MessagingTables1764000000000, PingsTable1764000000002] },
          env: {
            DATABASE_URL: TEST_DATABASE_URL,
            DB_SCHEMA: schema,
            LOG_LEVEL: 'warn',
            KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
            KAFKA_GROUP_PREFIX: `${group}-`,
          },
        }),
        MessagingModule.forRoot(new EventCatalog([pinged, MessageDeadLettered])),
      ],
      providers: [PingMessageController],
    })
    class PingModule {}

    // The test's own topic and group: the admin principal (no service's ACLs name them).
    const admin = kafka.admin();
    await admin.connect();
    const committed = async () => {
      const [{ partitions }] = await admin.fetchOffsets({ groupId: `${group}-payments`, topics: [topic] });
      return Number(partitions[0].offset);
    };
    let committedAtStop: Promise<number> | undefined;
    const consumerOf = kafka.consumer.bind(kafka);
    const recording = Object.create(kafka) as Kafka;
    recording.consumer = (config) => {
      const consumer: Consumer = consumerOf(config);
      // Stopped: it fetches no more and its batches in flight are done; then it disconnects.
      consumer.on(consumer.events.STOP, () => {
        order.push('consumer stopped');
        committedAtStop = committed();
      });
      consumer.on(consumer.events.DISCONNECT, () => order.push('consumer disconnected'));
      return consumer;
    };
    const moduleRef = await Test.createTestingModule({ imports: [PingModule] })
      .overrideProvider(KAFKA)
      .useValue(recording)
      .compile();
    const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    app.enableShutdownHooks();
    await app.init();
    const relay = app.get(OutboxRelay);
    const stopRelay = relay.stop.bind(relay);
    jest.spyOn(relay, 'stop').mockImplementation(async () => {
      await stopRelay();
      order.push('relay stopped');
    });
    const dataSource = app.get(DataSource);
    const destroy = dataSource.destroy.bind(dataSource);
    jest.spyOn(dataSource, 'destroy').mockImplementation(async () => {
      order.push('pool closing');
      return destroy();
    });
    expect(
      app
        .get(Liveness)
        .all()
        .map((probe) => probe.name),
    ).toContain('kafka-consumer');
    await app.get(KafkaBatchConsumer).start();

    const envelope = createEnvelope(pinged, { trainerId: 'T-42' }, { producer: 'test', occurredAt: new Date(0) });
    await producer.send([{ topic, key: envelope.key, value: JSON.stringify(envelope), headers: {} }]);
    await waitFor(
      async () => entered,
      (e) => e,
      { what: 'the handler running' },
    );

    const closed = app.close();
    // The shutdown waits for the handler in flight.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(order).toEqual([]);
    release();
    await closed;

    expect(order).toEqual([
      'handler finished',
      'consumer stopped',
      'consumer disconnected',
      'relay stopped',
      'pool closing',
    ]);
    // The offset after the handled message was committed before the consumer stopped.
    expect(await committedAtStop).toBe(1);
    const check = new DataSource({ type: 'postgres', url: TEST_DATABASE_URL, schema });
    await check.initialize();
    expect(await check.query(`SELECT trainer_id FROM "${schema}".pings`)).toEqual([{ trainer_id: 'T-42' }]);
    await check.destroy();
    await admin.disconnect();
  });
});
