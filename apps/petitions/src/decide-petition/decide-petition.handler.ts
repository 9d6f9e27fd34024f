import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '@recert/clock';
import { PetitionApproved, PetitionClosed } from '@recert/contracts';
import { EventScope, UnitOfWork } from '@recert/messaging';
import { recordStaffAction } from '@recert/platform';
import {
  approvePetition,
  CeuHundredths,
  denyPetition,
  INVALID_GRANT_CODES,
  PetitionTransition,
  startReview,
} from '@recert/rules';
import { PetitionActionKind, PetitionRecord, PetitionRepository } from '../database/petition.repository';
import { PetitionView, petitionView } from '../query-petitions/petition-view';

/** Who acts: the authenticated staff member (name and roles), recorded with the act. */
export interface Actor {
  readonly name: string;
  readonly roles: readonly string[];
}

/** A staff act's result: the petition as it now is, or why it was refused (404, 409, or 400 for a bad grant). */
export type DecisionResult =
  | { readonly ok: true; readonly petition: PetitionView }
  | { readonly ok: false; readonly status: 400 | 404 | 409; readonly message: string };

/**
 * Staff work the petition queue (R6): start the review once the fee is paid, then approve with the
 * CEUs granted (R3: at most contact hours × 0.1) or deny. Each act records who, when and why.
 */
@Injectable()
export class DecidePetitionHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  review(petitionId: string, by: Actor, reason: string | null): Promise<DecisionResult> {
    return this.act(petitionId, by, 'review', reason, (p) => startReview(p));
  }

  approve(petitionId: string, by: Actor, ceuGranted: CeuHundredths, reason: string): Promise<DecisionResult> {
    return this.act(
      petitionId,
      by,
      'approve',
      reason,
      (p) => approvePetition(p, { ceuGranted, contactHours: p.contactHours, reason }),
      (scope, p) =>
        scope.publish(PetitionApproved, {
          petitionId: p.petitionId,
          trainerId: p.trainerId,
          ceuHundredths: p.ceuGranted ?? 0,
          completedOn: p.completedOn,
          completionId: p.completionId,
          courseTitle: p.courseTitle,
        }),
    );
  }

  deny(petitionId: string, by: Actor, reason: string): Promise<DecisionResult> {
    return this.act(
      petitionId,
      by,
      'deny',
      reason,
      (p) => denyPetition(p, reason),
      (scope, p) =>
        scope.publish(PetitionClosed, {
          petitionId: p.petitionId,
          trainerId: p.trainerId,
          outcome: 'denied',
          reason,
          closedAt: this.clock.now().toISOString(),
        }),
    );
  }

  private act(
    petitionId: string,
    by: Actor,
    action: PetitionActionKind,
    reason: string | null,
    change: (petition: PetitionRecord) => PetitionTransition,
    then?: (scope: EventScope, petition: PetitionRecord) => void,
  ): Promise<DecisionResult> {
    return this.unitOfWork.run(async (scope): Promise<DecisionResult> => {
      const repository = new PetitionRepository(scope.manager);
      const petition = await repository.forUpdate(petitionId);
      if (!petition) return { ok: false, status: 404, message: `petition ${petitionId} does not exist` };
      const result = change(petition);
      if (!result.ok)
        return { ok: false, status: INVALID_GRANT_CODES.includes(result.code) ? 400 : 409, message: result.reason };
      const next: PetitionRecord = { ...petition, ...result.petition };
      await repository.save(next);
      const at = this.clock.now();
      await repository.recordAction(petitionId, action, by, at, reason, next.ceuGranted);
      await recordStaffAction(scope.manager, {
        at,
        by,
        action: `petition.${action}`,
        subject: petitionId,
        reason,
        details: next.ceuGranted === null ? {} : { ceuGrantedHundredths: next.ceuGranted },
      });
      then?.(scope, next);
      return { ok: true, petition: await petitionView(repository, next) };
    });
  }
}
