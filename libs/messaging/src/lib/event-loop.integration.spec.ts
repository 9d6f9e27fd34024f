import { z } from 'zod';
import { Consumer, Kafka } from 'kafkajs';
import { FixedClock } from '@recert/clock';
import { EventCatalog, MessageDeadLettered, Topics } from '@recert/contracts';
import {
  createTestDatabase,
  createTestTopic,
  defineNoteTaken,
  startTestConsumer,
  TestDatabase,
  testKafka,
  waitFor,
} from '@recert/testing';
import { MessagingTables1764000000000 } from './database/messaging-tables.migration';
import { ParkedMessages1767400000000 } from './database/parked-messages.migration';
import { IdempotentConsumer, MessageRejected, ReceivedMessage } from './consumer/idempotent-consumer';
import { EventProducer, OutgoingMessage } from './kafka/event-producer.port';
import { KafkajsEventProducer } from './kafka/kafkajs-event-producer';
import { OutboxRelay } from './outbox/outbox-relay';
import { UnitOfWork } from './outbox/unit-of-work';

/**
 * The backbone's loop on the real broker and database: service A commits a change with its
 * events; service B applies each once, in order per key, whatever the duplicates and restarts.
 */
class CounterTables1764000000001 {
  name = 'CounterTables1764000000001';
  async up(q: { query: (sql: string) => Promise<unknown> }) {
    await q.query(`CREATE TABLE notes (id serial PRIMARY KEY, trainer_id text NOT NULL, seq int NOT NULL)`);
    await q.query(
      `CREATE TABLE counters (trainer_id text PRIMARY KEY, applied int NOT NULL, last_seq int NOT NULL, out_of_order int NOT NULL DEFAULT 0)`,
    );
  }
  async down() {
    return undefined;
  }
}

const clock = new FixedClock(new Date('2026-06-01T00:00:00Z'));
const KEYS = ['T-1', 'T-2', 'T-3', 'T-4', 'T-5'];
const PER_KEY = 20;

