import { Kafka, Producer } from 'kafkajs';
import { FixedClock } from '@recert/clock';
import { createEnvelope, RecertEvents, RecertifyForLifeMembershipPurchased } from '@recert/contracts';
import { IdempotentConsumer, PartitionOffsets, UnitOfWork } from '@recert/messaging';
import { createTestDatabase, createTestTopic, TestDatabase, testKafka } from '@recert/testing';
import { migrations } from '../database/migrations';
import { MembershipPurchase, RecordMembershipHandler } from '../record-membership/record-membership.handler';
import { MembershipAtReceiptHandler } from './membership-at-receipt.handler';

const RECEIVED_AT = '2027-03-10T12:00:00.000Z';

/**
 * Issue 13, "Recertify for Life" (R10: the fee is fixed at receipt) on the real PostgreSQL and
 * broker: payments answers an application's receipt with the membership the trainer held then,
 * once it has applied every processor event on the trainer's partition up to where it ended at
 * receipt. A topic of this test's own stands for the processor's.
 */
describe('MembershipAtReceiptHandler (real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  let producer: Producer;
  let offsets: PartitionOffsets;
  let unitOfWork: UnitOfWork;
  let consumer: IdempotentConsumer;
  let memberships: RecordMembershipHandler;
  let handler: MembershipAtReceiptHandler;
  let processorTopic: string;

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'it_membership', migrations });
    kafka = testKafka();
    processorTopic = await createTestTopic(kafka, 'membership-processor', 3);
    producer = kafka.producer();
    await producer.connect();
    offsets = new PartitionOffsets(kafka);
    const clock = new FixedClock(new Date(RECEIVED_AT));
    unitOfWork = new UnitOfWork(db.dataSource, clock, 'payments');
    consumer = new IdempotentConsumer('payments-test', RecertEvents, unitOfWork, { maxAttempts: 1, backoffMs: 1 });
    // Read, not applied: what matters here is the position the consumer records.
    consumer.handle(processorTopic, {});
    memberships = new RecordMembershipHandler(clock);
    handler = new MembershipAtReceiptHandler(consumer, offsets, processorTopic);
    handler.onModuleInit();
  }, 60_000);

  afterAll(async () => {
    await producer?.disconnect();
    await handler?.beforeApplicationShutdown();
    await db?.drop();
  });

  const purchase = (trainerId: string, membershipId: string, purchasedAt: string): MembershipPurchase => ({
    processorEventId: `EVT-${membershipId}`,
    membershipId,
    trainerId,
    paymentId: `PAY-${membershipId}`,
    amountCents: 49_900,
    purchasedAt,
  });
  const bought = (p: MembershipPurchase) => unitOfWork.run((scope) => memberships.record(scope, p));
  const received = (trainerId: string, applicationId: string) =>
    unitOfWork.run((scope) => handler.received(scope, { applicationId, trainerId, receivedAt: RECEIVED_AT }));
  const answers = (applicationId: string): Promise<{ recertifyForLife: unknown; receivedAt: string }[]> =>
    db.dataSource.query(
      `SELECT envelope->'payload'->'recertifyForLife' AS "recertifyForLife", envelope->'payload'->>'receivedAt' AS "receivedAt"
       FROM outbox WHERE event_type = 'MembershipAtReceipt' AND envelope->'payload'->>'applicationId' = $1`,
      [applicationId],
    );

  it("R10: with nothing unapplied on the trainer's partition, a non-member is answered at once: no membership", async () => {
    const applicationId = '00000000-0000-4000-8000-000000000001';
    await received('T-NONE', applicationId);
    expect(await answers(applicationId)).toEqual([{ recertifyForLife: null, receivedAt: RECEIVED_AT }]);
  });

  it("R10 (Recertify for Life): a membership bought at or before the instant received counts; one bought after, or another trainer's, does not", async () => {
    expect(await bought(purchase('T-MEMBER', 'R4L-AT', RECEIVED_AT))).toBe('recorded');
    expect(await bought(purchase('T-MEMBER', 'R4L-AT', RECEIVED_AT))).toBeNull();
    await bought(purchase('T-MEMBER', 'R4L-LATER', '2027-03-10T12:00:00.001Z'));
    await bought(purchase('T-OTHER', 'R4L-OTHER', '2026-01-01T00:00:00.000Z'));
    const applicationId = '00000000-0000-4000-8000-000000000002';
    await received('T-MEMBER', applicationId);
    expect(await answers(applicationId)).toEqual([
      { recertifyForLife: { membershipId: 'R4L-AT', purchasedAt: RECEIVED_AT }, receivedAt: RECEIVED_AT },
    ]);
    const lateOnly = '00000000-0000-4000-8000-000000000003';
    await bought(purchase('T-LATE', 'R4L-TOO-LATE', '2027-03-11T09:00:00.000Z'));
    await received('T-LATE', lateOnly);
    expect(await answers(lateOnly)).toEqual([{ recertifyForLife: null, receivedAt: RECEIVED_AT }]);
  });

  it('R10: a membership on Kafka before the receipt but not yet applied is waited for, then counted', async () => {
    const membership = purchase('T-WAIT', 'R4L-WAIT', '2027-03-10T11:59:00.000Z');
    const { processorEventId, ...event } = membership;
    const envelope = createEnvelope(
      RecertifyForLifeMembershipPurchased,
      { processorEventId, ...event },
      { producer: 'payment-processor', occurredAt: new Date('2027-03-10T11:59:00Z') },
    );
    const [sent] = await producer.send({
      topic: processorTopic,
      messages: [{ key: 'T-WAIT', value: JSON.stringify(envelope) }],
    });
    const applicationId = '00000000-0000-4000-8000-000000000004';
    await received('T-WAIT', applicationId);
    expect(await answers(applicationId)).toEqual([]);
    expect(
      await db.dataSource.query(
        `SELECT application_id AS "applicationId", partition, next_offset::int AS next FROM receipts_awaiting_memberships`,
      ),
    ).toEqual([{ applicationId, partition: sent.partition, next: Number(sent.baseOffset) + 1 }]);

    // The service records the membership (its effect), then its position passes the receipt's mark.
    await bought(membership);
    await consumer.consume({
      topic: processorTopic,
      partition: sent.partition,
      offset: sent.baseOffset as string,
      key: 'T-WAIT',
      headers: {},
      value: JSON.stringify(envelope),
    });
    expect(await answers(applicationId)).toEqual([
      {
        recertifyForLife: { membershipId: 'R4L-WAIT', purchasedAt: '2027-03-10T11:59:00.000Z' },
        receivedAt: RECEIVED_AT,
      },
    ]);
    expect(await db.dataSource.query(`SELECT * FROM receipts_awaiting_memberships`)).toEqual([]);
  });
});
