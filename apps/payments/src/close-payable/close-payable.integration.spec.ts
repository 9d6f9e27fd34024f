import { paymentsTestKit } from '../testing/payments-test-kit';

/** A payable closes when what it pays for ends; a payment for it is then one to refund (real PostgreSQL). */
describe('Closing payables (real PostgreSQL)', () => {
  let kit: Awaited<ReturnType<typeof paymentsTestKit>>;

  beforeAll(async () => {
    kit = await paymentsTestKit('it_close');
  });

  afterAll(async () => {
    await kit?.db.drop();
  });

  it('R6: a withdrawn petition closes its open fee; a payment then sent for it is to refund, never settles', async () => {
    const payableId = 'petition-fee:pet-w';
    await kit.open('petition-fee', 'pet-w', 2_500);
    expect(await kit.close('petition-fee', 'pet-w', 'petition withdrawn')).toBe('closed');
    expect(await kit.payable(payableId)).toEqual({
      status: 'closed',
      settledBy: null,
      endedBecause: 'petition withdrawn',
    });
    expect(await kit.pays(payableId, 'pay-1', 2_500)).toBe('to-refund');
    expect(await kit.payable(payableId)).toEqual({
      status: 'closed',
      settledBy: null,
      endedBecause: 'petition withdrawn',
    });
    expect(await kit.published('PayableSettled', payableId)).toEqual([]);
    // Closing again (a redelivered end in a new envelope) changes nothing.
    expect(await kit.close('petition-fee', 'pet-w', 'petition withdrawn')).toBe('already ended (petition withdrawn)');
    // Once ops gives it back, it no longer awaits a refund.
    expect(await kit.refunds(payableId, 'pay-1', 2_500)).toBe(
      'refunded: a charge for an item that had ended; the item stays closed',
    );
  });

  it('R12: a denied application closes its open fee; a paid petition fee of a denied petition stays paid (R6)', async () => {
    await kit.open('application-fee', 'app-d', 9_900);
    expect(await kit.close('application-fee', 'app-d', 'application denied')).toBe('closed');
    expect((await kit.payable('application-fee:app-d')).status).toBe('closed');

    await kit.open('petition-fee', 'pet-d', 2_500);
    await kit.pays('petition-fee:pet-d', 'pay-d', 2_500);
    expect(await kit.close('petition-fee', 'pet-d', 'petition denied')).toBe('ended while paid');
    expect(await kit.payable('petition-fee:pet-d')).toEqual({
      status: 'paid',
      settledBy: 'pay-d',
      endedBecause: 'petition denied',
    });
  });

  it('R9: an application refused at receipt has no payable: its end changes nothing', async () => {
    expect(await kit.close('application-fee', 'app-refused', 'application refused')).toBeNull();
  });

  it('Money: the settling payment of a denied application refunded: refunded, nothing is owed, the application is told', async () => {
    await kit.open('application-fee', 'app-e', 9_900);
    await kit.pays('application-fee:app-e', 'pay-e', 9_900);
    expect(await kit.close('application-fee', 'app-e', 'application denied')).toBe('ended while paid');
    expect(await kit.refunds('application-fee:app-e', 'pay-e', 9_900)).toBe(
      'refunded: nothing is owed (application denied)',
    );
    expect((await kit.payable('application-fee:app-e')).status).toBe('refunded');
    expect((await kit.published('PayableRefunded', 'application-fee:app-e')).map((e) => e.payload['reopened'])).toEqual(
      [false],
    );
  });
});
