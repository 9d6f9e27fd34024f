import { Admin, Kafka } from 'kafkajs';
import { z } from 'zod';
import { FixedClock } from '@recert/clock';
import {
  createEnvelope,
  defineEvent,
  EnvelopeHeaders,
  EventCatalog,
  EventEnvelope,
  MessageDeadLettered,
} from '@recert/contracts';
import { createTestDatabase, createTestTopic, TestDatabase, testKafka, uniqueName, waitFor } from '@recert/testing';
import { IdempotentConsumer, MessageRejected, ReceivedMessage } from '../consumer/idempotent-consumer';
import { MessagingTables1764000000000 } from '../database/messaging-tables.migration';
import { ParkedMessages1767400000000 } from '../database/parked-messages.migration';
import { UnitOfWork } from '../outbox/unit-of-work';
import { BatchConsumerSettings, KafkaBatchConsumer } from './kafka-batch-consumer';
import { OutgoingMessage } from './event-producer.port';
import { KafkajsEventProducer } from './kafkajs-event-producer';

class PingsTable1764000000003 {
  name = 'PingsTable1764000000003';
  async up(q: { query: (sql: string) => Promise<unknown> }) {
    await q.query(`CREATE TABLE pings (id serial PRIMARY KEY, trainer_id text NOT NULL, seq int NOT NULL)`);
  }
  async down() {
    return undefined;
  }
}

const clock = new FixedClock(new Date('2026-06-01T00:00:00Z'));

function definePinged(topicName: string) {
  return defineEvent({
    type: 'Pinged',
    version: 1,
    topic: {
      name: topicName,
      partitions: 1,
      writer: { kind: 'service', service: 'gateway' },
      consumers: [],
      description: 'test',
    },
    description: 'A test event.',
    schema: z.strictObject({ trainerId: z.string(), seq: z.number().int() }),
    key: (p) => p.trainerId,
  });
}

/**
 * The service's consumer on the real broker and database: each fetched batch of a partition is one
 * PostgreSQL transaction, offsets are committed after it, and a failing message is isolated.
 */
