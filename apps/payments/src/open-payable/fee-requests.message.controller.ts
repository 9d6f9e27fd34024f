import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import {
  ApplicationDecided,
  ApplicationRefused,
  ApplicationSubmitted,
  PayloadOf,
  PetitionClosed,
  PetitionOpened,
  Topics,
} from '@recert/contracts';
import { IdempotentConsumer, receivedFrom } from '@recert/messaging';
import { ClosePayableHandler } from '../close-payable/close-payable.handler';
import { OpenPayableHandler } from './open-payable.handler';

/**
 * What applications and petitions say about fees: one becomes owed (an application's
 * recertification fee, R10; a petition's fee, R6), or what it pays for ended (an application
 * refused or denied; a petition withdrawn or denied) and its open item closes.
 */
@Controller()
export class FeeRequestsMessageController {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly opening: OpenPayableHandler,
    private readonly closing: ClosePayableHandler,
  ) {}

  @EventPattern(Topics.applicationEvents.name)
  async onApplicationEvent(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(receivedFrom(context), {
      [ApplicationSubmitted.type]: async (envelope, scope) => {
        const a = envelope.payload as PayloadOf<typeof ApplicationSubmitted>;
        // Nothing is owed by a Recertify-for-Life member (R10).
        if (a.fee.totalCents > 0)
          await this.opening.open(scope, 'application-fee', a.applicationId, a.trainerId, a.fee.totalCents);
      },
      [ApplicationRefused.type]: async (envelope, scope) => {
        const a = envelope.payload as PayloadOf<typeof ApplicationRefused>;
        await this.closing.handle(scope, 'application-fee', a.applicationId, 'application refused');
      },
      [ApplicationDecided.type]: async (envelope, scope) => {
        const a = envelope.payload as PayloadOf<typeof ApplicationDecided>;
        if (a.outcome === 'denied')
          await this.closing.handle(scope, 'application-fee', a.applicationId, 'application denied');
      },
    });
  }

  @EventPattern(Topics.petitionEvents.name)
  async onPetitionEvent(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(receivedFrom(context), {
      [PetitionOpened.type]: async (envelope, scope) => {
        const p = envelope.payload as PayloadOf<typeof PetitionOpened>;
        await this.opening.open(scope, 'petition-fee', p.petitionId, p.trainerId, p.feeCents);
      },
      [PetitionClosed.type]: async (envelope, scope) => {
        const p = envelope.payload as PayloadOf<typeof PetitionClosed>;
        await this.closing.handle(scope, 'petition-fee', p.petitionId, `petition ${p.outcome}`);
      },
    });
  }
}
