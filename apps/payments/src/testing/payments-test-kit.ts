import { FixedClock } from '@recert/clock';
import { UnitOfWork } from '@recert/messaging';
import { createTestDatabase, TestDatabase } from '@recert/testing';
import { ClosePayableHandler } from '../close-payable/close-payable.handler';
import { migrations } from '../database/migrations';
import { OpenPayableHandler } from '../open-payable/open-payable.handler';
import { RefundPaymentHandler } from '../refund-payment/refund-payment.handler';
import { PayableLedger, ProcessorEventKind } from '../settle-payment/payable-ledger';
import { SettlePaymentHandler } from '../settle-payment/settle-payment.handler';

/** The payments use cases on a migrated schema of the real PostgreSQL, wired as the module wires them. */
export async function paymentsTestKit(prefix: string, poolSize = 5) {
  const db: TestDatabase = await createTestDatabase({ prefix, migrations, poolSize });
  const unitOfWork = new UnitOfWork(db.dataSource, new FixedClock(new Date('2027-03-01T10:00:00Z')), 'payments');
  const settle = new SettlePaymentHandler();
  const ledger = new PayableLedger(settle, new RefundPaymentHandler());
  const opening = new OpenPayableHandler(settle);
  const closing = new ClosePayableHandler();
  let events = 0;
  const processor = (kind: ProcessorEventKind, payableId: string, paymentId: string, amountCents: number) =>
    unitOfWork.run((scope) =>
      ledger.recordProcessorEvent(scope, kind, {
        processorEventId: `evt-${prefix}-${++events}`,
        paymentId,
        payableId,
        amountCents,
        occurredAt: new Date(Date.parse('2027-03-01T10:00:00Z') + events * 1_000).toISOString(),
      }),
    );
  return {
    db,
    unitOfWork,
    ledger,
    open: (purpose: 'application-fee' | 'petition-fee', referenceId: string, amountCents: number) =>
      unitOfWork.run((scope) => opening.open(scope, purpose, referenceId, 'T-1', amountCents)),
    close: (purpose: 'application-fee' | 'petition-fee', referenceId: string, because: string) =>
      unitOfWork.run((scope) => closing.handle(scope, purpose, referenceId, because)),
    pays: (payableId: string, paymentId: string, amountCents: number) =>
      processor('succeeded', payableId, paymentId, amountCents),
    refunds: (payableId: string, paymentId: string, amountCents: number) =>
      processor('refunded', payableId, paymentId, amountCents),
    async payable(payableId: string) {
      const [row] = await db.dataSource.query(
        `SELECT status, paid_payment_id AS "settledBy", ended_because AS "endedBecause" FROM payables WHERE payable_id = $1`,
        [payableId],
      );
      return row;
    },
    trail: (payableId: string): Promise<{ kind: string; paymentId: string; outcome: string }[]> =>
      db.dataSource.query(
        `SELECT kind, payment_id AS "paymentId", outcome FROM processor_events WHERE payable_id = $1
         ORDER BY occurred_at, processor_event_id`,
        [payableId],
      ),
    published: (type: string, payableId: string): Promise<{ payload: Record<string, unknown> }[]> =>
      db.dataSource.query(
        `SELECT envelope->'payload' AS payload FROM outbox WHERE event_type = $1 AND envelope->'payload'->>'payableId' = $2
         ORDER BY id`,
        [type, payableId],
      ),
  };
}