describe('batch consumption (real Kafka + PostgreSQL)', () => {
  const kafka: Kafka = testKafka();
  const producer = new KafkajsEventProducer(kafka);
  let admin: Admin;
  let db: TestDatabase;
  const running: KafkaBatchConsumer[] = [];

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    db = await createTestDatabase({
      prefix: 'it_batch',
      migrations: [MessagingTables1764000000000, ParkedMessages1767400000000, PingsTable1764000000003],
    });
  });

  afterAll(async () => {
    for (const consumer of running) await consumer.stop();
    await producer.disconnect();
    await admin.disconnect();
    await db?.drop();
  });

  /** A topic of one partition (so one fetch holds the whole batch), its event, and a consumer of it. */
  async function setUp(
    handler: (payload: { trainerId: string; seq: number }) => Promise<void> | void,
    settings: Partial<BatchConsumerSettings> = {},
    idempotent?: (consumer: IdempotentConsumer) => IdempotentConsumer,
  ) {
    const topic = await createTestTopic(kafka, 'it.batch', 1);
    const pinged = definePinged(topic);
    const name = uniqueName('it-batch');
    let consumer = new IdempotentConsumer(
      name,
      new EventCatalog([pinged, MessageDeadLettered]),
      new UnitOfWork(db.dataSource, clock, 'test'),
      { maxAttempts: 3, backoffMs: 5 },
    );
    consumer = idempotent ? idempotent(consumer) : consumer;
    consumer.handle(topic, {
      Pinged: async (envelope, scope) => {
        const p = envelope.payload as { trainerId: string; seq: number };
        await handler(p);
        await scope.manager.query(`INSERT INTO pings (trainer_id, seq) VALUES ($1, $2)`, [p.trainerId, p.seq]);
      },
    });
    const start = async (overrides: Partial<BatchConsumerSettings> = {}) => {
      const batchConsumer = new KafkaBatchConsumer(kafka, consumer, {
        groupId: name,
        concurrency: 2,
        batchMax: 200,
        drainMs: 5_000,
        stuckAfterMs: 60_000,
        ...settings,
        ...overrides,
      });
      running.push(batchConsumer);
      await batchConsumer.start();
      return batchConsumer;
    };
    const message = (envelope: EventEnvelope): OutgoingMessage => ({
      topic,
      key: envelope.key,
      value: JSON.stringify(envelope),
      headers: {},
    });
    const ping = (trainerId: string, seq: number) =>
      createEnvelope(pinged, { trainerId, seq }, { producer: 'test', occurredAt: clock.now() });
    const pings = (trainerId: string): Promise<{ seq: number }[]> =>
      db.dataSource.query(`SELECT seq FROM pings WHERE trainer_id = $1 ORDER BY id`, [trainerId]);
    const committed = async (): Promise<number> => {
      const [{ partitions }] = await admin.fetchOffsets({ groupId: name, topics: [topic] });
      return Number(partitions[0].offset);
    };
    const transactions = async (): Promise<number> => {
      const [{ n }] = await db.dataSource.query(
        `SELECT count(DISTINCT xmin::text)::int AS n FROM inbox WHERE consumer = $1`,
        [name],
      );
      return n;
    };
    return { topic, name, start, message, ping, pings, committed, transactions };
  }

  it('applies a batch with duplicates inside it and across batches once each, in one transaction per batch', async () => {
    const t = await setUp(() => undefined);
    const first = Array.from({ length: 30 }, (_, i) => t.ping('T-1', i + 1));
    // The batch holds copies of its own events; the next batch repeats ten of the first.
    await producer.send([...first.map(t.message), t.message(first[3]), t.message(first[17])]);
    const consumer = await t.start();
    await waitFor(t.committed, (offset) => offset === 32, { what: 'the first batch committed' });
    await consumer.stop();
    const second = Array.from({ length: 10 }, (_, i) => t.ping('T-1', 31 + i));
    await producer.send([...first.slice(0, 10).map(t.message), ...second.map(t.message)]);
    await t.start();
    await waitFor(t.committed, (offset) => offset === 52, { what: 'the second batch committed' });

    expect((await t.pings('T-1')).map((p) => p.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Each batch's inbox rows were written by one transaction.
    expect(await t.transactions()).toBe(2);
  });

  it('parks a poison message in the middle of a batch alone, and applies the others', async () => {
    const t = await setUp(({ seq }) => {
      if (seq === 5) throw new MessageRejected('R4: no such trainer');
      if (seq === 8) throw new Error('handler cannot cope');
    });
    const batch = Array.from({ length: 12 }, (_, i) => t.ping('T-2', i + 1));
    await producer.send([
      ...batch.slice(0, 6).map(t.message),
      { topic: t.topic, key: 'T-2', value: 'garbage', headers: {} },
      ...batch.slice(6).map(t.message),
    ]);
    await t.start();
    await waitFor(t.committed, (offset) => offset === 13, { what: 'the batch committed' });

    expect((await t.pings('T-2')).map((p) => p.seq)).toEqual([1, 2, 3, 4, 6, 7, 9, 10, 11, 12]);
    const parked: { payload: { reason: string; kind: string; attempts: number; original: { offset: string } } }[] =
      await db.dataSource.query(
        `SELECT envelope->'payload' AS payload FROM outbox
         WHERE event_type = 'MessageDeadLettered' AND envelope->'payload'->>'consumer' = $1
         ORDER BY (envelope->'payload'->'original'->>'offset')::int`,
        [t.name],
      );
    expect(parked.map(({ payload: p }) => [p.original.offset, p.kind, p.attempts, p.reason])).toEqual([
      ['4', 'rejected', 1, 'R4: no such trainer'],
      ['6', 'rejected', 0, 'message is not valid JSON'],
      ['8', 'failed', 3, 'failed after 3 attempts: Error: handler cannot cope'],
    ]);
  });

  it('redelivers a batch whose consumer died between its commit and the offsets, and applies nothing twice', async () => {
    let freezeAfterCommit = true;
    let frozen = false;
    let thaw: (error: Error) => void = () => undefined;
    const t = await setUp(
      () => undefined,
      { batchMax: 10 },
      (consumer) =>
        Object.assign(Object.create(consumer) as IdempotentConsumer, {
          // The process stops dead after the second slice's transaction committed: its offsets are never committed.
          consumeBatch: async (messages: readonly ReceivedMessage[]) => {
            const outcomes = await consumer.consumeBatch(messages);
            if (freezeAfterCommit && messages[0].offset === '10') {
              frozen = true;
              await new Promise((_, reject) => {
                thaw = reject;
              });
            }
            return outcomes;
          },
        }),
    );
    const events = Array.from({ length: 30 }, (_, i) => t.ping('T-3', i + 1));
    await producer.send(events.map(t.message));
    const dying = await t.start({ drainMs: 200 });
    await waitFor(
      async () => frozen,
      (f) => f,
      { what: 'the consumer frozen after its commit' },
    );
    // Its shutdown gives up on the frozen slice after drainMs, without committing its offsets.
    const stopping = performance.now();
    await dying.stop();
    expect(performance.now() - stopping).toBeLessThan(5_000);
    expect(await t.committed()).toBe(10);
    freezeAfterCommit = false;

    // The dead member holds its partition until its session times out (30 s): then the new one takes it.
    await t.start();
    await waitFor(t.committed, (offset) => offset === 30, { what: 'every offset committed', timeoutMs: 90_000 });
    expect((await t.pings('T-3')).map((p) => p.seq)).toEqual(events.map((_, i) => i + 1));
    thaw(new Error('the dead process is gone'));
  }, 120_000);

  it('is not live while a batch is stuck past the limit, and live again once it finishes', async () => {
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = false;
    const t = await setUp(
      async () => {
        entered = true;
        await stuck;
      },
      { stuckAfterMs: 300 },
    );
    const consumer = await t.start();
    const probe = consumer.livenessProbe();
    expect(() => probe.check()).not.toThrow();
    await producer.send([t.message(t.ping('T-4', 1))]);
    await waitFor(
      async () => entered,
      (e) => e,
      { what: 'the handler running' },
    );
    expect(() => probe.check()).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(() => probe.check()).toThrow(/a batch has made no progress for \d+ ms/);
    release();
    await waitFor(t.committed, (offset) => offset === 1, { what: 'the batch committed' });
    expect(() => probe.check()).not.toThrow();
  });

  it('skips the types the service does not handle by their header, and still commits past them', async () => {
    const t = await setUp(() => undefined);
    const handled = t.ping('T-5', 1);
    await producer.send([
      { topic: t.topic, key: 'T-5', value: 'not even JSON', headers: { [EnvelopeHeaders.eventType]: 'SomethingElse' } },
      { ...t.message(handled), headers: { [EnvelopeHeaders.eventType]: 'Pinged' } },
    ]);
    await t.start();
    await waitFor(t.committed, (offset) => offset === 2, { what: 'both offsets committed' });
    expect(await t.pings('T-5')).toEqual([{ seq: 1 }]);
    const [{ n }] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE event_type = 'MessageDeadLettered' AND envelope->'payload'->>'consumer' = $1`,
      [t.name],
    );
    expect(n).toBe(0);
  });

  it('abandons a batch whose heartbeat fails (the group rebalances): nothing applied, nothing consumed one by one', async () => {
    const topic = 'it.batch.abandoned';
    const pinged = definePinged(topic);
    const name = uniqueName('it-batch');
    const consumer = new IdempotentConsumer(
      name,
      new EventCatalog([pinged]),
      new UnitOfWork(db.dataSource, clock, 'test'),
      {
        maxAttempts: 3,
        backoffMs: 5,
      },
    );
    let applied = 0;
    consumer.handle(topic, {
      Pinged: async () => {
        applied++;
      },
    });
    const messages: ReceivedMessage[] = [1, 2, 3].map((seq) => {
      const envelope = createEnvelope(pinged, { trainerId: 'T-6', seq }, { producer: 'test', occurredAt: clock.now() });
      return { topic, partition: 0, offset: String(seq - 1), key: 'T-6', headers: {}, value: JSON.stringify(envelope) };
    });
    let beats = 0;
    const heartbeat = async () => {
      if (++beats === 2) throw new Error('The group is rebalancing, so a rejoin is needed');
    };

    await expect(consumer.consumeBatch(messages, heartbeat)).rejects.toThrow('rebalancing');
    expect(applied).toBe(2);
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = $1`, [name]);
    expect(n).toBe(0);
  });
});
