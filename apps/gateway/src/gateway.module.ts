import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@recert/messaging';
import { PlatformModule } from '@recert/platform';
import { migrations } from './database/migrations';

/** The public HTTP API: ingestion for upstream systems and queries for ops dashboards. */
@Module({})
export class GatewayModule {
  /** `env` is the environment to configure from (tests pass their own); process.env by default. */
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        PlatformModule.forService({ service: 'gateway', database: { entities: [], migrations }, env }),
        MessagingModule.forRoot(),
      ],
    };
  }
}
