import { BeforeApplicationShutdown, DynamicModule, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK, ControllableClock } from '@recert/clock';
import { UnitOfWork } from '@recert/messaging';
import { RECERT_CONFIG, RecertConfig, TimeTravel } from '@recert/platform';
import { DeadlineRunner } from './deadline-runner';

/** Starts the runner once the schema is migrated and handlers are registered; stops it at shutdown. */
@Injectable()
class DeadlineRunnerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly runner: DeadlineRunner,
    private readonly timeTravel: TimeTravel,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
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

/** The one deadline scheduler, for a service that owns deadlines (add DeadlinesTables to its migrations). */
@Module({})
export class DeadlinesModule {
  static forService(): DynamicModule {
    return {
      module: DeadlinesModule,
      providers: [
        {
          provide: DeadlineRunner,
          inject: [DataSource, UnitOfWork, CLOCK, RECERT_CONFIG],
          useFactory: (dataSource: DataSource, unitOfWork: UnitOfWork, clock: Clock, config: RecertConfig) =>
            new DeadlineRunner(dataSource, unitOfWork, clock, {
              service: config.service,
              redisUrl: config.redisUrl,
              prefix: config.deadlines.queuePrefix,
              concurrency: config.deadlines.concurrency,
              horizonMs: config.deadlines.horizonMs,
              relayPollMs: config.deadlines.pollMs,
              reconcileEveryMs: config.deadlines.reconcileEveryMs,
              batchSize: 1_000,
              timeTravel: clock instanceof ControllableClock,
            }),
        },
        DeadlineRunnerLifecycle,
      ],
      exports: [DeadlineRunner],
    };
  }
}
