import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { CycleStarted, PayloadOf, Topics, TrainerCertified } from '@recert/contracts';
import { IdempotentConsumer, MessageRejected, receivedFrom } from '@recert/messaging';
import { CalendarDate, cycle, isTimeZone } from '@recert/rules';
import { RecertificationRepository } from '../database/recertification.repository';
import { CycleDeadlines } from '../enforce-cycle-deadlines/cycle-deadlines';

/** The exam system certified a trainer: the credential and its first cycle (R1). */
@Controller()
export class CertificationsMessageController {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly deadlines: CycleDeadlines,
  ) {}

  @EventPattern(Topics.examCertifications.name)
  async onMessage(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(receivedFrom(context), {
      [TrainerCertified.type]: async (envelope, scope) => {
        const c = envelope.payload as PayloadOf<typeof TrainerCertified>;
        if (!isTimeZone(c.timeZone)) throw new MessageRejected(`timeZone ${c.timeZone} is not an IANA time zone`);
        const certifiedOn = CalendarDate.parse(c.certifiedOn);
        const expiresOn = CalendarDate.parse(c.expiresOn);
        if (!expiresOn.isAfter(certifiedOn)) throw new MessageRejected('R1: expiresOn must be after certifiedOn');
        const first = cycle(certifiedOn, expiresOn);
        const repository = new RecertificationRepository(scope.manager);
        if (!(await repository.insertCredential(c.trainerId, c.credentialId, c.timeZone, first))) return;
        await this.deadlines.schedule(scope, c.trainerId, first, c.timeZone);
        scope.publish(CycleStarted, {
          trainerId: c.trainerId,
          credentialId: c.credentialId,
          startsOn: c.certifiedOn,
          expiresOn: c.expiresOn,
          timeZone: c.timeZone,
        });
      },
    });
  }
}
