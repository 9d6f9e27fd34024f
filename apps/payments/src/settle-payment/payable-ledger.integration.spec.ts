import { paymentsTestKit } from '../testing/payments-test-kit';

/**
 * Opening a payable and the processor's success for it arrive on different topics and may be
 * handled at the same moment. Whatever the interleaving, each fee is settled exactly once.
 */
describe('Settling payments (real PostgreSQL)', () => {
  let kit: Awaited<ReturnType<typeof paymentsTestKit>>;

  beforeAll(async () => {
    kit = await paymentsTestKit('it_payables', 20);
  });

  afterAll(async () => {
    await kit?.db.drop();
  });

  it('R6/R10: 40 fees opened while their payments arrive are each settled once', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `petition-${i}`);
    await Promise.all(
      ids.flatMap((id) => [kit.open('petition-fee', id, 2_500), kit.pays(`petition-fee:${id}`, `pay-${id}`, 2_500)]),
    );
    const payables = await kit.db.dataSource.query(`SELECT status, count(*)::int AS n FROM payables GROUP BY status`);
    expect(payables).toEqual([{ status: 'paid', n: 40 }]);
    const settled = await kit.db.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE event_type = 'PayableSettled'`,
    );
    expect(settled).toEqual([{ n: 40 }]);
    const outcomes = await kit.db.dataSource.query(`SELECT DISTINCT outcome FROM processor_events`);
    expect(outcomes).toEqual([{ outcome: 'settled' }]);
  });

  it('R6: a second success is a duplicate charge, not a second settlement; a redelivery changes nothing', async () => {
    const payableId = 'petition-fee:petition-x';
    await kit.open('petition-fee', 'petition-x', 2_500);
    expect(await kit.pays(payableId, 'pay-x-1', 2_500)).toBe('settled');
    const [{ id }] = await kit.db.dataSource.query(
      `SELECT processor_event_id AS id FROM processor_events WHERE payment_id = 'pay-x-1'`,
    );
    const redelivered = await kit.unitOfWork.run((scope) =>
      kit.ledger.recordProcessorEvent(scope, 'succeeded', {
        processorEventId: id,
        paymentId: 'pay-x-1',
        payableId,
        amountCents: 2_500,
        occurredAt: '2027-03-01T10:00:00Z',
      }),
    );
    expect(redelivered).toBeNull();
    expect(await kit.pays(payableId, 'pay-x-2', 2_500)).toBe('duplicate-charge');
    expect(
      await kit.unitOfWork.run((scope) =>
        kit.ledger.recordProcessorEvent(scope, 'failed', {
          processorEventId: 'evt-failed-x',
          paymentId: 'pay-x-3',
          payableId,
          amountCents: 2_500,
          occurredAt: '2027-03-01T10:05:00Z',
        }),
      ),
    ).toBe('item stays open');
    expect(await kit.payable(payableId)).toEqual({ status: 'paid', settledBy: 'pay-x-1', endedBecause: null });
  });

  it('R10: a payment of another amount does not settle; a payment before its item exists waits for it', async () => {
    expect(await kit.pays('application-fee:app-early', 'pay-e-1', 9_900)).toBe('awaiting-payable');
    await kit.open('application-fee', 'app-early', 9_900);
    expect(await kit.payable('application-fee:app-early')).toEqual({
      status: 'paid',
      settledBy: 'pay-e-1',
      endedBecause: null,
    });
    await kit.open('application-fee', 'app-short', 9_900);
    expect(await kit.pays('application-fee:app-short', 'pay-s-1', 9_000)).toBe('wrong-amount: 9000 of 9900 cents');
    expect((await kit.payable('application-fee:app-short')).status).toBe('open');
  });
});
