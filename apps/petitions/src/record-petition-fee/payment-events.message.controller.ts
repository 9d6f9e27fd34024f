import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { PayableSettled, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer, receivedFrom } from '@recert/messaging';
import { recordFeePaid } from '@recert/rules';
import { PetitionRepository } from '../database/petition.repository';

/** R6: the petition fee paid; only now may staff review the petition. */
@Controller()
export class PaymentEventsMessageController {
  private readonly logger = new Logger(PaymentEventsMessageController.name);

  constructor(private readonly consumer: IdempotentConsumer) {}

  @EventPattern(Topics.paymentEvents.name)
  async onMessage(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(receivedFrom(context), {
      [PayableSettled.type]: async (envelope, scope) => {
        const s = envelope.payload as PayloadOf<typeof PayableSettled>;
        if (s.purpose !== 'petition-fee') return;
        const repository = new PetitionRepository(scope.manager);
        const petition = await repository.forUpdate(s.referenceId);
        if (!petition) return;
        const next = recordFeePaid(petition);
        // A fee paid for a withdrawn petition stays paid (R6: non-refundable); nothing else changes.
        if (!next.ok) return this.logger.warn(`${s.referenceId}: ${next.reason}`);
        await repository.save({ ...petition, ...next.petition });
      },
    });
  }
}
