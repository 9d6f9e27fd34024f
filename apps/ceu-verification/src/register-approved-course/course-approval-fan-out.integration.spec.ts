import { Consumer, Kafka } from 'kafkajs';
import { FixedClock } from '@recert/clock';
import { ApprovedCourseRegistered, createEnvelope, RecertEvents, Topics } from '@recert/contracts';
import { EventProducer, IdempotentConsumer, KafkajsEventProducer, OutboxRelay, UnitOfWork } from '@recert/messaging';
import { createPolicy } from '@recert/rules';
import {
  createTestDatabase,
  createTestTopic,
  startTestConsumer,
  TestDatabase,
  testKafka,
  waitFor,
} from '@recert/testing';
import { migrations } from '../database/migrations';
import { CeuLedger } from '../ledger/ceu-ledger';
import { CourseApprovalWorkMessageController } from './course-approval-work.message.controller';
import { ProviderRegistryMessageController } from './provider-registry.message.controller';
import { RegisterApprovedCourseHandler } from './register-approved-course.handler';

const TRAINERS = 2_000;
/** The bound the issue asks for: no transaction recomputes more trainers than one page. */
const PAGE = 500;

/**
 * Issue 15: a course approved after 2,000 trainers reported completing it. The registry's event
 * used to recompute all 2,000 ledgers in its one consumer transaction (a course with 100,000
 * completions outlives the session timeout). It must become one work item per trainer, through the
 * outbox and the real broker, each applied in a transaction of its own.
 */
