import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { CeuLedgerChanged, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer, receivedFrom } from '@recert/messaging';
import { CalendarDate } from '@recert/rules';
import { RecertificationRepository } from '../database/recertification.repository';
import { ApplicationDecider } from '../decide-application/application-decider';

/** Keeps each trainer's newest CEU ledger; an open application may now be decidable. */
@Controller()
export class CeuEventsMessageController {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly decider: ApplicationDecider,
  ) {}

  @EventPattern(Topics.ceuEvents.name)
  async onMessage(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(receivedFrom(context), {
      [CeuLedgerChanged.type]: async (envelope, scope) => {
        const l = envelope.payload as PayloadOf<typeof CeuLedgerChanged>;
        const repository = new RecertificationRepository(scope.manager);
        await repository.saveLedger(
          l.trainerId,
          l.cycleExpiresOn,
          l.revision,
          l.totalCeuHundredths,
          l.counted,
          l.cprAedCards,
        );
        const open = await repository.openApplication(l.trainerId, CalendarDate.parse(l.cycleExpiresOn));
        if (open) await this.decider.evaluate(scope, open.applicationId);
      },
    });
  }
}
