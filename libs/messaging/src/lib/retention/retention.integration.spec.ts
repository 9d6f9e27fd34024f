import { ControllableClock, FixedClock, MS_PER_DAY } from '@recert/clock';
import { EventCatalog } from '@recert/contracts';
import { createTestDatabase, defineNoteTaken, TestDatabase, uniqueName, waitFor } from '@recert/testing';
import { MessagingTables1764000000000 } from '../database/messaging-tables.migration';
import { RetentionIndexes1767200000000 } from '../database/retention-indexes.migration';
import { IdempotentConsumer, ReceivedMessage } from '../consumer/idempotent-consumer';
import { UnitOfWork } from '../outbox/unit-of-work';
import { messagingRetentionRules, Retention, RetentionSchedule } from './retention';

const DAY = MS_PER_DAY;
/** The policy of these tests: published outbox rows 7 days, inbox rows 14 days. */
const POLICY = { outboxMs: 7 * DAY, inboxMs: 14 * DAY };
const NOW = new Date('2026-06-01T12:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

const Noted = defineNoteTaken('test.retention-notes', {}, { partitions: 1 });

describe('retention (real PostgreSQL)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({
      prefix: 'retention',
      migrations: [MessagingTables1764000000000, RetentionIndexes1767200000000],
    });
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.dataSource.query(`TRUNCATE outbox, inbox`);
  });

  async function outboxRow(eventId: string, createdAt: Date, publishedAt: Date | null): Promise<void> {
    await db.dataSource.query(
      `INSERT INTO outbox (event_id, topic, message_key, event_type, envelope, created_at, published_at)
       VALUES ($1, 't', 'k', 'NoteTaken', '{}'::jsonb, $2, $3)`,
      [eventId, createdAt, publishedAt],
    );
  }

  async function inboxRow(messageId: string, outcome: 'processed' | 'dead-lettered', receivedAt: Date): Promise<void> {
    await db.dataSource.query(
      `INSERT INTO inbox (consumer, message_id, outcome, topic, event_type, received_at) VALUES ('c', $1, $2, 't', 'NoteTaken', $3)`,
      [messageId, outcome, receivedAt],
    );
  }

  const ids = async (sql: string): Promise<string[]> =>
    (await db.dataSource.query(sql)).map((r: { id: string }) => r.id).sort();

  it('purges published outbox rows and processed inbox rows older than the policy, and nothing else', async () => {
    const uuid = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
    await outboxRow(uuid(1), ago(9), ago(8)); // published 8 days ago: goes
    await outboxRow(uuid(2), ago(6), ago(6)); // published 6 days ago: stays
    await outboxRow(uuid(3), ago(30), null); // never published, however old: stays
    await inboxRow('processed-15-days', 'processed', ago(15)); // goes
    await inboxRow('processed-13-days', 'processed', ago(13)); // stays: inside the redelivery window
    await inboxRow('parked-400-days', 'dead-lettered', ago(400)); // parked: kept for redrive

    const purged: { table: string; count: number }[] = [];
    const retention = new Retention(db.dataSource, new FixedClock(NOW), {
      batchSize: 100,
      onPurged: (table, count) => purged.push({ table, count }),
    });
    messagingRetentionRules(POLICY).forEach((rule) => retention.register(rule));

    expect(await retention.purge()).toEqual({ outbox: 1, inbox: 1 });
    expect(await ids(`SELECT event_id::text AS id FROM outbox`)).toEqual([uuid(2), uuid(3)]);
    expect(await ids(`SELECT message_id AS id FROM inbox`)).toEqual(['parked-400-days', 'processed-13-days']);
    expect(purged).toEqual([
      { table: 'outbox', count: 1 },
      { table: 'inbox', count: 1 },
    ]);
  });

  it('deletes in batches of at most the batch size, each its own statement', async () => {
    for (let i = 0; i < 5; i++) await inboxRow(`old-${i}`, 'processed', ago(20 + i));
    const batches: number[] = [];
    const retention = new Retention(db.dataSource, new FixedClock(NOW), {
      batchSize: 2,
      onPurged: (_table, count) => batches.push(count),
    });
    messagingRetentionRules(POLICY).forEach((rule) => retention.register(rule));

    expect(await retention.purge()).toEqual({ outbox: 0, inbox: 5 });
    expect(batches).toEqual([2, 2, 1]);
    expect(await ids(`SELECT message_id AS id FROM inbox`)).toEqual([]);
  });

  it('keeps duplicate protection through the window: a redelivery 13 days on is still a duplicate', async () => {
    // The real consumer records the delivery; the clock moves as a time-travel test moves it.
    const clock = new ControllableClock(new FixedClock(NOW));
    const unitOfWork = new UnitOfWork(db.dataSource, clock, 'applications');
    const catalog = new EventCatalog([Noted]);
    const consumer = new IdempotentConsumer('retention-test', catalog, unitOfWork, { maxAttempts: 1, backoffMs: 0 });
    const retention = new Retention(db.dataSource, clock, { batchSize: 100 });
    messagingRetentionRules(POLICY).forEach((rule) => retention.register(rule));
    const envelope = await unitOfWork.run(async (scope) => scope.publish(Noted, { trainerId: 'T-1' }));
    const message: ReceivedMessage = {
      topic: Noted.topic.name,
      partition: 0,
      offset: '0',
      key: 'T-1',
      headers: {},
      value: JSON.stringify(envelope),
    };
    let applied = 0;
    consumer.handle(Noted.topic.name, { NoteTaken: async () => void applied++ });

    expect(await consumer.consume(message)).toBe('processed');
    clock.advanceDays(13);
    await retention.purge();
    expect(await consumer.consume(message)).toBe('duplicate');
    expect(applied).toBe(1);

    clock.advanceDays(2);
    expect((await retention.purge()).inbox).toBe(1);
  });

  it('runs on its own as one BullMQ job scheduler per service, however many replicas start it', async () => {
    await outboxRow('00000000-0000-4000-8000-000000000009', ago(10), ago(10));
    const options = {
      service: 'applications',
      redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      prefix: uniqueName('retention'),
      everyMs: 200,
    };
    const replicas = [0, 1].map(() => {
      const retention = new Retention(db.dataSource, new FixedClock(NOW), { batchSize: 100 });
      messagingRetentionRules(POLICY).forEach((rule) => retention.register(rule));
      return new RetentionSchedule(retention, options);
    });
    try {
      for (const replica of replicas) await replica.start();
      expect(await replicas[0].schedulers()).toEqual([{ id: 'retention-applications', every: 200 }]);
      await waitFor(
        () => ids(`SELECT event_id::text AS id FROM outbox`),
        (left) => left.length === 0,
        { timeoutMs: 10_000, what: 'the scheduled run to purge the old outbox row' },
      );
    } finally {
      for (const replica of replicas) await replica.stop();
    }
  });
});
