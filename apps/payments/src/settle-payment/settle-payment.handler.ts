import { Injectable, Logger } from '@nestjs/common';
import { PayableSettled } from '@recert/contracts';
import { EventScope } from '@recert/messaging';
import { chargeArrived } from '@recert/rules';
import { PayableRecord, PayableRepository } from '../database/payable.repository';

/**
 * R6, R10: a captured payment settles an open item once. A charge for a paid item is a duplicate
 * charge, one for a closed or refunded item is to refund: recorded on the trail, never settled.
 */
@Injectable()
export class SettlePaymentHandler {
  private readonly logger = new Logger(SettlePaymentHandler.name);

  /** Applies one charge to a payable the caller holds locked; returns its outcome for the trail. */
  async apply(
    scope: EventScope,
    payable: PayableRecord,
    charge: { paymentId: string; amountCents: number },
  ): Promise<string> {
    const change = chargeArrived(payable, charge);
    if (change.effect === 'settled') {
      await new PayableRepository(scope.manager).save({ ...payable, ...change.payable });
      scope.publish(PayableSettled, {
        payableId: payable.payableId,
        purpose: payable.purpose,
        referenceId: payable.referenceId,
        trainerId: payable.trainerId,
        amountCents: charge.amountCents,
        paymentId: charge.paymentId,
      });
    }
    if (change.effect === 'to-refund')
      this.logger.warn(`${change.outcome} ${charge.paymentId} for ${payable.payableId} (${payable.status}): to refund`);
    return change.outcome;
  }
}
