import { Controller, OnModuleInit } from '@nestjs/common';
import { PayableSettled, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { RecordPetitionFeeHandler } from './record-petition-fee.handler';

/** R6: what payments reports about petition fees. */
@Controller()
export class PaymentEventsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly recordFee: RecordPetitionFeeHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.paymentEvents.name, {
      [PayableSettled.type]: async (envelope, scope) => {
        await this.recordFee.handle(scope, envelope.payload as PayloadOf<typeof PayableSettled>);
      },
    });
  }
}
