import { Inject, Injectable } from '@nestjs/common';
import { ApplicationRefused, ApplicationSubmitted, LedgerAtReceipt, MembershipAtReceipt, PayloadOf } from '@recert/contracts';
import { EventScope } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { checkApplicationWindow, checkCprAed, RecertPolicy, receiptVerdicts, recertificationFee } from '@recert/rules';
import { ApplicationRecord, RecertificationRepository } from '../database/recertification.repository';
import { ApplicationDecider } from '../decide-application/application-decider';

export type ReceiptOutcome = 'submitted' | 'refused' | 'waiting' | 'stale';

/**
 * R12 at receipt (policy: one applies once the requirements are met), on the two answers to the
 * receipt, whichever comes first. Payments says which Recertify for Life membership the trainer
 * held when the application was received: the fee is fixed on it and on the day received (R10),
 * never on what the submission claims. The CEU service gives the ledger as it stood then ("A
 * decision waits for the facts"): R2–R6, R7 and R9 are judged on it. A failure refuses the
 * application, rule by rule; otherwise it is submitted, its fee is asked for, the audit draw is
 * made (R11), and it waits for both.
 */
@Injectable()
export class JudgeAtReceiptHandler {
  constructor(
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
    private readonly decider: ApplicationDecider,
  ) {}

  async ledgerArrived(scope: EventScope, ledger: PayloadOf<typeof LedgerAtReceipt>): Promise<ReceiptOutcome> {
    const application = await new RecertificationRepository(scope.manager).recordLedgerAtReceipt(ledger.applicationId, {
      totalCeuHundredths: ledger.totalCeuHundredths,
      counted: ledger.counted,
      notCounted: ledger.notCounted,
      cprAedCards: ledger.cprAedCards,
    });
    return application ? this.judgeOnceAnswered(scope, application) : 'stale';
  }

  async membershipArrived(scope: EventScope, answer: PayloadOf<typeof MembershipAtReceipt>): Promise<ReceiptOutcome> {
    const repository = new RecertificationRepository(scope.manager);
    const application = await repository.application(answer.applicationId);
    if (!application || application.status !== 'received' || application.feeFixed) return 'stale';
    // R10: fixed now and never recomputed; none while outside the window (R9 refuses it).
    const inWindow = checkApplicationWindow(application.cycle, application.receivedOn, this.policy).accepted;
    const fixed = await repository.fixFee(
      application.applicationId,
      inWindow
        ? recertificationFee(application.cycle, application.receivedOn, this.policy, {
            recertifyForLife: answer.recertifyForLife,
          })
        : null,
    );
    return fixed ? this.judgeOnceAnswered(scope, fixed) : 'stale';
  }

  /** On the application as the answer just changed it (its row locked): judged once both answers are in. */
  private async judgeOnceAnswered(scope: EventScope, application: ApplicationRecord): Promise<ReceiptOutcome> {
    if (!application.ledgerAtReceipt || !application.feeFixed) return 'waiting';
    const repository = new RecertificationRepository(scope.manager);
    const { tally, cprAedCards } = application.ledgerAtReceipt;
    const cprAed = checkCprAed(cprAedCards, application.receivedOn, this.policy);
    const { verdicts, failedRules } = receiptVerdicts(
      { cycle: application.cycle, receivedOn: application.receivedOn, tally, cprAed },
      this.policy,
    );
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
      await repository.recordReceiptJudgement(application.applicationId, {
        status: 'refused',
        reasons,
        failedRules,
        verdicts: judged,
      });
      scope.publish(ApplicationRefused, { ...event, reasons, failedRules: [...failedRules], verdicts: judged });
      return 'refused';
    }

    await repository.recordReceiptJudgement(application.applicationId, { status: 'submitted' });
    const credential = await repository.credentialForUpdate(application.credentialId);
    scope.publish(ApplicationSubmitted, {
      ...event,
      timeZone: credential?.timeZone ?? this.policy.defaultTimeZone,
      fee: {
        tier: application.feeTier ?? 'standard',
        lines: (application.feeLines ?? []).map((l) => ({ kind: l.kind, amountCents: l.amount })),
        totalCents: application.feeTotalCents ?? 0,
        waivedBy: application.feeWaivedBy,
      },
      countedCreditIds: tally.counted.map((c) => c.id),
    });
    // Nothing may be owed (Recertify for Life) and the draw is still to come: the decider knows.
    await this.decider.evaluateRecord(scope, { ...application, status: 'submitted' }, credential ?? undefined);
    return 'submitted';
  }
}
