import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnModuleInit,
  Provider,
  RequestMethod,
} from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ZodValidationPipe } from 'nestjs-zod';
import { DataSource } from 'typeorm';
import { CLOCK } from '@recert/clock';
import { AccessGuard } from './access/access.guard';
import { RequestTextMiddleware } from './http/request-text.middleware';
import { clockProvider } from './clock/clock.provider';
import { ClockHttpController, TimeTravel } from './clock/time-travel';
import { loadRecertConfig, RECERT_CONFIG, RecertConfig, ServiceId } from './config/recert-config';
import { databaseOptions, ServiceDatabase } from './database/database.options';
import { migrateServiceSchema } from './database/schema-migrator';
import { HealthController, Liveness, Readiness } from './health/health.controller';
import { MetricsController, RecertMetrics } from './metrics/recert-metrics';
import { StaffActionsHttpController } from './staff-actions/staff-actions.http.controller';
import { pinoOptions } from './logging/pino.options';
import { policyProvider, RECERT_POLICY } from './policy/policy.provider';

export interface PlatformOptions {
  service: ServiceId;
  database: ServiceDatabase;
  /** Extra environment (tests give each run its own schema); wins over process.env. */
  env?: Record<string, string | undefined>;
}

@Injectable()
class SchemaMigrator implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(RECERT_CONFIG) private readonly config: RecertConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateServiceSchema(this.dataSource, this.config.database.schema);
  }
}

/**
 * What every service stands on: validated configuration, the clock, JSON logs, its own
 * PostgreSQL schema (migrated at start) and health endpoints.
 */
@Global()
@Module({})
export class PlatformModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Whether what was sent can be stored at all (400); who calls is each handler's AccessGuard.
    consumer.apply(RequestTextMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }

  static forService(options: PlatformOptions): DynamicModule {
    const env = { ...process.env, ...options.env };
    const config = loadRecertConfig(options.service, env);
    const configProvider: Provider = { provide: RECERT_CONFIG, useValue: config };
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
        LoggerModule.forRoot(pinoOptions(config)),
        TypeOrmModule.forRoot(databaseOptions(config.database, options.database)),
        TerminusModule,
      ],
      controllers: [
        HealthController,
        MetricsController,
        StaffActionsHttpController,
        ...(config.clockMode === 'controllable' ? [ClockHttpController] : []),
      ],
      providers: [
        configProvider,
        clockProvider,
        policyProvider(env),
        SchemaMigrator,
        TimeTravel,
        RecertMetrics,
        Readiness,
        Liveness,
        // Every HTTP body, query and parameter with a zod DTO is validated; a refusal names the field (400).
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        // Deny by default: a handler reaches callers only through its @Roles or @PublicRoute.
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
      exports: [configProvider, CLOCK, RECERT_POLICY, TimeTravel, RecertMetrics, Readiness, Liveness],
    };
  }
}
