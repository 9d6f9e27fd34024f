import { Inject, Injectable } from '@nestjs/common';
import { ApplicationRefused, ApplicationSubmitted, LedgerAtReceipt, PayloadOf } from '@recert/contracts';
import { EventScope } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { checkCprAed, RecertPolicy, receiptVerdicts } from '@recert/rules';
import { ledgerFromJson, RecertificationRepository } from '../database/recertification.repository';
import { ApplicationDecider } from '../decide-application/application-decider';

/**
 * R12 at receipt (policy: one applies once the requirements are met): with the ledger as it
 * stood when the application was received ("A decision waits for the facts"), R2–R6, R7 and R9
 * are judged. A failure refuses the application, rule by rule; otherwise it is submitted, its fee
 * (fixed at receipt, R10) is asked for, the audit draw is made (R11), and it waits for both.
 */
@Injectable()
export class JudgeAtReceiptHandler {
  constructor(
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
    private readonly decider: ApplicationDecider,
  ) {}

  async execute(scope: EventScope, ledger: PayloadOf<typeof LedgerAtReceipt>): Promise<'submitted' | 'refused' | 'stale'> {
    const repository = new RecertificationRepository(scope.manager);
    const application = await repository.application(ledger.applicationId);
    if (!application || application.status !== 'received') return 'stale';
    const { tally, cprAedCards } = ledgerFromJson(ledger);
    const cprAed = checkCprAed(cprAedCards, application.receivedOn, this.policy);
    const { verdicts, failedRules } = receiptVerdicts(
      { cycle: application.cycle, receivedOn: application.receivedOn, tally, cprAed },
      this.policy,
    );
    const stored = {
      totalCeuHundredths: ledger.totalCeuHundredths,
      counted: ledger.counted,
      notCounted: ledger.notCounted,
      cprAedCards: ledger.cprAedCards,
    };
    const event = {
      applicationId: application.applicationId,
      trainerId: application.trainerId,
      credentialId: application.credentialId,
      cycleExpiresOn: application.cycle.expiresOn.toString(),
      receivedOn: application.receivedOn.toString(),
    };

    if (failedRules.length > 0) {
      const reasons = verdicts.filter((v) => v.verdict === 'failed').map((v) => v.reason);
      const judged = verdicts.map((v) => ({ ...v, inputs: { ...v.inputs } }));
      await repository.recordReceiptJudgement(application.applicationId, stored, {
        status: 'refused',
        reasons,
        failedRules,
        verdicts: judged,
      });
      scope.publish(ApplicationRefused, { ...event, reasons, failedRules: [...failedRules], verdicts: judged });
      return 'refused';
    }

    await repository.recordReceiptJudgement(application.applicationId, stored, { status: 'submitted' });
    scope.publish(ApplicationSubmitted, {
      ...event,
      timeZone: (await repository.credentialForUpdate(application.credentialId))?.timeZone ?? this.policy.defaultTimeZone,
      fee: {
        tier: application.feeTier ?? 'standard',
        lines: (application.feeLines ?? []).map((l) => ({ kind: l.kind, amountCents: l.amount })),
        totalCents: application.feeTotalCents ?? 0,
      },
      countedCreditIds: tally.counted.map((c) => c.id),
    });
    // Nothing may be owed (Recertify for Life) and the draw is still to come: the decider knows.
    await this.decider.evaluate(scope, application.applicationId);
    return 'submitted';
  }
}
