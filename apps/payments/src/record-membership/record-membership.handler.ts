import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '@recert/clock';
import { EventScope } from '@recert/messaging';
import { MembershipPurchase, MembershipRepository } from '../database/membership.repository';

export type { MembershipPurchase };

/**
 * "Recertify for Life" is a membership fact the processor reports (the trainer bought it), recorded
 * here, where memberships are owned; never a flag an application sets for itself (issue 13). The
 * fee of an application received after it is waived (R10), see MembershipAtReceiptHandler.
 */
@Injectable()
export class RecordMembershipHandler {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  /** 'recorded', or null for a repeat of a membership or processor event already recorded. */
  async record(scope: EventScope, purchase: MembershipPurchase): Promise<'recorded' | null> {
    const recorded = await new MembershipRepository(scope.manager).record(purchase, this.clock.now());
    return recorded ? 'recorded' : null;
  }
}
