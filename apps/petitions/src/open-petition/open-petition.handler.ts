import { Inject, Injectable } from '@nestjs/common';
import { CoursePetitionSubmitted, PayloadOf, PetitionOpened } from '@recert/contracts';
import { EventScope } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { petitionFee, RecertPolicy } from '@recert/rules';
import { PetitionRepository } from '../database/petition.repository';

/** R6: a petition for a course that is not pre-approved opens, and its fee becomes due. */
@Injectable()
export class OpenPetitionHandler {
  constructor(@Inject(RECERT_POLICY) private readonly policy: RecertPolicy) {}

  async handle(scope: EventScope, p: PayloadOf<typeof CoursePetitionSubmitted>, submittedAt: string): Promise<void> {
    const fee = petitionFee(this.policy);
    const inserted = await new PetitionRepository(scope.manager).insert({
      petitionId: p.petitionId,
      trainerId: p.trainerId,
      courseTitle: p.courseTitle,
      providerName: p.providerName,
      completedOn: p.completedOn,
      contactHours: p.contactHours,
      certificateRef: p.certificateRef,
      completionId: p.completionId ?? null,
      feeCents: fee,
      submittedAt,
    });
    if (inserted) scope.publish(PetitionOpened, { petitionId: p.petitionId, trainerId: p.trainerId, feeCents: fee });
  }
}
