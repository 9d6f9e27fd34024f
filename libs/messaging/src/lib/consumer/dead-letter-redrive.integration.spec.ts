import { randomUUID } from 'node:crypto';
import { Consumer, Kafka } from 'kafkajs';
import { z } from 'zod';
import { FixedClock } from '@recert/clock';
import { decodeMessage, EventCatalog, MAX_MESSAGE_BYTES, MessageDeadLettered } from '@recert/contracts';
import { StaffActions1767100000000 } from '@recert/platform';
import {
  createTestDatabase,
  createTestTopic,
  defineNoteTaken,
  startTestConsumer,
  TestDatabase,
  testKafka,
  waitFor,
} from '@recert/testing';
import { MessagingTables1764000000000 } from '../database/messaging-tables.migration';
import { ParkedMessages1767400000000 } from '../database/parked-messages.migration';
import { KafkajsEventProducer } from '../kafka/kafkajs-event-producer';
import { UnitOfWork } from '../outbox/unit-of-work';
import { IdempotentConsumer, MessageRejected } from './idempotent-consumer';
import { ParkedMessage, ParkedMessages } from './parked-messages';
import { RedriveDeadLettersHandler } from './redrive-dead-letters.handler';

class NotesTable1767200000001 {
  name = 'NotesTable1767200000001';
  async up(q: { query: (sql: string) => Promise<unknown> }) {
    await q.query(`CREATE TABLE notes (event_id uuid NOT NULL, trainer_id text NOT NULL)`);
  }
  async down() {
    return undefined;
  }
}

/**
 * Issue 15 item 1 on the real broker and database: a message parked by the consumer is kept whole
 * (up to the 64 KB message limit), listed and read by ops, replayed after the fix (applied once,
 * however often it is replayed), parked again if it still fails, or discarded with a reason.
 */
