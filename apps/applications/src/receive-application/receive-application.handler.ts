import { Inject, Injectable } from '@nestjs/common';
import { ApplicationReceived, ApplicationRefused } from '@recert/contracts';
import { Clock, CLOCK } from '@recert/clock';
import { EventScope, MessageRejected } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { CalendarDate, credentialStatusOn, RecertPolicy } from '@recert/rules';
import { CredentialRecord, RecertificationRepository } from '../database/recertification.repository';

export interface ReceiveApplicationCommand {
  applicationId: string;
  trainerId: string;
  credentialId?: string;
  /** The portal's own time: kept as its claim, never used as the receipt (R9, R10: "Received"). */
  submittedAt: Date;
}

/** A little slack for clocks that disagree; a claim from further in the future is malformed. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Takes an application in: "received" is this instant of the system's clock, in the credential's
 * time zone (R9, R10). Two services answer the receipt (ApplicationReceived): the CEU service with
 * the ledger as it stood then (LedgerAtReceipt), payments with the Recertify for Life membership
 * the trainer held then (MembershipAtReceipt); the fee is fixed on that day and that membership
 * (R10), and the application judged on that ledger. Nothing the submission says sets the fee.
 * A second application while one is in progress or approved for the cycle is refused at once.
 */
@Injectable()
export class ReceiveApplicationHandler {
  constructor(
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(scope: EventScope, command: ReceiveApplicationCommand): Promise<'received' | 'refused' | 'repeat'> {
    const receivedAt = this.clock.now();
    if (command.submittedAt.getTime() > receivedAt.getTime() + CLOCK_SKEW_MS) {
      throw new MessageRejected(`submittedAt ${command.submittedAt.toISOString()} is in the future`);
    }
    const repository = new RecertificationRepository(scope.manager);
    if (await repository.application(command.applicationId)) return 'repeat';
    const chosen = await this.credentialApplied(repository, command, receivedAt);
    const credential = await repository.credentialForUpdate(chosen.credentialId);
    if (!credential) throw new MessageRejected(`credential ${chosen.credentialId} is not on record`);
    const current = credential.currentCycle;
    const receivedOn = CalendarDate.fromInstant(receivedAt, credential.timeZone);
    const base = {
      applicationId: command.applicationId,
      trainerId: command.trainerId,
      credentialId: credential.credentialId,
      cycle: current,
      receivedAt,
      receivedOn,
      claimedSubmittedAt: command.submittedAt,
    };

    const open = await repository.openApplication(credential.credentialId, current.expiresOn);
    if (open) {
      // R12: one application at a time per cycle; this one is refused, rule by rule like any other.
      const reason = `R12: an application for the cycle expiring ${current.expiresOn} is already ${open.status} (${open.applicationId})`;
      const verdicts = [
        { rule: 'R12', verdict: 'failed' as const, reason, inputs: { openApplicationId: open.applicationId } },
      ];
      await repository.insertApplication({
        ...base,
        status: 'refused',
        refusal: { reasons: [reason], failedRules: ['R12'], verdicts },
      });
      scope.publish(ApplicationRefused, {
        applicationId: command.applicationId,
        trainerId: command.trainerId,
        credentialId: credential.credentialId,
        cycleExpiresOn: current.expiresOn.toString(),
        receivedOn: receivedOn.toString(),
        reasons: [reason],
        failedRules: ['R12'],
        verdicts,
      });
      return 'refused';
    }

    await repository.insertApplication({ ...base, status: 'received' });
    scope.publish(ApplicationReceived, {
      applicationId: command.applicationId,
      trainerId: command.trainerId,
      credentialId: credential.credentialId,
      cycleStartsOn: current.startsOn.toString(),
      cycleExpiresOn: current.expiresOn.toString(),
      receivedAt: receivedAt.toISOString(),
      receivedOn: receivedOn.toString(),
      timeZone: credential.timeZone,
    });
    return 'received';
  }

  /**
   * The credential the application is for: the one it names, or the trainer's only one that has
   * not lapsed (a trainer may hold several: then the portal must say which).
   */
  private async credentialApplied(
    repository: RecertificationRepository,
    command: ReceiveApplicationCommand,
    receivedAt: Date,
  ): Promise<CredentialRecord> {
    const held = await repository.credentialsOf(command.trainerId);
    if (held.length === 0) throw new MessageRejected(`no credential is known for trainer ${command.trainerId}`);
    if (command.credentialId) {
      const named = held.find((c) => c.credentialId === command.credentialId);
      if (!named)
        throw new MessageRejected(`trainer ${command.trainerId} holds no credential ${command.credentialId}`);
      return named;
    }
    if (held.length === 1) return held[0];
    const live = held.filter(
      (c) =>
        credentialStatusOn(c.currentCycle, CalendarDate.fromInstant(receivedAt, c.timeZone), this.policy) !== 'lapsed',
    );
    if (live.length === 1) return live[0];
    throw new MessageRejected(
      `trainer ${command.trainerId} holds credentials ${held.map((c) => c.credentialId).join(', ')}: the application must name its credentialId`,
    );
  }
}