describe('a registry change fans out as work items (issue 15, real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  let producer: KafkajsEventProducer;
  let relay: OutboxRelay;
  let reader: Consumer | undefined;

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'it_fan_out', migrations });
    kafka = testKafka();
    producer = new KafkajsEventProducer(kafka);
    const unitOfWork = new UnitOfWork(
      db.dataSource,
      new FixedClock(new Date('2027-03-10T12:00:00Z')),
      'ceu-verification',
    );
    // Topics of this test's own stand for the service's: the work items on one (read back below),
    // the rest (the ledgers published) on another that nobody reads. A system started later
    // reads recert.ceu-work from the start and finds none of this test's 2,000 work items.
    const workTopic = await createTestTopic(kafka, 'fan-out-work', 3);
    const otherTopic = await createTestTopic(kafka, 'fan-out-other', 1);
    const toTestTopics: EventProducer = {
      send: (messages) =>
        producer.send(messages.map((m) => ({ ...m, topic: m.topic === Topics.ceuWork.name ? workTopic : otherTopic }))),
      disconnect: () => producer.disconnect(),
    };
    relay = new OutboxRelay(db.dataSource, toTestTopics, { sweepMs: 20, batchSize: 500, stopTimeoutMs: 1_000 });
    const consumer = new IdempotentConsumer('ceu-fan-out-test', RecertEvents, unitOfWork, {
      maxAttempts: 3,
      backoffMs: 10,
    });
    const handler = new RegisterApprovedCourseHandler(new CeuLedger(createPolicy()));
    new ProviderRegistryMessageController(consumer, handler).onModuleInit();
    new CourseApprovalWorkMessageController(consumer, handler).onModuleInit();
    // The service's consumer of its work topic: what the relay published comes back, as it would
    // from recert.ceu-work.
    reader = await startTestConsumer(kafka, [workTopic], async ({ partition, message }) => {
      await consumer.consume({
        topic: Topics.ceuWork.name,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        headers: {},
        value: message.value,
      });
    });
    relay.start();

    // 2,000 trainers in a cycle 2025-04-01 → 2027-04-01, each having completed ACE's course
    // C-FAN on 2026-06-01, a course the registry does not know yet.
    await db.dataSource.query(
      `INSERT INTO trainer_cycles (trainer_id, credential_id, starts_on, expires_on)
       SELECT 'T-' || lpad(n::text, 5, '0'), 'CPT-' || n, '2025-04-01', '2027-04-01' FROM generate_series(1, $1) n`,
      [TRAINERS],
    );
    await db.dataSource.query(
      `INSERT INTO completions (completion_id, trainer_id, provider_id, course_id, completed_on)
       SELECT 'FAN-' || n, 'T-' || lpad(n::text, 5, '0'), 'ACE', 'C-FAN', '2026-06-01' FROM generate_series(1, $1) n`,
      [TRAINERS],
    );

    // The registry approves C-FAN for 2026 at 19 contact hours.
    const registered = createEnvelope(
      ApprovedCourseRegistered,
      {
        providerId: 'ACE',
        courseId: 'C-FAN',
        title: 'Corrective exercise',
        ceuHundredths: 190,
        approvedFrom: '2026-01-01',
        approvedUntil: '2026-12-31',
        nasmOwn: false,
      },
      { producer: 'provider-registry', occurredAt: new Date('2027-03-10T11:00:00Z') },
    );
    await consumer.consume({
      topic: Topics.providerRegistry.name,
      partition: 0,
      offset: '0',
      key: registered.key,
      headers: {},
      value: JSON.stringify(registered),
    });
  }, 60_000);

  afterAll(async () => {
    await relay?.stop();
    await reader?.disconnect();
    await producer?.disconnect();
    await db?.drop();
  });

  /** Each trainer's newest ledger as published: its total and what it counts. */
  const newestLedgers = (): Promise<{ trainerId: string; total: number; counted: unknown[] }[]> =>
    db.dataSource.query(
      `SELECT DISTINCT ON (envelope->'payload'->>'trainerId') envelope->'payload'->>'trainerId' AS "trainerId",
              (envelope->'payload'->>'totalCeuHundredths')::int AS total, envelope->'payload'->'counted' AS counted
       FROM outbox WHERE event_type = 'CeuLedgerChanged'
       ORDER BY envelope->'payload'->>'trainerId', (envelope->'payload'->>'revision')::int DESC`,
    );

  it("R3, R5: every trainer's ledger ends up counting the course: 19 contact hours = 1.90 CEU", async () => {
    const ledgers = await waitFor(
      newestLedgers,
      (rows) => rows.length === TRAINERS && rows.every((r) => r.total === 190),
      { timeoutMs: 280_000, intervalMs: 500, what: `all ${TRAINERS} ledgers to count C-FAN` },
    );
    expect(ledgers.find((l) => l.trainerId === 'T-01234')).toEqual({
      trainerId: 'T-01234',
      total: 190,
      counted: [{ source: 'approved-course', id: 'FAN-1234', ceuHundredths: 190, completedOn: '2026-06-01' }],
    });
    // 2,000 recomputes through the broker: some 30 s on an idle machine of two cores.
  }, 300_000);

  it(`no transaction recomputes more than ${PAGE} trainers; the pages come ${PAGE} trainers at a time`, async () => {
    // One consumed message is one transaction, and what it emits names it as cause (causationId).
    const perCause: { type: string; trainers: number }[] = await db.dataSource.query(
      `SELECT event_type AS type, count(DISTINCT envelope->'payload'->>'trainerId')::int AS trainers
       FROM outbox WHERE event_type IN ('CeuLedgerChanged', 'RecomputeTrainerLedger')
       GROUP BY event_type, envelope->>'causationId'`,
    );
    const recomputes = perCause.filter((c) => c.type === 'CeuLedgerChanged').map((c) => c.trainers);
    expect(Math.max(...recomputes)).toBeLessThanOrEqual(PAGE);
    // Each work item recomputes its one trainer.
    expect(recomputes).toHaveLength(TRAINERS);
    const pages = perCause.filter((c) => c.type === 'RecomputeTrainerLedger').map((c) => c.trainers);
    expect(pages).toEqual([PAGE, PAGE, PAGE, PAGE]);
  });
});