describe('event backbone loop (real Kafka + PostgreSQL)', () => {
  let kafka: Kafka;
  let topic: string;
  let noted: ReturnType<typeof defineNoted>;
  let a: TestDatabase;
  let b: TestDatabase;
  let consumerOfB: Consumer | undefined;
  let dlqWatcher: Consumer | undefined;
  let producer: KafkajsEventProducer;
  const parked: { consumer: string; reason: string; kind: string }[] = [];

  /** A note service A took. */
  const defineNoted = (topicName: string) =>
    defineNoteTaken(topicName, { seq: z.number().int().positive(), poison: z.boolean().default(false) });

  beforeAll(async () => {
    kafka = testKafka();
    topic = await createTestTopic(kafka, 'it.loop');
    noted = defineNoted(topic);
    [a, b] = await Promise.all([
      createTestDatabase({
        prefix: 'it_loop_a',
        migrations: [MessagingTables1764000000000, ParkedMessages1767400000000, CounterTables1764000000001],
      }),
      createTestDatabase({
        prefix: 'it_loop_b',
        migrations: [MessagingTables1764000000000, ParkedMessages1767400000000, CounterTables1764000000001],
      }),
    ]);
    producer = new KafkajsEventProducer(kafka);
    dlqWatcher = await startTestConsumer(kafka, [Topics.deadLetter.name], async ({ message }) => {
      const envelope = JSON.parse(message.value?.toString() ?? '{}');
      if (envelope.payload?.original?.topic === topic) parked.push(envelope.payload);
    });
  });

  afterAll(async () => {
    await consumerOfB?.disconnect();
    await dlqWatcher?.disconnect();
    await producer?.disconnect();
    await a?.drop();
    await b?.drop();
  });

  it('applies every event once, in order per key, through duplicates and a relay dying mid-batch', async () => {
    const unitOfWorkA = new UnitOfWork(a.dataSource, clock, 'service-a');
    // Service A: each note and its event commit together.
    for (let seq = 1; seq <= PER_KEY; seq++) {
      for (const trainerId of KEYS) {
        await unitOfWorkA.run(async (scope) => {
          await scope.manager.query(`INSERT INTO notes (trainer_id, seq) VALUES ($1, $2)`, [trainerId, seq]);
          scope.publish(noted, { trainerId, seq, poison: false });
        });
      }
    }

    // The relay dies after Kafka acknowledged a batch but before it could mark it published.
    let died = false;
    const dyingProducer: EventProducer = {
      send: async (messages: OutgoingMessage[]) => {
        await producer.send(messages);
        if (!died) {
          died = true;
          throw new Error('relay killed between send and commit');
        }
      },
      disconnect: async () => undefined,
    };
    const firstRelay = new OutboxRelay(a.dataSource, dyingProducer, {
      sweepMs: 20,
      batchSize: 30,
      stopTimeoutMs: 1_000,
    });
    await expect(firstRelay.publishBatch()).rejects.toThrow('relay killed');
    expect(await unpublished(a)).toBe(KEYS.length * PER_KEY);

    // Service B consumes through the idempotent consumer.
    const unitOfWorkB = new UnitOfWork(b.dataSource, clock, 'service-b');
    const catalog = new EventCatalog([noted, MessageDeadLettered]);
    const consumer = new IdempotentConsumer('service-b', catalog, unitOfWorkB, { maxAttempts: 3, backoffMs: 5 });
    consumer.handle(topic, {
      NoteTaken: async (envelope, scope) => {
        const { trainerId, seq, poison } = envelope.payload as { trainerId: string; seq: number; poison: boolean };
        if (poison) throw new Error('handler cannot cope');
        await scope.manager.query(
          `INSERT INTO counters (trainer_id, applied, last_seq, out_of_order) VALUES ($1, 1, $2, CASE WHEN $2 = 1 THEN 0 ELSE 1 END)
           ON CONFLICT (trainer_id) DO UPDATE SET applied = counters.applied + 1, last_seq = $2,
             out_of_order = counters.out_of_order + CASE WHEN $2 = counters.last_seq + 1 THEN 0 ELSE 1 END`,
          [trainerId, seq],
        );
      },
    });
    consumerOfB = await startTestConsumer(kafka, [topic], async ({ topic: t, partition, message }) => {
      const received: ReceivedMessage = {
        topic: t,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        headers: {},
        value: message.value,
      };
      await consumer.consume(received);
    });

    // A new relay takes over and publishes everything, the dead one's batch again included.
    const secondRelay = new OutboxRelay(a.dataSource, producer, { sweepMs: 20, batchSize: 30, stopTimeoutMs: 1_000 });
    secondRelay.start();
    await waitFor(
      () => unpublished(a),
      (n) => n === 0,
      { what: 'the outbox to drain' },
    );
    await secondRelay.stop();

    const counters = await waitFor(
      () => b.dataSource.query(`SELECT trainer_id, applied, last_seq, out_of_order FROM counters ORDER BY trainer_id`),
      (rows: { last_seq: number }[]) => rows.length === KEYS.length && rows.every((r) => r.last_seq === PER_KEY),
      { what: 'B to apply every event' },
    );
    expect(counters).toEqual(
      KEYS.map((trainer_id) => ({ trainer_id, applied: PER_KEY, last_seq: PER_KEY, out_of_order: 0 })),
    );

    // The first 30 events reached Kafka twice; B's inbox holds each event once.
    const [{ inbox }] = await b.dataSource.query(
      `SELECT count(*)::int AS inbox FROM inbox WHERE outcome = 'processed'`,
    );
    expect(inbox).toBe(KEYS.length * PER_KEY);

    // The same event delivered yet again has no effect.
    const [row] = await a.dataSource.query(`SELECT envelope FROM outbox ORDER BY id LIMIT 1`);
    const again = await consumer.consume({
      topic,
      partition: 0,
      offset: '0',
      key: row.envelope.key,
      headers: {},
      value: Buffer.from(JSON.stringify(row.envelope)),
    });
    expect(again).toBe('duplicate');
  });

  it('parks malformed and failing messages in the dead-letter topic with their reason, and goes on', async () => {
    const unitOfWorkA = new UnitOfWork(a.dataSource, clock, 'service-a');
    await producer.send([{ topic, key: 'T-9', value: '{"not": "an envelope"', headers: {} }]);
    await unitOfWorkA.run(async (scope) => {
      scope.publish(noted, { trainerId: 'T-9', seq: 1, poison: true });
      scope.publish(noted, { trainerId: 'T-8', seq: 1, poison: false });
    });
    const relayA = new OutboxRelay(a.dataSource, producer, { sweepMs: 20, batchSize: 100, stopTimeoutMs: 1_000 });
    const relayB = new OutboxRelay(b.dataSource, producer, { sweepMs: 20, batchSize: 100, stopTimeoutMs: 1_000 });
    relayA.start();
    relayB.start();
    try {
      await waitFor(
        () => b.dataSource.query(`SELECT applied FROM counters WHERE trainer_id = 'T-8'`),
        (rows: unknown[]) => rows.length === 1,
        { what: 'the valid event after the bad ones' },
      );
      await waitFor(
        async () => parked.length,
        (n) => n === 2,
        { what: 'two dead-letter records' },
      );
    } finally {
      await relayA.stop();
      await relayB.stop();
    }
    expect(parked).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ consumer: 'service-b', kind: 'rejected', reason: 'message is not valid JSON' }),
        expect.objectContaining({
          consumer: 'service-b',
          kind: 'failed',
          reason: 'failed after 3 attempts: Error: handler cannot cope',
          attempts: 3,
        }),
      ]),
    );
    const [{ parkedOnce }] = await b.dataSource.query(
      `SELECT count(*)::int AS "parkedOnce" FROM inbox WHERE outcome = 'dead-lettered'`,
    );
    expect(parkedOnce).toBe(2);
  });

  it('a handler that rejects the event parks it at once, without retrying', async () => {
    const consumer = new IdempotentConsumer(
      'service-b',
      new EventCatalog([noted]),
      new UnitOfWork(b.dataSource, clock, 'service-b'),
      {
        maxAttempts: 5,
        backoffMs: 5,
      },
    );
    let calls = 0;
    const value = JSON.stringify({
      id: '0b7e2a4c-1111-4000-8000-000000000001',
      type: 'NoteTaken',
      version: 1,
      occurredAt: '2026-06-01T00:00:00.000Z',
      producer: 'x',
      correlationId: '0b7e2a4c-1111-4000-8000-000000000001',
      causationId: null,
      key: 'T-7',
      payload: { trainerId: 'T-7', seq: 1 },
    });
    consumer.handle(topic, {
      NoteTaken: async () => {
        calls++;
        throw new MessageRejected('R4: no such trainer');
      },
    });
    const outcome = await consumer.consume({ topic, partition: 1, offset: '99', key: 'T-7', headers: {}, value });
    expect(outcome).toBe('dead-lettered');
    expect(calls).toBe(1);
    const [staged] = await b.dataSource.query(
      `SELECT envelope FROM outbox WHERE event_type = 'MessageDeadLettered' AND envelope->'payload'->>'reason' = 'R4: no such trainer'`,
    );
    expect(staged.envelope.payload).toMatchObject({
      kind: 'rejected',
      attempts: 1,
      original: { offset: '99', key: 'T-7' },
    });
  });
});

async function unpublished(db: TestDatabase): Promise<number> {
  const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
  return n;
}
