import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Kafka } from 'kafkajs';
import { z } from 'zod';
import { FixedClock } from '@recert/clock';
import { databaseOptions, loadRecertConfig } from '@recert/platform';
import {
  createTestDatabase,
  createTestTopic,
  defineNoteTaken,
  TEST_DATABASE_URL,
  TestDatabase,
  testKafka,
  uniqueName,
  waitFor,
} from '@recert/testing';
import { MessagingTables1764000000000 } from '../database/messaging-tables.migration';
import { EventProducer, OutgoingMessage } from '../kafka/event-producer.port';
import { KafkajsEventProducer } from '../kafka/kafkajs-event-producer';
import { OutboxRelay } from './outbox-relay';
import { outboxRelayLiveness } from './outbox-relay-liveness';
import { UnitOfWork } from './unit-of-work';

/**
 * The relay against the real PostgreSQL and broker (issue 15 item 4, issue 16): no transaction
 * across Kafka I/O, a bounded stop, publish right after commit with no idle polling, and a
 * liveness probe for a relay that stopped making progress.
 */
const clock = new FixedClock(new Date('2026-06-01T00:00:00Z'));

/** The relay's settings as a service reads them from its environment (the code's defaults otherwise). */
function outboxSettings(env: Record<string, string> = {}) {
  return loadRecertConfig('applications', env).outbox;
}

/**
 * The port to the real broker, recording every send; while closed, a send waits before it
 * reaches the broker, as one does when the broker cannot be reached.
 */
class GatedProducer implements EventProducer {
  readonly sends: OutgoingMessage[][] = [];
  private opened: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;

  /** `log` gets each event id the broker acknowledged; `sending` counts sends in flight, shared between producers. */
  constructor(
    private readonly broker: EventProducer,
    private readonly log: string[] = [],
    private readonly sending: SendsInFlight = { now: 0, most: 0 },
  ) {}

  close(): void {
    this.opened = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open();
  }

  async send(messages: OutgoingMessage[]): Promise<void> {
    this.sends.push(messages);
    this.sending.now += 1;
    this.sending.most = Math.max(this.sending.most, this.sending.now);
    try {
      await this.opened;
      await this.broker.send(messages);
      this.log.push(...messages.map(eventIdOf));
    } finally {
      this.sending.now -= 1;
    }
  }

  async disconnect(): Promise<void> {
    return undefined;
  }
}

interface SendsInFlight {
  now: number;
  most: number;
}

function eventIdOf(message: OutgoingMessage): string {
  return (JSON.parse(message.value) as { id: string }).id;
}

/**
 * A pool of its own on the test's schema, named so pg_stat_activity tells its sessions apart, and
 * counting every statement it sends to PostgreSQL.
 */
async function relayDataSource(
  db: TestDatabase,
): Promise<{ dataSource: DataSource; name: string; statements: () => number }> {
  const name = uniqueName('relay');
  const dataSource = new DataSource(
    databaseOptions(
      { url: `${TEST_DATABASE_URL}?application_name=${name}`, schema: db.schema, poolSize: 3 },
      { entities: [], migrations: [] },
    ),
  );
  await dataSource.initialize();
  let count = 0;
  const counted = new WeakSet<PoolClient>();
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  pool.on('acquire', (client) => {
    if (counted.has(client)) return;
    counted.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      count += 1;
      return query(...args);
    };
  });
  return { dataSource, name, statements: () => count };
}

