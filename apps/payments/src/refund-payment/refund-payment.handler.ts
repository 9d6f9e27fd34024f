import { Injectable, Logger } from '@nestjs/common';
import { PayableRefunded } from '@recert/contracts';
import { EventScope } from '@recert/messaging';
import { refundArrived } from '@recert/rules';
import { PayableRecord, PayableRepository, ProcessorEvent } from '../database/payable.repository';

/**
 * A refund is a fact: the money went back (DOMAIN.md, "Money"). The settling payment of an
 * application fee refunded: the fee is unpaid again (PayableRefunded, so the application waits for
 * payment). The refund of a duplicate leaves the fee paid. A petition fee refund is recorded and
 * flagged to ops (R6: policy says none); the petition is unaffected.
 */
@Injectable()
export class RefundPaymentHandler {
  private readonly logger = new Logger(RefundPaymentHandler.name);

  /** Applies one refund to a payable the caller holds locked; returns its outcome for the trail. */
  async apply(scope: EventScope, payable: PayableRecord, e: ProcessorEvent): Promise<string> {
    const repository = new PayableRepository(scope.manager);
    const charge = await repository.charge(payable.payableId, e.paymentId, e.processorEventId);
    const change = refundArrived(payable, { paymentId: e.paymentId }, charge);
    if (change.payable !== payable) await repository.save({ ...payable, ...change.payable });
    if (change.effect === 'reopened' || change.effect === 'refunded')
      scope.publish(PayableRefunded, {
        payableId: payable.payableId,
        purpose: payable.purpose,
        referenceId: payable.referenceId,
        trainerId: payable.trainerId,
        amountCents: payable.amountCents,
        paymentId: e.paymentId,
        reopened: change.effect === 'reopened',
      });
    if (change.effect === 'flagged')
      this.logger.warn(`petition fee ${payable.payableId} refunded by the processor (${e.paymentId}): flagged to ops`);
    return change.outcome;
  }
}
