import { Module } from '@nestjs/common';
import { MessagingModule } from '@recert/messaging';
import { PlatformModule } from '@recert/platform';
import { migrations } from './database/migrations';

/** The public HTTP API: ingestion for upstream systems and queries for ops dashboards. */
@Module({
  imports: [
    PlatformModule.forService({ service: 'gateway', database: { entities: [], migrations } }),
    MessagingModule.forRoot(),
  ],
})
export class GatewayModule {}
