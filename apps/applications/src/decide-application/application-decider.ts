import { Inject, Injectable } from '@nestjs/common';
import { ApplicationDecided, CycleStarted } from '@recert/contracts';
import { Clock, CLOCK } from '@recert/clock';
import { EventScope } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { CalendarDate, cents, checkCprAed, decide, nextCycle, RecertPolicy, RecertificationFee } from '@recert/rules';
import { RecertificationRepository } from '../database/recertification.repository';
import { CycleDeadlines } from '../enforce-cycle-deadlines/cycle-deadlines';
import { auditForDecision } from '../track-audits/audit-findings';

/**
 * R12: re-evaluates an open application whenever something it waits on arrives (fee paid,
 * audit drawn or completed, ledger changed). Once every rule has a verdict it is approved or
 * denied, rule by rule; an approval starts the next cycle (R1). A decided application is final.
 */
@Injectable()
export class ApplicationDecider {
  constructor(
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly deadlines: CycleDeadlines,
  ) {}

  async evaluate(scope: EventScope, applicationId: string): Promise<void> {
    const repository = new RecertificationRepository(scope.manager);
    const application = await repository.application(applicationId);
    if (!application || application.status !== 'submitted') return;
    const credential = await repository.credentialForUpdate(application.trainerId);
    if (!credential || !credential.currentCycle.expiresOn.equals(application.cycleExpiresOn)) return;
    const ledger = await repository.ledger(application.trainerId, application.cycleExpiresOn);
    if (!ledger) return;

    const fee: RecertificationFee = {
      tier: application.feeTier ?? 'standard',
      receivedOn: application.receivedOn,
      daysAfterExpiration: Math.max(0, application.cycleExpiresOn.daysUntil(application.receivedOn)),
      lines: application.feeLines ?? [],
      total: cents(application.feeTotalCents ?? 0),
    };
    const decision = decide(
      {
        cycle: credential.currentCycle,
        receivedOn: application.receivedOn,
        tally: ledger.tally,
        cprAed: checkCprAed(ledger.cprAedCards, application.receivedOn, this.policy),
        fee,
        feePaid: application.feePaid,
        // Until the draw arrives the audit is as good as pending; a failure comes with its findings.
        audit: await auditForDecision(scope.manager, applicationId, application.auditState ?? 'awaiting-documents'),
      },
      this.policy,
    );
    if (decision.outcome === 'pending') return;

    const decidedOn = CalendarDate.fromInstant(this.clock.now(), credential.timeZone);
    await repository.recordDecision(applicationId, decision.outcome, decision, decidedOn);
    scope.publish(ApplicationDecided, {
      applicationId,
      trainerId: application.trainerId,
      outcome: decision.outcome,
      decidedOn: decidedOn.toString(),
      failedRules: [...decision.failedRules],
      verdicts: decision.verdicts.map((v) => ({ ...v, inputs: { ...v.inputs } })),
      advisory: decision.advisory,
    });
    if (decision.outcome === 'approved') {
      const next = nextCycle(credential.currentCycle, this.policy);
      await repository.insertCycle(application.trainerId, next);
      await this.deadlines.cancel(scope, application.trainerId, application.cycleExpiresOn);
      await this.deadlines.schedule(scope, application.trainerId, next, credential.timeZone);
      scope.publish(CycleStarted, {
        trainerId: application.trainerId,
        credentialId: credential.credentialId,
        startsOn: next.startsOn.toString(),
        expiresOn: next.expiresOn.toString(),
        timeZone: credential.timeZone,
      });
    }
  }
}
