import { Inject, Injectable } from '@nestjs/common';
import { ApplicationRefused, ApplicationSubmitted } from '@recert/contracts';
import { Clock, CLOCK } from '@recert/clock';
import { EventScope, MessageRejected } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import {
  CalendarDate,
  ceuHundredths,
  checkApplicationWindow,
  checkCprAed,
  formatCeu,
  RecertPolicy,
  recertificationFee,
} from '@recert/rules';
import { RecertificationRepository } from '../database/recertification.repository';

export interface SubmitApplicationCommand {
  applicationId: string;
  trainerId: string;
  submittedAt: Date;
  recertifyForLife: boolean;
}

/** A little slack for clocks that disagree; a submission from further in the future is refused. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Receives a recertification application: within the window (R9) and with the requirements met
 * (R2, R7; policy: one applies once they are met), its fee fixed on the day it was received
 * (R10). Otherwise it is refused with every reason.
 */
@Injectable()
export class SubmitApplicationHandler {
  constructor(
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(scope: EventScope, command: SubmitApplicationCommand): Promise<'submitted' | 'refused'> {
    if (command.submittedAt.getTime() > this.clock.now().getTime() + CLOCK_SKEW_MS) {
      throw new MessageRejected(`submittedAt ${command.submittedAt.toISOString()} is in the future`);
    }
    const repository = new RecertificationRepository(scope.manager);
    const credential = await repository.credentialForUpdate(command.trainerId);
    if (!credential) throw new MessageRejected(`no credential is known for trainer ${command.trainerId}`);
    const current = credential.currentCycle;
    const receivedOn = CalendarDate.fromInstant(command.submittedAt, credential.timeZone);

    const reasons: string[] = [];
    const open = await repository.openApplication(command.trainerId, current.expiresOn);
    if (open)
      reasons.push(
        `an application for the cycle expiring ${current.expiresOn} is already ${open.status} (${open.applicationId})`,
      );
    const window = checkApplicationWindow(current, receivedOn, this.policy);
    if (!window.accepted) reasons.push(window.reason);
    const ledger = await repository.ledger(command.trainerId, current.expiresOn);
    const courseCeu = ledger?.tally.totalCeu ?? ceuHundredths(0);
    if (courseCeu < this.policy.requiredCourseCeu) {
      reasons.push(
        `R2: ${formatCeu(courseCeu)} CEUs from courses; ${formatCeu(this.policy.requiredCourseCeu)} required`,
      );
    }
    const cpr = checkCprAed(ledger?.cprAedCards ?? [], receivedOn, this.policy);
    if (!cpr.valid) reasons.push(...cpr.reasons);

    const base = {
      applicationId: command.applicationId,
      trainerId: command.trainerId,
      cycleExpiresOn: current.expiresOn,
      receivedOn,
      recertifyForLife: command.recertifyForLife,
    };
    if (reasons.length > 0) {
      await repository.insertApplication({ ...base, status: 'refused', refusalReasons: reasons });
      scope.publish(ApplicationRefused, {
        applicationId: command.applicationId,
        trainerId: command.trainerId,
        receivedOn: receivedOn.toString(),
        reasons,
      });
      return 'refused';
    }
    // R10: the fee is fixed now, at receipt, and never recomputed.
    const fee = recertificationFee(current, receivedOn, this.policy, { recertifyForLife: command.recertifyForLife });
    await repository.insertApplication({ ...base, status: 'submitted', fee });
    scope.publish(ApplicationSubmitted, {
      applicationId: command.applicationId,
      trainerId: command.trainerId,
      credentialId: credential.credentialId,
      timeZone: credential.timeZone,
      cycleExpiresOn: current.expiresOn.toString(),
      receivedOn: receivedOn.toString(),
      fee: {
        tier: fee.tier,
        lines: fee.lines.map((l) => ({ kind: l.kind, amountCents: l.amount })),
        totalCents: fee.total,
      },
      countedCreditIds: ledger?.tally.counted.map((c) => c.id) ?? [],
    });
    return 'submitted';
  }
}
