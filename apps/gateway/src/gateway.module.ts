import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { MessagingModule, ServiceStartOptions } from '@recert/messaging';
import { loadRecertConfig, PlatformModule } from '@recert/platform';
import { AddStaffHandler } from './add-staff/add-staff.handler';
import { StaffHttpController } from './add-staff/staff.http.controller';
import { ClockAdvanceHttpController } from './advance-clock/clock-advance.http.controller';
import { migrations } from './database/migrations';
import { IngestUpstreamEventHandler } from './ingest-upstream-event/ingest-upstream-event.handler';
import { UpstreamEventsHttpController } from './ingest-upstream-event/upstream-events.http.controller';
import { OpsChartsHttpController } from './ops-dashboard/ops-charts.http.controller';
import { OpsSummaryHttpController } from './ops-dashboard/ops-summary.http.controller';
import { OpsDeadLettersHttpController } from './ops-dead-letters/ops-dead-letters.http.controller';
import { BACKLOG_SAMPLE_MS, BacklogSampler, backlogSampleMs } from './sample-backlog/backlog-sampler';
import { QueueDashboardModule } from './ops-queues/queue-dashboard.module';
import { PublicApiRateLimit } from './limit-rate/public-api-rate-limit';
import { PublicApiDocument } from './openapi/public-api-document';
import { QueryProxyMiddleware } from './route-queries/query-proxy.middleware';
import { SERVICE_ROUTES, ServiceRoutes, serviceUrlsFromEnv } from './route-queries/service-routes';
import {
  STAFF_CONSOLE_DIR,
  StaffConsoleHttpController,
  staffConsoleDir,
} from './serve-staff-console/staff-console.http.controller';
import { SessionHttpController } from './sign-in/session.http.controller';
import { SignInHandler } from './sign-in/sign-in.handler';
import { Argon2PasswordHasher, PASSWORD_HASHER } from './staff-accounts/password-hasher';
import { STAFF_SESSION_CONFIG, staffSessionConfig } from './staff-sessions/staff-session-config';
import { StaffSessions } from './staff-sessions/staff-sessions';

/** The public HTTP API at one base URL: ingestion for upstream systems, queries and staff actions routed to their services. */
@Module({})
export class GatewayModule implements NestModule {
  /** `env` is the environment to configure from (tests pass their own); process.env by default. */
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    const config = loadRecertConfig('gateway', { ...process.env, ...env });
    return {
      module: GatewayModule,
      imports: [
        PlatformModule.forService({ service: 'gateway', database: { entities: [], migrations }, env }),
        MessagingModule.forRoot(),
        QueueDashboardModule.forQueues(config.redisUrl, config.deadlines.queuePrefix),
      ],
      controllers: [
        UpstreamEventsHttpController,
        ClockAdvanceHttpController,
        OpsSummaryHttpController,
        OpsChartsHttpController,
        OpsDeadLettersHttpController,
        SessionHttpController,
        StaffHttpController,
        StaffConsoleHttpController,
      ],
      providers: [
        IngestUpstreamEventHandler,
        { provide: BACKLOG_SAMPLE_MS, useValue: backlogSampleMs({ ...process.env, ...env }) },
        BacklogSampler,
        { provide: STAFF_SESSION_CONFIG, useValue: staffSessionConfig({ ...process.env, ...env }) },
        { provide: PASSWORD_HASHER, useClass: Argon2PasswordHasher },
        StaffSessions,
        { provide: STAFF_CONSOLE_DIR, useValue: staffConsoleDir({ ...process.env, ...env }) },
        SignInHandler,
        AddStaffHandler,
        PublicApiDocument,
        PublicApiRateLimit,
        { provide: SERVICE_ROUTES, useValue: new ServiceRoutes(serviceUrlsFromEnv({ ...process.env, ...env })) },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Counted before anything else the gateway does, proxied queries included.
    consumer.apply(PublicApiRateLimit).forRoutes({ path: '*path', method: RequestMethod.ALL });
    consumer.apply(QueryProxyMiddleware).forRoutes({ path: 'v1/*path', method: RequestMethod.ALL });
  }
}

/** How the gateway starts, in production and in tests alike. */
export const GATEWAY_START_OPTIONS: ServiceStartOptions = {
  consumesEvents: false,
  description: 'The public HTTP API: ingestion for upstream systems, queries and staff actions for the portal and ops.',
  patchOpenApi: (app, document) => app.get(PublicApiDocument).compose(document),
  // People's sessions become the signed identity every AccessGuard verifies, before any route runs.
  frontMiddleware: (app) => app.get(StaffSessions).handlers(),
};
