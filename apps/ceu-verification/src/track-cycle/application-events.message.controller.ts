import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { CycleStarted, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer, receivedFrom } from '@recert/messaging';
import { CeuLedger } from '../ledger/ceu-ledger';

/** The trainer's cycles, from the applications service: a ledger is kept per cycle (R1, R4). */
@Controller()
export class ApplicationEventsMessageController {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly ledger: CeuLedger,
  ) {}

  @EventPattern(Topics.applicationEvents.name)
  async onMessage(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(receivedFrom(context), {
      [CycleStarted.type]: async (envelope, scope) => {
        const c = envelope.payload as PayloadOf<typeof CycleStarted>;
        await scope.manager.query(
          `INSERT INTO trainer_cycles (trainer_id, starts_on, expires_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [c.trainerId, c.startsOn, c.expiresOn],
        );
        await this.ledger.recompute(scope, c.trainerId);
      },
    });
  }
}