describe('outbox relay (real PostgreSQL + Kafka)', () => {
  let kafka: Kafka;
  let broker: KafkajsEventProducer;
  let db: TestDatabase;
  let noted: ReturnType<typeof defineNoted>;
  /** The service's commits: each NOTIFYs the schema's channel, whichever relay holds the turn. */
  let unitOfWork: UnitOfWork;
  const toClose: DataSource[] = [];
  const toStop: OutboxRelay[] = [];
  const toRelease: GatedProducer[] = [];

  const defineNoted = (topicName: string) => defineNoteTaken(topicName, { seq: z.number().int() });

  async function newRelayDataSource() {
    const made = await relayDataSource(db);
    toClose.push(made.dataSource);
    return made;
  }

  function newRelay(dataSource: DataSource, producer: EventProducer, env: Record<string, string>): OutboxRelay {
    const relay = new OutboxRelay(dataSource, producer, outboxSettings(env));
    toStop.push(relay);
    return relay;
  }

  function gated(log?: string[], sending?: SendsInFlight): GatedProducer {
    const producer = new GatedProducer(broker, log, sending);
    toRelease.push(producer);
    return producer;
  }

  async function commitNote(unitOfWork: UnitOfWork, trainerId: string, seq: number): Promise<string> {
    return unitOfWork.run(async (scope) => scope.publish(noted, { trainerId, seq }).id);
  }

  async function unpublished(): Promise<number> {
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
    return n;
  }

  beforeAll(async () => {
    kafka = testKafka();
    noted = defineNoted(await createTestTopic(kafka, 'it.relay'));
    broker = new KafkajsEventProducer(kafka);
    db = await createTestDatabase({ prefix: 'it_relay', migrations: [MessagingTables1764000000000] });
    unitOfWork = new UnitOfWork(db.dataSource, clock, 'applications');
  });

  beforeEach(async () => {
    await db.dataSource.query(`DELETE FROM outbox`);
  });

  afterEach(async () => {
    for (const producer of toRelease.splice(0)) producer.release();
    for (const relay of toStop.splice(0)) await relay.stop();
  });

  afterAll(async () => {
    for (const dataSource of toClose) await dataSource.destroy();
    await broker?.disconnect();
    await db?.drop();
  });

  it('holds no transaction open while a send is in flight', async () => {
    const { dataSource, name } = await newRelayDataSource();
    const producer = gated();
    producer.close();
    const relay = newRelay(dataSource, producer, {});
    relay.start();
    const eventId = await commitNote(unitOfWork, 'T-1', 1);

    await waitFor(
      async () => producer.sends.length,
      (n) => n === 1,
      { what: 'the send to start' },
    );
    const inTransaction = await db.dataSource.query(
      `SELECT state, xact_start IS NOT NULL AS "inTransaction" FROM pg_stat_activity
        WHERE application_name = $1 AND (xact_start IS NOT NULL OR state LIKE 'idle in transaction%')`,
      [name],
    );
    expect(inTransaction).toEqual([]);

    producer.release();
    await waitFor(unpublished, (n) => n === 0, { what: 'the event marked published' });
    expect(producer.sends.flat().map(eventIdOf)).toEqual([eventId]);
  });

  it('stops within OUTBOX_STOP_TIMEOUT_MS while a send is stuck; the rows stay for the next relay', async () => {
    const env = { OUTBOX_STOP_TIMEOUT_MS: '300' };
    const { dataSource } = await newRelayDataSource();
    const stuck = gated();
    stuck.close();
    const relay = newRelay(dataSource, stuck, env);
    relay.start();
    const eventId = await commitNote(unitOfWork, 'T-2', 1);
    await waitFor(
      async () => stuck.sends.length,
      (n) => n === 1,
      { what: 'the send to start' },
    );

    const outcome = await Promise.race([
      relay.stop().then(() => 'stopped'),
      new Promise((resolve) => setTimeout(() => resolve('still stopping after 5 s'), 5_000)),
    ]);
    expect(outcome).toBe('stopped');
    expect(await unpublished()).toBe(1);

    // The next relay (the restarted process) takes the schema's turn and sends the row again.
    const next = gated();
    const nextRelay = newRelay((await newRelayDataSource()).dataSource, next, env);
    nextRelay.start();
    await waitFor(unpublished, (n) => n === 0, { what: 'the next relay to publish the abandoned row' });
    expect(next.sends.flat().map(eventIdOf)).toEqual([eventId]);
  });

  it('a connection lost while a send is in flight (PostgreSQL restarted) fails the turn, not the process; the event goes out again', async () => {
    const { dataSource, name } = await newRelayDataSource();
    const producer = gated();
    producer.close();
    const relay = newRelay(dataSource, producer, {});
    relay.start();
    const eventId = await commitNote(unitOfWork, 'T-lost', 1);
    await waitFor(
      async () => producer.sends.length,
      (n) => n === 1,
      { what: 'the send to start' },
    );

    // The turn's connection dies between its statements: pg reports it on the client, unheard it would crash.
    const [{ ended }] = await db.dataSource.query(
      `SELECT count(pg_terminate_backend(pid))::int AS ended FROM pg_stat_activity WHERE application_name = $1`,
      [name],
    );
    expect(ended).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    producer.release();

    await waitFor(unpublished, (n) => n === 0, { what: 'the event marked published by a later turn' });
    expect(new Set(producer.sends.flat().map(eventIdOf))).toEqual(new Set([eventId]));
  });

  it('an idle relay sends one statement per sweep interval once it holds the turn', async () => {
    const sweepMs = 500;
    const windowMs = 2_000;
    const { dataSource, statements } = await newRelayDataSource();
    const relay = newRelay(dataSource, gated(), { OUTBOX_SWEEP_MS: String(sweepMs) });
    const before = statements();
    relay.start();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    await relay.stop();
    // Taking the turn (the lock, LISTEN), a look at start, then one per sweep interval.
    expect(statements() - before).toBeLessThanOrEqual(3 + Math.floor(windowMs / sweepMs));
  });

  it('publishes a committed event right after its commit, without waiting for the sweep', async () => {
    const { dataSource } = await newRelayDataSource();
    const producer = gated();
    const relay = newRelay(dataSource, producer, { OUTBOX_SWEEP_MS: '60000' });
    relay.start();
    const eventId = await commitNote(unitOfWork, 'T-3', 1);
    await waitFor(unpublished, (n) => n === 0, {
      what: 'the event published long before the sweep',
      timeoutMs: 30_000,
    });
    expect(producer.sends.flat().map(eventIdOf)).toEqual([eventId]);
  });

  it('sends the commits made during a send together, in one send, in commit order', async () => {
    const { dataSource } = await newRelayDataSource();
    const producer = gated();
    producer.close();
    const relay = newRelay(dataSource, producer, { OUTBOX_SWEEP_MS: '60000' });
    relay.start();
    const first = await commitNote(unitOfWork, 'T-4', 1);
    await waitFor(
      async () => producer.sends.length,
      (n) => n === 1,
      { what: 'the first send to start' },
    );
    await Promise.all([2, 3, 4, 5, 6].map((seq) => commitNote(unitOfWork, `T-4${seq}`, seq)));
    producer.release();

    await waitFor(unpublished, (n) => n === 0, { what: 'every event published', timeoutMs: 30_000 });
    const inCommitOrder: { event_id: string }[] = await db.dataSource.query(
      `SELECT event_id FROM outbox WHERE event_id <> $1 ORDER BY id`,
      [first],
    );
    expect(producer.sends.map((send) => send.map(eventIdOf))).toEqual([[first], inCommitOrder.map((r) => r.event_id)]);
  });

  it("two replicas of a service: one holds the turn and publishes both replicas' commits in commit order, long before the sweep", async () => {
    const env = { OUTBOX_SWEEP_MS: '60000' };
    const onBroker: string[] = [];
    const sending: SendsInFlight = { now: 0, most: 0 };
    const relays = await Promise.all(
      [0, 1].map(async () => newRelay((await newRelayDataSource()).dataSource, gated(onBroker, sending), env)),
    );
    for (const relay of relays) relay.start();
    await waitFor(
      async () => relays.filter((r) => r.holdsTurn()).length,
      (n) => n === 1,
      { what: 'one replica to take the turn' },
    );
    // Each replica's service commits through its own pool: the notification reaches the holder.
    const replicas = await Promise.all(
      [0, 1].map(async () => new UnitOfWork((await newRelayDataSource()).dataSource, clock, 'applications')),
    );
    const committed: string[] = [];
    for (let seq = 1; seq <= 30; seq++) {
      committed.push(await commitNote(replicas[seq % 2], 'T-5', seq));
    }

    await waitFor(unpublished, (n) => n === 0, { what: 'the holder to publish everything', timeoutMs: 30_000 });
    expect([...new Set(onBroker)]).toEqual(committed);
    expect(sending.most).toBe(1);
    expect(relays.filter((r) => r.holdsTurn())).toHaveLength(1);
  });

  it('when the replica holding the turn stops, another takes it at its next sweep and publishes what waits', async () => {
    const env = { OUTBOX_SWEEP_MS: '300' };
    const first = newRelay((await newRelayDataSource()).dataSource, gated(), env);
    first.start();
    await waitFor(
      async () => first.holdsTurn(),
      (held) => held,
      { what: 'the first replica to take the turn' },
    );
    const secondProducer = gated();
    const second = newRelay((await newRelayDataSource()).dataSource, secondProducer, env);
    second.start();
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(second.holdsTurn()).toBe(false);

    await first.stop();
    const later = await commitNote(unitOfWork, 'T-8', 1);
    await waitFor(unpublished, (n) => n === 0, { what: 'the second replica to publish', timeoutMs: 10_000 });
    expect(second.holdsTurn()).toBe(true);
    expect(secondProducer.sends.flat().map(eventIdOf)).toEqual([later]);
  });

  describe('liveness', () => {
    const stuckAfterMs = 1_500;
    const env = { OUTBOX_STUCK_AFTER_MS: String(stuckAfterMs), OUTBOX_SWEEP_MS: '60000' };

    it('fails while events wait behind a send stuck past OUTBOX_STUCK_AFTER_MS, and passes once they go out', async () => {
      const { dataSource } = await newRelayDataSource();
      const producer = gated();
      producer.close();
      const relay = newRelay(dataSource, producer, env);
      const probe = outboxRelayLiveness(relay, outboxSettings(env).stuckAfterMs);
      relay.start();

      // Idle past the limit: nothing waits, so nothing is stuck.
      await new Promise((resolve) => setTimeout(resolve, stuckAfterMs + 200));
      await expect(Promise.resolve().then(() => probe.check())).resolves.toBeUndefined();

      await commitNote(unitOfWork, 'T-6', 1);
      await waitFor(
        async () => producer.sends.length,
        (n) => n === 1,
        { what: 'the send to start' },
      );
      await expect(Promise.resolve().then(() => probe.check())).resolves.toBeUndefined();

      await new Promise((resolve) => setTimeout(resolve, stuckAfterMs + 200));
      await expect(Promise.resolve().then(() => probe.check())).rejects.toThrow(/no progress/);

      producer.release();
      await waitFor(unpublished, (n) => n === 0, { what: 'the event published' });
      await expect(Promise.resolve().then(() => probe.check())).resolves.toBeUndefined();
    });

    it('fails when every send fails past the limit', async () => {
      const { dataSource } = await newRelayDataSource();
      const failing: EventProducer = {
        send: async () => {
          throw new Error('broker unreachable');
        },
        disconnect: async () => undefined,
      };
      const relay = newRelay(dataSource, failing, env);
      const probe = outboxRelayLiveness(relay, outboxSettings(env).stuckAfterMs);
      relay.start();
      await commitNote(unitOfWork, 'T-7', 1);
      await new Promise((resolve) => setTimeout(resolve, stuckAfterMs + 200));
      await expect(Promise.resolve().then(() => probe.check())).rejects.toThrow(/no progress/);
      expect(await unpublished()).toBe(1);
    });
  });
});
