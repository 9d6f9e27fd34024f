import { Injectable, OnModuleInit } from '@nestjs/common';
import { CredentialLapsed } from '@recert/contracts';
import { DeadlineRecord, DeadlineRunner } from '@recert/deadlines';
import { EventScope } from '@recert/messaging';
import { RecertificationRepository } from '../database/recertification.repository';
import { ApplicationDecider } from '../decide-application/application-decider';
import { CycleDeadlinePayload, CycleDeadlines, cycleOf } from './cycle-deadlines';

/**
 * The end of a cycle's final window (expiration + 1 year). Policy (R10, "No application stays
 * open forever"): an application still waiting for its fee is decided now, and the decider
 * denies it naming R10. R9: the credential then lapses unless an application was received within
 * the final window and is still decided on its merits (or was approved).
 */
@Injectable()
export class FinalWindowEnd implements OnModuleInit {
  constructor(
    private readonly runner: DeadlineRunner,
    private readonly cycles: CycleDeadlines,
    private readonly decider: ApplicationDecider,
  ) {}

  onModuleInit(): void {
    this.runner.register('final-window-end', (scope, d) => this.execute(scope, d));
  }

  async execute(scope: EventScope, d: DeadlineRecord): Promise<string> {
    const p = d.payload as unknown as CycleDeadlinePayload;
    const unpaid = await new RecertificationRepository(scope.manager).unpaidApplications(
      p.credentialId,
      p.cycleExpiresOn,
    );
    for (const applicationId of unpaid) await this.decider.evaluate(scope, applicationId);
    const denied = unpaid.length > 0 ? ` (${unpaid.length} unpaid denied, R10)` : '';
    if (await this.cycles.applicationIn(scope, p, ['approved', 'submitted', 'received']))
      return `stale: an application was received in time${denied}`;
    scope.publish(CredentialLapsed, { ...cycleOf(p), lapsedOn: p.dueOn });
    return `lapsed${denied}`;
  }
}
