import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK, ControllableClock } from '@recert/clock';
import { Retention, UnitOfWork } from '@recert/messaging';
import { Readiness, RECERT_CONFIG, RecertConfig, RecertMetrics, TimeTravel } from '@recert/platform';
import { registerDeadlineMetrics } from './deadline-metrics';
import { DeadlineRunner } from './deadline-runner';
import { deadlinesRetentionRule } from './deadlines-retention';
import { DeadlinesHttpController } from './deadlines.http.controller';

/** Finished deadlines are purged by the service's retention (DEADLINE_RETENTION_DAYS). */
@Injectable()
class DeadlinesRetention implements OnModuleInit {
  constructor(
    private readonly retention: Retention,
    @Inject(RECERT_CONFIG) private readonly config: RecertConfig,
  ) {}

  onModuleInit(): void {
    this.retention.register(deadlinesRetentionRule(this.config.retention.deadlinesMs));
  }
}

/** Starts the runner once the schema is migrated and handlers are registered; stops it at shutdown. */
@Injectable()
class DeadlineRunnerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly runner: DeadlineRunner,
    private readonly timeTravel: TimeTravel,
    private readonly metrics: RecertMetrics,
    private readonly readiness: Readiness,
    @Inject(RECERT_CONFIG) private readonly config: RecertConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.readiness.register({ name: 'redis', check: () => this.runner.ping() });
    registerDeadlineMetrics(this.metrics, this.runner, this.config.deadlines.overdueGraceMs);
    await this.runner.start();
    if (this.timeTravel.controllable)
      this.timeTravel.register({
        nextDueAt: () => this.runner.nextDueAt(),
        onClockMoved: async () => {
          await this.runner.relayNow();
          return this.runner.fireDue();
        },
      });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

/**
 * The one deadline scheduler, for a service that owns deadlines (add DeadlinesTables and
 * DeadlinesRetentionIndex to its migrations).
 */
@Module({})
export class DeadlinesModule {
  static forService(): DynamicModule {
    return {
      module: DeadlinesModule,
      controllers: [DeadlinesHttpController],
      providers: [
        {
          provide: DeadlineRunner,
          inject: [DataSource, UnitOfWork, CLOCK, RECERT_CONFIG, RecertMetrics],
          useFactory: (
            dataSource: DataSource,
            unitOfWork: UnitOfWork,
            clock: Clock,
            config: RecertConfig,
            metrics: RecertMetrics,
          ) =>
            new DeadlineRunner(dataSource, unitOfWork, clock, {
              service: config.service,
              redisUrl: config.redisUrl,
              prefix: config.deadlines.queuePrefix,
              concurrency: config.deadlines.concurrency,
              horizonMs: config.deadlines.horizonMs,
              relayPollMs: config.deadlines.pollMs,
              reconcileEveryMs: config.deadlines.reconcileEveryMs,
              retry: config.deadlines.retry,
              batchSize: 1_000,
              timeTravel: clock instanceof ControllableClock,
              onFired: (kind) => metrics.deadlinesFired.inc({ kind }),
            }),
        },
        DeadlineRunnerLifecycle,
        DeadlinesRetention,
      ],
      exports: [DeadlineRunner],
    };
  }
}
