import { Injectable } from '@nestjs/common';
import { EventScope } from '@recert/messaging';
import { PayableRepository, ProcessorEvent, ProcessorEventKind } from '../database/payable.repository';
import { RefundPaymentHandler } from '../refund-payment/refund-payment.handler';
import { SettlePaymentHandler } from './settle-payment.handler';

export type { PayablePurpose, ProcessorEvent, ProcessorEventKind } from '../database/payable.repository';

/**
 * Where every processor event lands, from Kafka or the webhook: recorded once per processor event
 * id (a redelivery in a new envelope changes nothing), then applied to its item by the use case
 * it belongs to (a success settles, a refund refunds). A success that arrives before its item
 * exists waits for it ('awaiting-payable') and is applied when it opens.
 */
@Injectable()
export class PayableLedger {
  constructor(
    private readonly settle: SettlePaymentHandler,
    private readonly refund: RefundPaymentHandler,
  ) {}

  static payableId = PayableRepository.payableId;

  /** Returns what became of the event, or null for a repeat. */
  async recordProcessorEvent(scope: EventScope, kind: ProcessorEventKind, e: ProcessorEvent): Promise<string | null> {
    const repository = new PayableRepository(scope.manager);
    await repository.lock(e.payableId);
    const initial = kind === 'succeeded' ? 'awaiting-payable' : kind === 'failed' ? 'item stays open' : 'received';
    if (!(await repository.recordEvent(kind, e, initial))) return null;
    if (kind === 'failed') return initial;
    const payable = await repository.forUpdate(e.payableId);
    const outcome = !payable
      ? kind === 'succeeded'
        ? initial
        : 'unknown-payable'
      : kind === 'succeeded'
        ? await this.settle.apply(scope, payable, e)
        : await this.refund.apply(scope, payable, e);
    await repository.setOutcome(e.processorEventId, outcome);
    return outcome;
  }
}
