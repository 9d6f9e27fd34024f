import { paymentsTestKit } from '../testing/payments-test-kit';

/** DOMAIN.md, "Money": a refund is a fact, the money went back (real PostgreSQL). */
describe('Refunding payments (real PostgreSQL)', () => {
  let kit: Awaited<ReturnType<typeof paymentsTestKit>>;

  beforeAll(async () => {
    kit = await paymentsTestKit('it_refunds');
  });

  afterAll(async () => {
    await kit?.db.drop();
  });

  it('R10: the refund of the settling payment reopens the fee (PayableRefunded); a new payment settles it again', async () => {
    const payableId = 'application-fee:app-1';
    await kit.open('application-fee', 'app-1', 9_900);
    expect(await kit.pays(payableId, 'pay-1', 9_900)).toBe('settled');
    expect(await kit.refunds(payableId, 'pay-1', 9_900)).toBe('refunded: the fee is unpaid again');
    expect(await kit.payable(payableId)).toEqual({ status: 'open', settledBy: null, endedBecause: null });
    expect(await kit.published('PayableRefunded', payableId)).toEqual([
      {
        payload: {
          payableId,
          purpose: 'application-fee',
          referenceId: 'app-1',
          trainerId: 'T-1',
          amountCents: 9_900,
          paymentId: 'pay-1',
          reopened: true,
        },
      },
    ]);
    // The same payment refunded again (another processor event) changes nothing.
    expect(await kit.refunds(payableId, 'pay-1', 9_900)).toBe('ignored: payment pay-1 was already refunded');
    expect(await kit.pays(payableId, 'pay-2', 9_900)).toBe('settled');
    expect(await kit.payable(payableId)).toEqual({ status: 'paid', settledBy: 'pay-2', endedBecause: null });
    expect((await kit.published('PayableSettled', payableId)).map((e) => e.payload['paymentId'])).toEqual([
      'pay-1',
      'pay-2',
    ]);
  });

  it('Money: refunding the duplicate of two charges leaves the fee paid, recorded as the duplicate’s refund', async () => {
    const payableId = 'application-fee:app-2';
    await kit.open('application-fee', 'app-2', 9_900);
    await kit.pays(payableId, 'pay-a', 9_900);
    expect(await kit.pays(payableId, 'pay-b', 9_900)).toBe('duplicate-charge');
    expect(await kit.refunds(payableId, 'pay-b', 9_900)).toBe('refunded: the duplicate charge; the item stays paid');
    expect(await kit.payable(payableId)).toEqual({ status: 'paid', settledBy: 'pay-a', endedBecause: null });
    expect(await kit.published('PayableRefunded', payableId)).toEqual([]);
    expect(await kit.trail(payableId)).toEqual([
      { kind: 'succeeded', paymentId: 'pay-a', outcome: 'settled' },
      { kind: 'succeeded', paymentId: 'pay-b', outcome: 'duplicate-charge' },
      { kind: 'refunded', paymentId: 'pay-b', outcome: 'refunded: the duplicate charge; the item stays paid' },
    ]);
  });

  it('R6: a processor refund of a petition fee is recorded and flagged to ops; nothing reopens, nothing is published', async () => {
    const payableId = 'petition-fee:pet-1';
    await kit.open('petition-fee', 'pet-1', 2_500);
    await kit.pays(payableId, 'pay-p', 2_500);
    expect(await kit.refunds(payableId, 'pay-p', 2_500)).toBe(
      'refunded: flagged to ops (R6: petition fees are non-refundable; the petition is unaffected)',
    );
    expect(await kit.payable(payableId)).toEqual({ status: 'refunded', settledBy: 'pay-p', endedBecause: null });
    expect(await kit.published('PayableRefunded', payableId)).toEqual([]);
    // A charge for the refunded item never settles it: it is to refund.
    expect(await kit.pays(payableId, 'pay-q', 2_500)).toBe('to-refund');
  });

  it('Money: a refund of a payment this item never had, or for an item that does not exist, changes nothing', async () => {
    await kit.open('application-fee', 'app-3', 9_900);
    await kit.pays('application-fee:app-3', 'pay-c', 9_900);
    expect(await kit.refunds('application-fee:app-3', 'pay-zzz', 9_900)).toBe(
      'ignored: no charge pay-zzz on this item',
    );
    expect(await kit.refunds('application-fee:nowhere', 'pay-zzz', 9_900)).toBe('unknown-payable');
    expect((await kit.payable('application-fee:app-3')).status).toBe('paid');
  });
});
