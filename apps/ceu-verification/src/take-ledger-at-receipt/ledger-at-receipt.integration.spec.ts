import { Kafka, Producer } from 'kafkajs';
import { FixedClock } from '@recert/clock';
import { createEnvelope, CourseCompleted, RecertEvents } from '@recert/contracts';
import { IdempotentConsumer, PartitionOffsets, UnitOfWork } from '@recert/messaging';
import { createPolicy } from '@recert/rules';
import { createTestDatabase, createTestTopic, TestDatabase, testKafka } from '@recert/testing';
import { migrations } from '../database/migrations';
import { CeuLedger } from '../ledger/ceu-ledger';
import { LedgerAtReceiptHandler } from './ledger-at-receipt.handler';

/**
 * "A decision waits for the facts" (R2, R7, R12) on the real PostgreSQL and broker: the ledger of
 * an application is published once this service has applied everything on its input partitions
 * up to where they ended at receipt. Topics of this test's own stand for the input topics.
 */
describe('LedgerAtReceiptHandler (real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  let producer: Producer;
  let offsets: PartitionOffsets;
  let unitOfWork: UnitOfWork;
  let consumer: IdempotentConsumer;
  let handler: LedgerAtReceiptHandler;
  let completions: string;
  let registry: string;

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'it_receipt', migrations });
    kafka = testKafka();
    completions = await createTestTopic(kafka, 'receipt-completions', 3);
    registry = await createTestTopic(kafka, 'receipt-registry', 2);
    producer = kafka.producer();
    await producer.connect();
    offsets = new PartitionOffsets(kafka);
    unitOfWork = new UnitOfWork(db.dataSource, new FixedClock(new Date('2027-03-10T12:00:00Z')), 'ceu-verification');
    consumer = new IdempotentConsumer('ceu-test', RecertEvents, unitOfWork, { maxAttempts: 1, backoffMs: 1 });
    // Read, not applied: what matters here is the position the consumer records.
    consumer.handle(completions, {});
    consumer.handle(registry, {});
    handler = new LedgerAtReceiptHandler(consumer, new CeuLedger(createPolicy()), offsets, [
      { topic: completions, partitions: 'of-trainer' },
      { topic: registry, partitions: 'all' },
    ]);
    handler.onModuleInit();
  }, 60_000);

  afterAll(async () => {
    await producer?.disconnect();
    await offsets?.close();
    await db?.drop();
  });

  /** A trainer with a cycle to 2027-04-01 and a registry course worth `ceu` hundredths. */
  async function trainerWithCourse(trainerId: string, courseId: string, ceu: number) {
    await db.dataSource.query(
      `INSERT INTO trainer_cycles (trainer_id, credential_id, starts_on, expires_on) VALUES ($1, $2, '2025-04-01', '2027-04-01')`,
      [trainerId, `CPT-${trainerId}`],
    );
    await db.dataSource.query(
      `INSERT INTO approved_courses (provider_id, course_id, approved_from, approved_until, ceu_hundredths, title, nasm_own)
       VALUES ('ACE', $1, '2020-01-01', '2030-12-31', $2, $1, false)`,
      [courseId, ceu],
    );
  }

  const completed = (trainerId: string, completionId: string, courseId: string) =>
    db.dataSource.query(
      `INSERT INTO completions (completion_id, trainer_id, provider_id, course_id, completed_on) VALUES ($1, $2, 'ACE', $3, '2026-06-01')`,
      [completionId, trainerId, courseId],
    );

  const receipt = (trainerId: string, applicationId: string) => ({
    applicationId,
    trainerId,
    credentialId: `CPT-${trainerId}`,
    cycleExpiresOn: '2027-04-01',
  });

  const published = (applicationId: string): Promise<{ total: number; counted: string[] }[]> =>
    db.dataSource.query(
      `SELECT (envelope->'payload'->>'totalCeuHundredths')::int AS total,
              ARRAY(SELECT jsonb_array_elements(envelope->'payload'->'counted')->>'id') AS counted
       FROM outbox WHERE event_type = 'LedgerAtReceipt' AND envelope->'payload'->>'applicationId' = $1`,
      [applicationId],
    );

  it('R2: with nothing unapplied on its partitions, the ledger at receipt is published at once', async () => {
    await trainerWithCourse('T-NOW', 'C-NOW', 190);
    await completed('T-NOW', 'T-NOW-1', 'C-NOW');
    const applicationId = '00000000-0000-4000-8000-000000000001';
    await unitOfWork.run((scope) => handler.received(scope, receipt('T-NOW', applicationId)));
    expect(await published(applicationId)).toEqual([{ total: 190, counted: ['T-NOW-1'] }]);
  });

  it('R2: a completion on Kafka before the receipt but not yet applied is waited for, then counted', async () => {
    await trainerWithCourse('T-WAIT', 'C-WAIT', 190);
    // The learning platform's message is on the trainer's partition; this service has not applied it.
    const envelope = createEnvelope(
      CourseCompleted,
      {
        completionId: 'T-WAIT-1',
        trainerId: 'T-WAIT',
        providerId: 'ACE',
        courseId: 'C-WAIT',
        completedOn: '2026-06-01',
      },
      { producer: 'learning-platform', occurredAt: new Date('2027-03-10T11:59:00Z') },
    );
    const [sent] = await producer.send({
      topic: completions,
      messages: [{ key: 'T-WAIT', value: JSON.stringify(envelope) }],
    });
    const applicationId = '00000000-0000-4000-8000-000000000002';
    await unitOfWork.run((scope) => handler.received(scope, receipt('T-WAIT', applicationId)));
    expect(await published(applicationId)).toEqual([]);
    const waits = await db.dataSource.query(`SELECT topic, partition, next_offset::int AS next FROM receipt_waits`);
    expect(waits).toEqual([{ topic: completions, partition: sent.partition, next: Number(sent.baseOffset) + 1 }]);

    // The service applies the completion (its effect), then its position passes the receipt's mark.
    await completed('T-WAIT', 'T-WAIT-1', 'C-WAIT');
    await consumer.consume({
      topic: completions,
      partition: sent.partition,
      offset: sent.baseOffset as string,
      key: 'T-WAIT',
      headers: {},
      value: JSON.stringify(envelope),
    });
    expect(await published(applicationId)).toEqual([{ total: 190, counted: ['T-WAIT-1'] }]);
    expect(await db.dataSource.query(`SELECT * FROM receipts_awaiting_inputs`)).toEqual([]);
  });

  it('R5: a registry change on any registry partition is waited for too (it values the courses)', async () => {
    await trainerWithCourse('T-REG', 'C-REG', 190);
    await completed('T-REG', 'T-REG-1', 'C-REG');
    const [sent] = await producer.send({ topic: registry, messages: [{ key: 'ACE/C-OTHER', value: '{}' }] });
    const applicationId = '00000000-0000-4000-8000-000000000003';
    await unitOfWork.run((scope) => handler.received(scope, receipt('T-REG', applicationId)));
    expect(await published(applicationId)).toEqual([]);
    // Not this service's to apply (it is parked as unreadable), but read: the receipt is released.
    await consumer.consume({
      topic: registry,
      partition: sent.partition,
      offset: sent.baseOffset as string,
      key: 'ACE/C-OTHER',
      headers: {},
      value: '{}',
    });
    expect(await published(applicationId)).toEqual([{ total: 190, counted: ['T-REG-1'] }]);
  });
});
