import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { PaymentFailed, PaymentRefunded, PaymentSucceeded, Topics } from '@recert/contracts';
import { IdempotentConsumer, receivedFrom } from '@recert/messaging';
import { PayableLedger, ProcessorEvent } from './payable-ledger';

/** What the payment processor reports: succeeded, failed (retryable by the trainer), refunded. */
@Controller()
export class ProcessorEventsMessageController {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly payables: PayableLedger,
  ) {}

  @EventPattern(Topics.processorEvents.name)
  async onMessage(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(receivedFrom(context), {
      [PaymentSucceeded.type]: async (envelope, scope) => {
        await this.payables.recordProcessorEvent(scope, 'succeeded', envelope.payload as ProcessorEvent);
      },
      [PaymentFailed.type]: async (envelope, scope) => {
        await this.payables.recordProcessorEvent(scope, 'failed', envelope.payload as ProcessorEvent);
      },
      [PaymentRefunded.type]: async (envelope, scope) => {
        await this.payables.recordProcessorEvent(scope, 'refunded', envelope.payload as ProcessorEvent);
      },
    });
  }
}
