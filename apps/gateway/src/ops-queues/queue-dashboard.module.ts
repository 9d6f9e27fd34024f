import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  MiddlewareConsumer,
  Module,
  NestModule,
} from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import { deadlineQueueName, SERVICES_WITH_DEADLINES } from '@recert/deadlines';
import type { NextFunction, Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@recert/clock';
import { accessMiddleware, RECERT_CONFIG, RecertConfig, recordStaffAction, RequestWithCaller } from '@recert/platform';

/** Ops watch the queues; only an admin acts on them (pause, resume, retry, clean, promote). */
const OPS_ROUTE = '/ops/queues';
const ADMIN_ROUTE = '/admin/queues';
const QUEUES = Symbol('DeadlineQueues');
const BOARDS = Symbol('QueueBoards');

interface Boards {
  ops: ExpressAdapter;
  admin: ExpressAdapter;
}

@Injectable()
class QueueConnections implements BeforeApplicationShutdown {
  constructor(@Inject(QUEUES) private readonly queues: Queue[]) {}

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
  }
}

function board(route: string, queues: Queue[], readOnlyMode: boolean): ExpressAdapter {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(route);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode })),
    serverAdapter: adapter,
  });
  return adapter;
}

/**
 * Bull Board over every service's deadline queue — delayed, waiting, active, failed jobs: at
 * /ops/queues read-only for ops, at /admin/queues with its actions for admins. The truth about a
 * deadline stays in its service's table.
 */
@Module({})
export class QueueDashboardModule implements NestModule {
  constructor(
    @Inject(BOARDS) private readonly boards: Boards,
    @Inject(RECERT_CONFIG) private readonly config: RecertConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dataSource: DataSource,
  ) {}

  static forQueues(redisUrl: string, prefix: string): DynamicModule {
    const logger = new Logger('QueueDashboard');
    const queues = SERVICES_WITH_DEADLINES.map((service) => {
      const queue = new Queue(deadlineQueueName(service), { connection: { url: redisUrl }, prefix });
      // BullMQ emits connection errors as events: unheard, one would crash the gateway.
      queue.on('error', (error) => logger.warn(`redis: ${error.message}`));
      return queue;
    });
    const boards: Boards = { ops: board(OPS_ROUTE, queues, true), admin: board(ADMIN_ROUTE, queues, false) };
    return {
      module: QueueDashboardModule,
      providers: [{ provide: QUEUES, useValue: queues }, { provide: BOARDS, useValue: boards }, QueueConnections],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Bull Board is an Express router, not Nest handlers: the guard's decision is applied in front
    // of it, to every request that reaches it (the router matches paths without regard to case).
    consumer
      .apply(accessMiddleware(this.config, this.clock, ['ops'], { readOnly: true }), this.boards.ops.getRouter())
      .forRoutes(OPS_ROUTE);
    consumer
      .apply(accessMiddleware(this.config, this.clock, ['admin']), this.recordAdminAction, this.boards.admin.getRouter())
      .forRoutes(ADMIN_ROUTE);
  }

  /** An admin's act on the queues goes to the gateway's staff log before it is carried out ("Who did it"). */
  private readonly recordAdminAction = (req: Request, _res: Response, next: NextFunction): void => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const by = (req as RequestWithCaller).caller;
    if (!by) return next(new Error('an admin action reached the queues without its caller'));
    recordStaffAction(this.dataSource.manager, {
      at: this.clock.now(),
      by,
      action: `queues.${req.method.toLowerCase()}`,
      subject: req.originalUrl.split('?')[0],
      reason: null,
    }).then(() => next(), next);
  };
}
