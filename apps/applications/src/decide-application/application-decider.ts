import { Inject, Injectable } from '@nestjs/common';
import { ApplicationDecided, CycleStarted } from '@recert/contracts';
import { Clock, CLOCK } from '@recert/clock';
import { EventScope } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { CalendarDate, cents, checkCprAed, decide, nextCycle, RecertPolicy, RecertificationFee, windowsOf } from '@recert/rules';
import { ApplicationRecord, CredentialRecord, RecertificationRepository } from '../database/recertification.repository';
import { CycleDeadlines } from '../enforce-cycle-deadlines/cycle-deadlines';
import { auditForDecision } from '../track-audits/audit-findings';

/**
 * R12: re-evaluates a submitted application whenever something it waits on arrives (fee paid or
 * refunded, audit drawn or completed) or its last day to pay passes. It is judged on the ledger
 * as it stood at receipt. Once every rule has a verdict it is approved or denied, rule by rule;
 * an approval records the credits it used (R4: used once) and starts the next cycle (R1). A
 * decided application is final.
 */
@Injectable()
export class ApplicationDecider {
  constructor(
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly deadlines: CycleDeadlines,
  ) {}

  async evaluate(scope: EventScope, applicationId: string): Promise<void> {
    const application = await new RecertificationRepository(scope.manager).application(applicationId);
    if (application) await this.evaluateRecord(scope, application);
  }

  /**
   * The same, on the application as its handler just locked and changed it (an UPDATE … RETURNING),
   * and on its credential when the handler has it locked already: no second read of either.
   */
  async evaluateRecord(scope: EventScope, application: ApplicationRecord, locked?: CredentialRecord): Promise<void> {
    if (application.status !== 'submitted' || !application.ledgerAtReceipt) return;
    const repository = new RecertificationRepository(scope.manager);
    const applicationId = application.applicationId;
    const credential = locked ?? (await repository.credentialForUpdate(application.credentialId));
    if (!credential || !credential.currentCycle.expiresOn.equals(application.cycle.expiresOn)) return;
    const { tally, cprAedCards } = application.ledgerAtReceipt;
    const today = CalendarDate.fromInstant(this.clock.now(), credential.timeZone);
    const lastDayToPay = windowsOf(application.cycle, this.policy).finalWindowEndsOn;

    const fee: RecertificationFee = {
      tier: application.feeTier ?? 'standard',
      receivedOn: application.receivedOn,
      daysAfterExpiration: Math.max(0, application.cycle.expiresOn.daysUntil(application.receivedOn)),
      lines: application.feeLines ?? [],
      total: cents(application.feeTotalCents ?? 0),
      waivedBy: application.feeWaivedBy,
    };
    const decision = decide(
      {
        cycle: application.cycle,
        receivedOn: application.receivedOn,
        tally,
        cprAed: checkCprAed(cprAedCards, application.receivedOn, this.policy),
        fee,
        feePaid: application.feePaid,
        audit: auditForDecision(application),
        feeDueBy: { lastDay: lastDayToPay, passed: today.isAfter(lastDayToPay) },
      },
      this.policy,
    );
    if (decision.outcome === 'pending') return;

    // R4: an approval uses exactly the credits it counted; a denial uses none.
    const consumedCreditIds = decision.outcome === 'approved' ? tally.counted.map((c) => c.id) : [];
    await repository.recordDecision(applicationId, decision.outcome, decision, today, consumedCreditIds);
    scope.publish(ApplicationDecided, {
      applicationId,
      trainerId: application.trainerId,
      credentialId: application.credentialId,
      cycleExpiresOn: application.cycle.expiresOn.toString(),
      outcome: decision.outcome,
      decidedOn: today.toString(),
      consumedCreditIds,
      failedRules: [...decision.failedRules],
      verdicts: decision.verdicts.map((v) => ({ ...v, inputs: { ...v.inputs } })),
      advisory: decision.advisory,
    });
    if (decision.outcome === 'approved') {
      const next = nextCycle(credential.currentCycle, this.policy);
      await repository.insertCycle(application.trainerId, application.credentialId, next, 'recertification');
      await this.deadlines.cancel(scope, application.credentialId, application.cycle.expiresOn);
      await this.deadlines.schedule(scope, application.trainerId, application.credentialId, next, credential.timeZone);
      scope.publish(CycleStarted, {
        trainerId: application.trainerId,
        credentialId: application.credentialId,
        startsOn: next.startsOn.toString(),
        expiresOn: next.expiresOn.toString(),
        timeZone: credential.timeZone,
      });
    }
  }
}
