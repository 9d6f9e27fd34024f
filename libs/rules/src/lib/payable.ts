/**
 * Money (DOMAIN.md, "Money" and its clarification): every fee is one payable item, and what the
 * processor reports about it are facts applied here.
 *
 * - open → paid: the first charge of the right amount settles it (and names the payment).
 * - paid → open: the settling payment was refunded: the money went back, the fee is unpaid again
 *   and its application waits for payment (R10, R12).
 * - paid → refunded: the settling payment was refunded after the item ended (its application
 *   denied or refused), or it was a petition fee: policy says petition fees are non-refundable (R6),
 *   so a processor's refund of one is recorded and flagged to ops; the petition is unaffected.
 * - open → closed: what it paid for ended (petition withdrawn or denied, application refused or
 *   denied). A charge for a closed (or refunded) item never settles it: it is one to refund.
 *
 * A charge for a paid item is a duplicate charge (to refund); refunding it leaves the fee paid.
 */
export type PayablePurpose = 'application-fee' | 'petition-fee';
export type PayableStatus = 'open' | 'paid' | 'refunded' | 'closed';

export interface Payable {
  readonly purpose: PayablePurpose;
  readonly status: PayableStatus;
  readonly amountCents: number;
  /** The payment that settled it while it is paid (or refunded); null while open. */
  readonly settledBy: string | null;
  /** Why what it pays for ended (e.g. "petition withdrawn"); null while it is live. */
  readonly endedBecause: string | null;
}

/** What a processor event or an item's end does: the payable after it, its outcome for the trail, the effect to publish. */
export interface PayableChange {
  readonly payable: Payable;
  readonly outcome: string;
  readonly effect: 'settled' | 'reopened' | 'refunded' | 'flagged' | 'to-refund' | 'closed' | 'none';
}

/** The trail's outcome of a charge that can never settle its item: it is to be given back. */
export const TO_REFUND = 'to-refund';
export const DUPLICATE_CHARGE = 'duplicate-charge';
export const PETITION_FEE_REFUND_FLAG =
  'refunded: flagged to ops (R6: petition fees are non-refundable; the petition is unaffected)';

const unchanged = (payable: Payable, outcome: string, effect: PayableChange['effect'] = 'none'): PayableChange => ({
  payable,
  outcome,
  effect,
});

/** The processor captured a payment for this item. */
export function chargeArrived(payable: Payable, charge: { paymentId: string; amountCents: number }): PayableChange {
  if (payable.status === 'paid') return unchanged(payable, DUPLICATE_CHARGE, 'to-refund');
  if (payable.status !== 'open') return unchanged(payable, TO_REFUND, 'to-refund');
  if (charge.amountCents !== payable.amountCents)
    return unchanged(payable, `wrong-amount: ${charge.amountCents} of ${payable.amountCents} cents`);
  return {
    payable: { ...payable, status: 'paid', settledBy: charge.paymentId },
    outcome: 'settled',
    effect: 'settled',
  };
}

/** What the trail knows of the refunded payment on this item: how its charge ended, and whether it was refunded already. */
export interface RefundedCharge {
  readonly outcome: string;
  readonly alreadyRefunded: boolean;
}

const WHAT_A_CHARGE_WAS: Record<string, string> = {
  [DUPLICATE_CHARGE]: 'the duplicate charge',
  [TO_REFUND]: 'a charge for an item that had ended',
};

/** The processor gave a payment back: a fact, whatever policy says. */
export function refundArrived(
  payable: Payable,
  refund: { paymentId: string },
  charge: RefundedCharge | null,
): PayableChange {
  if (!charge) return unchanged(payable, `ignored: no charge ${refund.paymentId} on this item`);
  if (charge.alreadyRefunded) return unchanged(payable, `ignored: payment ${refund.paymentId} was already refunded`);
  if (payable.status === 'paid' && payable.settledBy === refund.paymentId) {
    if (payable.purpose === 'petition-fee')
      return { payable: { ...payable, status: 'refunded' }, outcome: PETITION_FEE_REFUND_FLAG, effect: 'flagged' };
    if (payable.endedBecause)
      return {
        payable: { ...payable, status: 'refunded' },
        outcome: `refunded: nothing is owed (${payable.endedBecause})`,
        effect: 'refunded',
      };
    return {
      payable: { ...payable, status: 'open', settledBy: null },
      outcome: 'refunded: the fee is unpaid again',
      effect: 'reopened',
    };
  }
  const what = WHAT_A_CHARGE_WAS[charge.outcome] ?? `a charge that did not settle it (${charge.outcome})`;
  return unchanged(payable, `refunded: ${what}; the item stays ${payable.status}`);
}

/** What the item pays for ended: an open item closes (nothing is owed any more); a paid one is marked as ended. */
export function itemEnded(payable: Payable, because: string): PayableChange {
  if (payable.endedBecause) return unchanged(payable, `already ended (${payable.endedBecause})`);
  if (payable.status === 'open')
    return { payable: { ...payable, status: 'closed', endedBecause: because }, outcome: 'closed', effect: 'closed' };
  return unchanged({ ...payable, endedBecause: because }, `ended while ${payable.status}`);
}
