import { Injectable } from '@nestjs/common';
import { EventScope } from '@recert/messaging';
import { PayablePurpose, PayableRepository } from '../database/payable.repository';
import { SettlePaymentHandler } from '../settle-payment/settle-payment.handler';

/** A fee becomes owed: one payable item; payments that came before it are applied now. */
@Injectable()
export class OpenPayableHandler {
  constructor(private readonly settle: SettlePaymentHandler) {}

  async open(
    scope: EventScope,
    purpose: PayablePurpose,
    referenceId: string,
    trainerId: string,
    amountCents: number,
  ): Promise<void> {
    const repository = new PayableRepository(scope.manager);
    const payableId = PayableRepository.payableId(purpose, referenceId);
    await repository.lock(payableId);
    if (!(await repository.insert({ payableId, purpose, referenceId, trainerId, amountCents }))) return;
    for (const early of await repository.awaitingPayable(payableId)) {
      const payable = await repository.forUpdate(payableId);
      // The item was inserted above under the lock: it is there.
      const outcome = await this.settle.apply(scope, payable as NonNullable<typeof payable>, early);
      await repository.setOutcome(early.processorEventId, outcome);
    }
  }
}
