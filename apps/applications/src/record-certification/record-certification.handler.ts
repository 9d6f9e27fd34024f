import { Inject, Injectable } from '@nestjs/common';
import { CycleStarted, PayloadOf, TrainerCertified } from '@recert/contracts';
import { EventScope, MessageRejected } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { CalendarDate, credentialStatusOn, cycle, Cycle, isTimeZone, RecertPolicy, windowsOf } from '@recert/rules';
import { RecertificationRepository } from '../database/recertification.repository';
import { CycleDeadlines } from '../enforce-cycle-deadlines/cycle-deadlines';

export type RecordCertificationCommand = PayloadOf<typeof TrainerCertified>;

/**
 * The exam system certified a trainer (R1): a new credential starts its first cycle; a trainer
 * may hold several credentials ("A credential's life"). A credential that lapsed (R9) and is
 * certified again starts a new first cycle; one that has not lapsed is not certified twice.
 */
@Injectable()
export class RecordCertificationHandler {
  constructor(
    private readonly deadlines: CycleDeadlines,
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
  ) {}

  async execute(scope: EventScope, c: RecordCertificationCommand): Promise<'certified' | 'certified-again' | 'repeat'> {
    if (!isTimeZone(c.timeZone)) throw new MessageRejected(`timeZone ${c.timeZone} is not an IANA time zone`);
    const certifiedOn = CalendarDate.parse(c.certifiedOn);
    const expiresOn = CalendarDate.parse(c.expiresOn);
    if (!expiresOn.isAfter(certifiedOn)) throw new MessageRejected('R1: expiresOn must be after certifiedOn');
    const first = cycle(certifiedOn, expiresOn);
    const repository = new RecertificationRepository(scope.manager);

    const holder = await repository.holderOf(c.credentialId);
    if (holder !== null && holder !== c.trainerId)
      throw new MessageRejected(`credential ${c.credentialId} belongs to another trainer (${holder})`);
    if (holder === null) {
      if (!(await repository.insertCredential(c.trainerId, c.credentialId, c.timeZone, first))) return 'repeat';
      await this.start(scope, c, first);
      return 'certified';
    }

    const credential = await repository.credentialForUpdate(c.credentialId);
    if (!credential || (await repository.hasCycle(c.credentialId, first))) return 'repeat';
    const current = credential.currentCycle;
    // R9: the credential lapsed once its final window ended; only then does the exam certify it anew.
    const status = credentialStatusOn(current, certifiedOn, this.policy);
    const open = await repository.openApplication(c.credentialId, current.expiresOn);
    if (status !== 'lapsed' || open)
      throw new MessageRejected(
        `R9: credential ${c.credentialId} is not lapsed on ${certifiedOn} (its cycle expires ${current.expiresOn}, ` +
          `final window to ${windowsOf(current, this.policy).finalWindowEndsOn}${open ? `, application ${open.applicationId} is ${open.status}` : ''}): ` +
          'a new certification starts only after a lapse',
      );
    await repository.insertCycle(c.trainerId, c.credentialId, first, 'certification');
    await this.start(scope, c, first);
    return 'certified-again';
  }

  private async start(scope: EventScope, c: RecordCertificationCommand, first: Cycle): Promise<void> {
    await this.deadlines.schedule(scope, c.trainerId, c.credentialId, first, c.timeZone);
    scope.publish(CycleStarted, {
      trainerId: c.trainerId,
      credentialId: c.credentialId,
      startsOn: first.startsOn.toString(),
      expiresOn: first.expiresOn.toString(),
      timeZone: c.timeZone,
    });
  }
}
