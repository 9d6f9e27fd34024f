import { MembershipPurchase } from '../database/membership.repository';
import { ProcessorEvent, ProcessorEventKind } from '../settle-payment/payable-ledger';

/**
 * One event the processor reported, read from its webhook and proven to come from it: about a
 * payment of a payable item, or a Recertify for Life membership bought.
 */
export type VerifiedProcessorEvent =
  | { readonly kind: ProcessorEventKind; readonly event: ProcessorEvent }
  | { readonly kind: 'membership-purchased'; readonly membership: MembershipPurchase };

/** Why a webhook call was refused; `status` is the HTTP status to answer with. */
export class ProcessorWebhookRefused extends Error {
  constructor(
    readonly status: 400 | 401 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'ProcessorWebhookRefused';
  }
}

/**
 * The payment processor, as payments sees it: where a trainer pays a payable item (its id is the
 * processor's idempotency key, so one item is charged once however often checkout is retried),
 * and how to trust and read what its webhook reports. The same facts may also arrive on the
 * `payments.processor-events` topic; both paths settle through the same ledger and record
 * memberships the same way.
 */
export interface PaymentProcessor {
  readonly name: string;
  /** Where the trainer pays this item. */
  checkoutFor(payable: { payableId: string; amountCents: number }): {
    processor: string;
    url: string;
    idempotencyKey: string;
  };
  /** Checks the signature over the raw body and reads the event; throws `ProcessorWebhookRefused`. */
  verifyWebhook(
    rawBody: Buffer | undefined,
    headers: Record<string, string | string[] | undefined>,
  ): VerifiedProcessorEvent;
}

export const PAYMENT_PROCESSOR = Symbol('PaymentProcessor');
