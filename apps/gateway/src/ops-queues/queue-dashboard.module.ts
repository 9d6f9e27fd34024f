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

const ROUTE = '/ops/queues';
const QUEUES = Symbol('DeadlineQueues');
const BOARD = Symbol('QueueBoard');

@Injectable()
class QueueConnections implements BeforeApplicationShutdown {
  constructor(@Inject(QUEUES) private readonly queues: Queue[]) {}

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
  }
}

/**
 * Bull Board at /ops/queues: every service's deadline queue — delayed, waiting, active, failed
 * jobs, with retry and promote for ops. The truth about a deadline stays in its service's table.
 */
@Module({})
export class QueueDashboardModule implements NestModule {
  constructor(@Inject(BOARD) private readonly board: ExpressAdapter) {}

  static forQueues(redisUrl: string, prefix: string): DynamicModule {
    const logger = new Logger('QueueDashboard');
    const queues = SERVICES_WITH_DEADLINES.map((service) => {
      const queue = new Queue(deadlineQueueName(service), { connection: { url: redisUrl }, prefix });
      // BullMQ emits connection errors as events: unheard, one would crash the gateway.
      queue.on('error', (error) => logger.warn(`redis: ${error.message}`));
      return queue;
    });
    const board = new ExpressAdapter();
    board.setBasePath(ROUTE);
    createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue)), serverAdapter: board });
    return {
      module: QueueDashboardModule,
      providers: [{ provide: QUEUES, useValue: queues }, { provide: BOARD, useValue: board }, QueueConnections],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.board.getRouter()).forRoutes(ROUTE);
  }
}
