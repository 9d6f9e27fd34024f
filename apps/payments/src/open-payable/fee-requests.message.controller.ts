import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ApplicationSubmitted, PayloadOf, PetitionOpened, Topics } from '@recert/contracts';
import { IdempotentConsumer, receivedFrom } from '@recert/messaging';
import { PayableLedger } from '../settle-payment/payable-ledger';

/** Fees owed: an application's recertification fee (R10) and a petition's fee (R6). */
@Controller()
export class FeeRequestsMessageController {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly payables: PayableLedger,
  ) {}

  @EventPattern(Topics.applicationEvents.name)
  async onApplicationEvent(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(receivedFrom(context), {
      [ApplicationSubmitted.type]: async (envelope, scope) => {
        const a = envelope.payload as PayloadOf<typeof ApplicationSubmitted>;
        // Nothing is owed by a Recertify-for-Life member (R10).
        if (a.fee.totalCents > 0)
          await this.payables.open(scope, 'application-fee', a.applicationId, a.trainerId, a.fee.totalCents);
      },
    });
  }

  @EventPattern(Topics.petitionEvents.name)
  async onPetitionEvent(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(receivedFrom(context), {
      [PetitionOpened.type]: async (envelope, scope) => {
        const p = envelope.payload as PayloadOf<typeof PetitionOpened>;
        await this.payables.open(scope, 'petition-fee', p.petitionId, p.trainerId, p.feeCents);
      },
    });
  }
}
