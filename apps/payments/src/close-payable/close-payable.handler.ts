import { Injectable } from '@nestjs/common';
import { EventScope } from '@recert/messaging';
import { itemEnded } from '@recert/rules';
import { PayablePurpose, PayableRepository } from '../database/payable.repository';

/**
 * What a payable pays for ended (a petition withdrawn or denied, an application refused or
 * denied): an open item closes, nothing is owed any more, and a payment that still arrives for it
 * is one to refund. A paid item stays paid (R6: a petition fee is kept), marked as ended.
 */
@Injectable()
export class ClosePayableHandler {
  /** Returns what became of the item, or null when there is none (an application refused at receipt owes nothing). */
  async handle(
    scope: EventScope,
    purpose: PayablePurpose,
    referenceId: string,
    because: string,
  ): Promise<string | null> {
    const repository = new PayableRepository(scope.manager);
    const payableId = PayableRepository.payableId(purpose, referenceId);
    await repository.lock(payableId);
    const payable = await repository.forUpdate(payableId);
    if (!payable) return null;
    const change = itemEnded(payable, because);
    if (change.payable !== payable) await repository.save({ ...payable, ...change.payable });
    return change.outcome;
  }
}
