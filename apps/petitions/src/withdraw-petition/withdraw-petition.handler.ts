import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, CLOCK } from '@recert/clock';
import { CoursePetitionWithdrawn, PayloadOf, PetitionClosed } from '@recert/contracts';
import { EventScope } from '@recert/messaging';
import { withdrawPetition } from '@recert/rules';
import { PetitionRepository } from '../database/petition.repository';

/**
 * R6: withdrawing is the trainer's act (through the student portal), before a decision. The
 * petition closes, and with it its fee if still open (payments closes the payable); a paid fee is
 * kept. A withdrawal for a petition of another trainer, or for a decided one, changes nothing.
 */
@Injectable()
export class WithdrawPetitionHandler {
  private readonly logger = new Logger(WithdrawPetitionHandler.name);

  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  async handle(scope: EventScope, w: PayloadOf<typeof CoursePetitionWithdrawn>): Promise<string> {
    const repository = new PetitionRepository(scope.manager);
    const petition = await repository.forUpdate(w.petitionId);
    if (!petition || petition.trainerId !== w.trainerId) {
      this.logger.warn(`withdrawal of ${w.petitionId} by ${w.trainerId}: no such petition of this trainer`);
      return 'ignored: no such petition of this trainer';
    }
    const result = withdrawPetition(petition);
    if (!result.ok) {
      this.logger.warn(`withdrawal of ${w.petitionId}: ${result.reason}`);
      return `ignored: ${result.reason}`;
    }
    const now = this.clock.now();
    await repository.save({ ...petition, ...result.petition });
    await repository.recordAction(
      w.petitionId,
      'withdraw',
      { name: w.trainerId, roles: ['trainer'] },
      now,
      w.reason ?? null,
    );
    scope.publish(PetitionClosed, {
      petitionId: w.petitionId,
      trainerId: w.trainerId,
      outcome: 'withdrawn',
      reason: w.reason ?? null,
      closedAt: now.toISOString(),
    });
    return 'withdrawn';
  }
}
