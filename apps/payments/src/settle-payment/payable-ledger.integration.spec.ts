import { FixedClock } from '@recert/clock';
import { UnitOfWork } from '@recert/messaging';
import { createTestDatabase, TestDatabase } from '@recert/testing';
import { migrations } from '../database/migrations';
import { PayableLedger } from './payable-ledger';

/**
 * Opening a payable and the processor's success for it arrive on different topics and may be
 * handled at the same moment. Whatever the interleaving, each fee is settled exactly once.
 */
describe('PayableLedger under concurrency (real PostgreSQL)', () => {
  let db: TestDatabase;
  let unitOfWork: UnitOfWork;
  const ledger = new PayableLedger();

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'it_payables', migrations, poolSize: 20 });
    unitOfWork = new UnitOfWork(db.dataSource, new FixedClock(new Date('2026-11-20T10:00:00Z')), 'payments');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('R6/R10: 40 fees opened while their payments arrive are each settled once', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `petition-${i}`);
    await Promise.all(
      ids.flatMap((id) => [
        unitOfWork.run((scope) => ledger.open(scope, 'petition-fee', id, 'T-1', 2_500)),
        unitOfWork.run((scope) =>
          ledger.recordProcessorEvent(scope, 'succeeded', {
            processorEventId: `evt-${id}`,
            paymentId: `pay-${id}`,
            payableId: PayableLedger.payableId('petition-fee', id),
            amountCents: 2_500,
            occurredAt: '2026-11-20T10:00:00Z',
          }),
        ),
      ]),
    );
    const payables = await db.dataSource.query(`SELECT status, count(*)::int AS n FROM payables GROUP BY status`);
    expect(payables).toEqual([{ status: 'paid', n: 40 }]);
    const settled = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE event_type = 'PayableSettled'`,
    );
    expect(settled).toEqual([{ n: 40 }]);
    const outcomes = await db.dataSource.query(`SELECT DISTINCT outcome FROM processor_events`);
    expect(outcomes).toEqual([{ outcome: 'settled' }]);
  });

  it('R6: a petition fee is never refunded; a second success is a duplicate charge, not a second settlement', async () => {
    const payableId = PayableLedger.payableId('petition-fee', 'petition-x');
    const event = (n: number) => ({
      processorEventId: `evt-x-${n}`,
      paymentId: `pay-x-${n}`,
      payableId,
      amountCents: 2_500,
      occurredAt: '2026-11-20T10:00:00Z',
    });
    await unitOfWork.run((scope) => ledger.open(scope, 'petition-fee', 'petition-x', 'T-2', 2_500));
    expect(await unitOfWork.run((scope) => ledger.recordProcessorEvent(scope, 'succeeded', event(1)))).toBe('settled');
    expect(await unitOfWork.run((scope) => ledger.recordProcessorEvent(scope, 'succeeded', event(1)))).toBeNull();
    expect(await unitOfWork.run((scope) => ledger.recordProcessorEvent(scope, 'succeeded', event(2)))).toBe(
      'duplicate-charge',
    );
    expect(await unitOfWork.run((scope) => ledger.recordProcessorEvent(scope, 'refunded', event(3)))).toBe(
      'refused: R6 petition fees are non-refundable',
    );
    expect(await unitOfWork.run((scope) => ledger.recordProcessorEvent(scope, 'failed', event(4)))).toBe(
      'item stays open',
    );
  });
});
