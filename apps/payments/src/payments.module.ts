import { Module } from '@nestjs/common';
import { MessagingModule } from '@recert/messaging';
import { PlatformModule } from '@recert/platform';
import { migrations } from './database/migrations';

/** Every fee as a payable item, charged once whatever the retries (R6, R10). */
@Module({
  imports: [
    PlatformModule.forService({ service: 'payments', database: { entities: [], migrations } }),
    MessagingModule.forRoot(),
  ],
})
export class PaymentsModule {}
