import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@recert/messaging';
import { PlatformModule } from '@recert/platform';
import { migrations } from './database/migrations';
import { FeeRequestsMessageController } from './open-payable/fee-requests.message.controller';
import { PayableLedger } from './settle-payment/payable-ledger';
import { ProcessorEventsMessageController } from './settle-payment/processor-events.message.controller';

/** Every fee as a payable item, charged once whatever the retries (R6, R10). */
@Module({})
export class PaymentsModule {
  /** `env` is the environment to configure from (tests pass their own); process.env by default. */
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [
        PlatformModule.forService({ service: 'payments', database: { entities: [], migrations }, env }),
        MessagingModule.forRoot(),
      ],
      controllers: [FeeRequestsMessageController, ProcessorEventsMessageController],
      providers: [PayableLedger],
    };
  }
}
