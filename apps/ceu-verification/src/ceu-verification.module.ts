import { Module } from '@nestjs/common';
import { MessagingModule } from '@recert/messaging';
import { PlatformModule } from '@recert/platform';
import { migrations } from './database/migrations';

/** Course completions, the approved-provider registry, CPR/AED cards and each trainer's CEU ledger (R2–R5, R7). */
@Module({
  imports: [
    PlatformModule.forService({ service: 'ceu-verification', database: { entities: [], migrations } }),
    MessagingModule.forRoot(),
  ],
})
export class CeuVerificationModule {}
