import { Injectable, Logger } from '@nestjs/common';
import { PayableSettled, PayloadOf } from '@recert/contracts';
import { EventScope } from '@recert/messaging';
import { recordFeePaid } from '@recert/rules';
import { PetitionRepository } from '../database/petition.repository';

/** R6: the petition fee paid; only now may staff review the petition. */
@Injectable()
export class RecordPetitionFeeHandler {
  private readonly logger = new Logger(RecordPetitionFeeHandler.name);

  async handle(scope: EventScope, s: PayloadOf<typeof PayableSettled>): Promise<void> {
    if (s.purpose !== 'petition-fee') return;
    const repository = new PetitionRepository(scope.manager);
    const petition = await repository.forUpdate(s.referenceId);
    if (!petition) return;
    const next = recordFeePaid(petition);
    // A closed petition's payable takes no payment (payments records it as one to refund), so this is a stale repeat.
    if (!next.ok) return this.logger.warn(`${s.referenceId}: ${next.reason}`);
    await repository.save({ ...petition, ...next.petition });
  }
}
