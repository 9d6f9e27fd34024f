import { Module } from '@nestjs/common';
import { MessagingModule } from '@recert/messaging';
import { PlatformModule } from '@recert/platform';
import { migrations } from './database/migrations';

/** The reproducible random audit draw and the 30-day documentation window (R11). */
@Module({
  imports: [
    PlatformModule.forService({ service: 'audits', database: { entities: [], migrations } }),
    MessagingModule.forRoot(),
  ],
})
export class AuditsModule {}
