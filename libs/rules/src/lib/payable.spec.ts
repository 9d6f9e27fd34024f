import {
  chargeArrived,
  DUPLICATE_CHARGE,
  itemEnded,
  Payable,
  PETITION_FEE_REFUND_FLAG,
  refundArrived,
  TO_REFUND,
} from './payable';

const applicationFee: Payable = {
  purpose: 'application-fee',
  status: 'open',
  amountCents: 9_900,
  settledBy: null,
  endedBecause: null,
};
const petitionFee: Payable = { ...applicationFee, purpose: 'petition-fee', amountCents: 2_500 };
const paid = (p: Payable, by = 'pay-1'): Payable => ({ ...p, status: 'paid', settledBy: by });
const charge = (outcome: string, alreadyRefunded = false) => ({ outcome, alreadyRefunded });

describe('Money: a payable item follows the facts the processor reports (R6, R10)', () => {
  it('R10: the first charge of the right amount settles an open item, naming the payment', () => {
    expect(chargeArrived(applicationFee, { paymentId: 'pay-1', amountCents: 9_900 })).toEqual({
      payable: { ...applicationFee, status: 'paid', settledBy: 'pay-1' },
      outcome: 'settled',
      effect: 'settled',
    });
  });

  it('R10: a charge of another amount does not settle the item', () => {
    expect(chargeArrived(applicationFee, { paymentId: 'pay-1', amountCents: 9_800 })).toEqual({
      payable: applicationFee,
      outcome: 'wrong-amount: 9800 of 9900 cents',
      effect: 'none',
    });
  });

  it('Money: a second charge for a paid fee is a duplicate charge, to refund', () => {
    expect(chargeArrived(paid(applicationFee), { paymentId: 'pay-2', amountCents: 9_900 })).toEqual({
      payable: paid(applicationFee),
      outcome: 'duplicate-charge',
      effect: 'to-refund',
    });
    expect(DUPLICATE_CHARGE).toBe('duplicate-charge');
  });

  it.each(['closed', 'refunded'] as const)(
    'Money: a charge for a %s item never settles it: it is to refund',
    (status) => {
      const item: Payable = { ...petitionFee, status, endedBecause: 'petition withdrawn' };
      expect(chargeArrived(item, { paymentId: 'pay-9', amountCents: 2_500 })).toEqual({
        payable: item,
        outcome: 'to-refund',
        effect: 'to-refund',
      });
      expect(TO_REFUND).toBe('to-refund');
    },
  );

  it('Money/R10: the settling payment of an application fee refunded: the fee is unpaid again (open)', () => {
    expect(refundArrived(paid(applicationFee), { paymentId: 'pay-1' }, charge('settled'))).toEqual({
      payable: applicationFee,
      outcome: 'refunded: the fee is unpaid again',
      effect: 'reopened',
    });
  });

  it('Money: refunding the duplicate of two charges leaves the fee paid', () => {
    expect(refundArrived(paid(applicationFee), { paymentId: 'pay-2' }, charge('duplicate-charge'))).toEqual({
      payable: paid(applicationFee),
      outcome: 'refunded: the duplicate charge; the item stays paid',
      effect: 'none',
    });
  });

  it('Money: refunding a charge made for a closed item leaves it closed', () => {
    const closed: Payable = { ...applicationFee, status: 'closed', endedBecause: 'application denied' };
    expect(refundArrived(closed, { paymentId: 'pay-3' }, charge('to-refund')).outcome).toBe(
      'refunded: a charge for an item that had ended; the item stays closed',
    );
  });

  it('Money: refunding a charge of the wrong amount leaves the item as it is', () => {
    expect(refundArrived(applicationFee, { paymentId: 'pay-4' }, charge('wrong-amount: 1 of 9900 cents'))).toEqual({
      payable: applicationFee,
      outcome: 'refunded: a charge that did not settle it (wrong-amount: 1 of 9900 cents); the item stays open',
      effect: 'none',
    });
  });

  it('R6: a processor refund of a petition fee is recorded and flagged; the item is refunded, nothing reopens', () => {
    expect(refundArrived(paid(petitionFee), { paymentId: 'pay-1' }, charge('settled'))).toEqual({
      payable: { ...paid(petitionFee), status: 'refunded' },
      outcome: PETITION_FEE_REFUND_FLAG,
      effect: 'flagged',
    });
    expect(PETITION_FEE_REFUND_FLAG).toBe(
      'refunded: flagged to ops (R6: petition fees are non-refundable; the petition is unaffected)',
    );
  });

  it('Money: the settling payment refunded after its application ended: refunded, nothing is owed', () => {
    const ended: Payable = { ...paid(applicationFee), endedBecause: 'application denied' };
    expect(refundArrived(ended, { paymentId: 'pay-1' }, charge('settled'))).toEqual({
      payable: { ...ended, status: 'refunded' },
      outcome: 'refunded: nothing is owed (application denied)',
      effect: 'refunded',
    });
  });

  it('Money: a refund of a payment the item never had, or of one already refunded, changes nothing', () => {
    expect(refundArrived(paid(applicationFee), { paymentId: 'pay-x' }, null)).toEqual({
      payable: paid(applicationFee),
      outcome: 'ignored: no charge pay-x on this item',
      effect: 'none',
    });
    expect(refundArrived(paid(applicationFee, 'pay-2'), { paymentId: 'pay-1' }, charge('settled', true))).toEqual({
      payable: paid(applicationFee, 'pay-2'),
      outcome: 'ignored: payment pay-1 was already refunded',
      effect: 'none',
    });
  });

  it('Money: after a refund reopened the fee, a new payment settles it again', () => {
    const reopened = refundArrived(paid(applicationFee), { paymentId: 'pay-1' }, charge('settled')).payable;
    expect(chargeArrived(reopened, { paymentId: 'pay-2', amountCents: 9_900 })).toMatchObject({
      payable: { status: 'paid', settledBy: 'pay-2' },
      effect: 'settled',
    });
  });

  it('R6/R12: an open item closes when what it pays for ends; nothing is owed any more', () => {
    expect(itemEnded(applicationFee, 'application denied')).toEqual({
      payable: { ...applicationFee, status: 'closed', endedBecause: 'application denied' },
      outcome: 'closed',
      effect: 'closed',
    });
  });

  it('R6: a paid item whose petition ended stays paid (non-refundable), marked as ended', () => {
    expect(itemEnded(paid(petitionFee), 'petition withdrawn')).toEqual({
      payable: { ...paid(petitionFee), endedBecause: 'petition withdrawn' },
      outcome: 'ended while paid',
      effect: 'none',
    });
  });

  it('Money: an item ends once; a second end changes nothing', () => {
    const closed = itemEnded(applicationFee, 'application refused').payable;
    expect(itemEnded(closed, 'application denied')).toEqual({
      payable: closed,
      outcome: 'already ended (application refused)',
      effect: 'none',
    });
  });
});