describe('dead-letter redrive (real Kafka + PostgreSQL)', () => {
  const clock = new FixedClock(new Date('2026-06-01T00:00:00Z'));
  const ops = { name: 'olga@example.org', roles: ['ops'] };
  let kafka: Kafka;
  let topic: string;
  let db: TestDatabase;
  let producer: KafkajsEventProducer;
  let delivery: Consumer | undefined;
  let consumer: IdempotentConsumer;
  let redrive: RedriveDeadLettersHandler;
  /** The cause of the failures: trainers the handler cannot cope with (until the fix), or refuses. */
  const broken = new Set<string>();
  const refused = new Set<string>();
  const defineNoted = (topicName: string) => defineNoteTaken(topicName, { text: z.string() });
  let noted: ReturnType<typeof defineNoted>;

  /** An envelope of `bytes` bytes in all (the text pads it), as an upstream producer would send it. */
  function envelope(trainerId: string, bytes = 0): { id: string; value: string } {
    const id = randomUUID();
    const of = (text: string) =>
      JSON.stringify({
        id,
        type: 'NoteTaken',
        version: 1,
        occurredAt: '2026-06-01T00:00:00.000Z',
        producer: 'upstream',
        correlationId: id,
        causationId: null,
        key: trainerId,
        payload: { trainerId, text },
      });
    const pad = Math.max(0, bytes - Buffer.byteLength(of('')));
    // Quotes and non-ASCII text: what the dead-letter record's encoding makes larger than received.
    return { id, value: of('"é'.repeat(Math.floor(pad / 4)) + 'x'.repeat(pad % 4)) };
  }

  async function send(trainerId: string, bytes = 0): Promise<{ id: string; value: string }> {
    const message = envelope(trainerId, bytes);
    await producer.send([{ topic, key: trainerId, value: message.value, headers: { origin: 'it' } }]);
    return message;
  }

  const notes = async (eventId: string) =>
    (await db.dataSource.query(`SELECT count(*)::int AS n FROM notes WHERE event_id = $1`, [eventId]))[0].n as number;

  async function parkedOf(eventId: string, status = 'parked'): Promise<ParkedMessage> {
    const { items } = await waitFor(
      () => ParkedMessages.list(db.dataSource.manager, { status: status as 'parked' }, { limit: 200, offset: 0 }),
      (page) => page.items.some((p) => p.messageId === eventId),
      { what: `${eventId} ${status}` },
    );
    return items.find((p) => p.messageId === eventId) as ParkedMessage;
  }

  beforeAll(async () => {
    kafka = testKafka();
    topic = await createTestTopic(kafka, 'it.redrive');
    noted = defineNoted(topic);
    db = await createTestDatabase({
      prefix: 'it_redrive',
      migrations: [
        MessagingTables1764000000000,
        StaffActions1767100000000,
        ParkedMessages1767400000000,
        NotesTable1767200000001,
      ],
    });
    producer = new KafkajsEventProducer(kafka);
    consumer = new IdempotentConsumer(
      'service-b',
      new EventCatalog([noted, MessageDeadLettered]),
      new UnitOfWork(db.dataSource, clock, 'service-b'),
      { maxAttempts: 2, backoffMs: 5 },
    );
    consumer.handle(topic, {
      NoteTaken: async (e, scope) => {
        const { trainerId } = e.payload as { trainerId: string };
        if (refused.has(trainerId)) throw new MessageRejected(`R4: ${trainerId} is not a trainer`);
        if (broken.has(trainerId)) throw new Error(`cannot cope with ${trainerId}`);
        await scope.manager.query(`INSERT INTO notes (event_id, trainer_id) VALUES ($1, $2)`, [e.id, trainerId]);
      },
    });
    redrive = new RedriveDeadLettersHandler(db.dataSource, consumer, clock);
    delivery = await startTestConsumer(kafka, [topic], async ({ topic: t, partition, message }) => {
      await consumer.consume({
        topic: t,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        value: message.value,
      });
    });
  });

  afterAll(async () => {
    await delivery?.disconnect();
    await producer?.disconnect();
    await db?.drop();
  });

  it('parks a 64 KB message whole, lists and reads it, replays it after the fix once: a second replay is refused and changes nothing', async () => {
    broken.add('T-64K');
    const sent = await send('T-64K', MAX_MESSAGE_BYTES);
    expect(Buffer.byteLength(sent.value)).toBe(MAX_MESSAGE_BYTES);
    const parked = await parkedOf(sent.id);
    clock.set(new Date('2026-06-01T10:00:00Z'));

    // Listed by each filter ops use, and not by a filter that excludes it.
    const list = (filter: object) =>
      ParkedMessages.list(db.dataSource.manager, filter, { limit: 10, offset: 0 }).then((p) =>
        p.items.map((i) => i.messageId),
      );
    expect(await list({ topic, eventType: 'NoteTaken', consumer: 'service-b', reason: 'COPE WITH T-64K' })).toEqual([
      sent.id,
    ]);
    expect(await list({ from: new Date('2026-06-01T00:00:00Z'), to: new Date('2026-06-01T00:00:01Z') })).toContain(
      sent.id,
    );
    expect(await list({ reason: 'T-64K%' })).toEqual([]);
    expect(await list({ to: new Date('2026-06-01T00:00:00Z') })).toEqual([]);

    // The original whole, byte for byte, with the reason, key and headers.
    const whole = (await ParkedMessages.read(db.dataSource.manager, parked.id)) as ParkedMessage;
    expect(whole).toMatchObject({
      consumer: 'service-b',
      eventType: 'NoteTaken',
      kind: 'failed',
      reason: 'failed after 2 attempts: Error: cannot cope with T-64K',
      attempts: 2,
      status: 'parked',
      parkedAt: new Date('2026-06-01T00:00:00Z'),
      original: { topic, key: 'T-64K', headers: { origin: 'it' } },
    });
    expect(whole.original.value?.equals(Buffer.from(sent.value))).toBe(true);

    // The dead-letter record is a message under the same limit: a bounded copy, that says it was cut.
    const [record] = await db.dataSource.query(
      `SELECT envelope FROM outbox WHERE event_type = 'MessageDeadLettered' AND envelope->'payload'->'original'->>'key' = 'T-64K'`,
    );
    const decoded = decodeMessage(
      new EventCatalog([MessageDeadLettered]),
      MessageDeadLettered.topic.name,
      JSON.stringify(record.envelope),
    );
    expect(decoded.ok).toBe(true);
    expect(record.envelope.payload.original.truncated).toBe(true);
    expect(sent.value.startsWith(record.envelope.payload.original.value)).toBe(true);

    // The fix, then the replay: applied once, recorded with who and when.
    broken.delete('T-64K');
    const replayed = await redrive.replay(parked.id, ops);
    expect(replayed).toMatchObject({
      ok: true,
      outcome: 'processed',
      parked: { status: 'replayed', settledBy: ops.name, settledAt: new Date('2026-06-01T10:00:00Z') },
    });
    expect(await notes(sent.id)).toBe(1);

    // Again: refused, no second effect; a redelivery of the original is a duplicate too.
    expect(await redrive.replay(parked.id, ops)).toMatchObject({
      ok: false,
      status: 409,
      message: `already replayed by ${ops.name} at 2026-06-01T10:00:00.000Z`,
    });
    expect(await consumer.consume({ ...whole.original, offset: String(Number(whole.original.offset) + 1000) })).toBe(
      'duplicate',
    );
    expect(await notes(sent.id)).toBe(1);
    const actions = await db.dataSource.query(
      `SELECT actor_name, action, subject FROM staff_actions WHERE subject = $1`,
      [`service-b/${sent.id}`],
    );
    expect(actions).toEqual([{ actor_name: ops.name, action: 'dead-letter.replay', subject: `service-b/${sent.id}` }]);
  });

  it('a replay that fails again parks the message again in a new row, which replays once the cause is gone', async () => {
    refused.add('T-AGAIN');
    const sent = await send('T-AGAIN');
    const first = await parkedOf(sent.id);
    expect(first).toMatchObject({ kind: 'rejected', attempts: 1, reason: 'R4: T-AGAIN is not a trainer' });

    // Replayed before the fix: validated and handled again, and parked again with the new reason.
    refused.delete('T-AGAIN');
    broken.add('T-AGAIN');
    expect(await redrive.replay(first.id, ops)).toMatchObject({ ok: true, outcome: 'dead-lettered' });
    const second = await parkedOf(sent.id);
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({
      kind: 'failed',
      reason: 'failed after 2 attempts: Error: cannot cope with T-AGAIN',
    });
    expect(await ParkedMessages.read(db.dataSource.manager, first.id)).toMatchObject({
      status: 'replayed',
      settledBy: ops.name,
    });
    expect(await redrive.replay(first.id, ops)).toMatchObject({ ok: false, status: 409 });

    broken.delete('T-AGAIN');
    expect(await redrive.replay(second.id, ops)).toMatchObject({ ok: true, outcome: 'processed' });
    expect(await notes(sent.id)).toBe(1);
  });

  it('discards with a reason: kept for audit, no longer replayable, and a redelivery stays a no-op', async () => {
    broken.add('T-DISCARD');
    const sent = await send('T-DISCARD');
    const parked = await parkedOf(sent.id);
    broken.delete('T-DISCARD');
    expect(await redrive.discard(parked.id, 'sent twice by the upstream; the other copy counted', ops)).toMatchObject({
      ok: true,
      parked: {
        status: 'discarded',
        settledBy: ops.name,
        discardReason: 'sent twice by the upstream; the other copy counted',
      },
    });
    expect(await redrive.replay(parked.id, ops)).toMatchObject({ ok: false, status: 409 });
    expect(await redrive.discard(parked.id, 'again', ops)).toMatchObject({ ok: false, status: 409 });
    expect(await consumer.consume({ ...parked.original, offset: '999999' })).toBe('duplicate');
    expect(await notes(sent.id)).toBe(0);
    const [action] = await db.dataSource.query(`SELECT action, reason FROM staff_actions WHERE subject = $1`, [
      `service-b/${sent.id}`,
    ]);
    expect(action).toEqual({
      action: 'dead-letter.discard',
      reason: 'sent twice by the upstream; the other copy counted',
    });
    expect(await redrive.replay('999999999', ops)).toMatchObject({ ok: false, status: 404 });
  });

  it('replays the set a filter selects, and only that set; a replay cut short before the consumer committed runs again', async () => {
    broken.add('T-SET-1');
    broken.add('T-SET-2');
    refused.add('T-OTHER');
    const one = await send('T-SET-1');
    const two = await send('T-SET-2');
    const other = await send('T-OTHER');
    const [p1, p2, po] = await Promise.all([parkedOf(one.id), parkedOf(two.id), parkedOf(other.id)]);
    broken.clear();
    refused.clear();
    const results = await redrive.replayAll({ reason: 'cannot cope with T-SET' }, 100, ops);
    expect(results).toEqual(
      expect.arrayContaining([
        { id: p1.id, outcome: 'processed' },
        { id: p2.id, outcome: 'processed' },
      ]),
    );
    expect(results).toHaveLength(2);
    expect([await notes(one.id), await notes(two.id), await notes(other.id)]).toEqual([1, 1, 0]);
    expect(await ParkedMessages.read(db.dataSource.manager, po.id)).toMatchObject({ status: 'parked' });

    // A crash between the replay's claim and the consumer's commit: marked replayed, nothing in the inbox.
    await db.dataSource.transaction(async (m) => {
      await m.query(`DELETE FROM inbox WHERE consumer = 'service-b' AND message_id = $1`, [other.id]);
      await ParkedMessages.settle(m, po.id, 'replayed', ops.name, clock.now(), null);
    });
    expect(await redrive.replay(po.id, ops)).toMatchObject({ ok: true, outcome: 'processed' });
    expect(await notes(other.id)).toBe(1);
    expect(await redrive.replay(po.id, ops)).toMatchObject({ ok: false, status: 409 });
  });
});
