import { Controller, Get, Header, Inject, Injectable, Logger } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { RECERT_CONFIG, RecertConfig } from '../config/recert-config';
import { PublicRoute } from '../access/access.decorator';

/**
 * The process's own metrics (CPU, memory, event-loop lag, GC), collected once per process: one
 * process may host all six services (`npm start`), and six collectors meant six event-loop
 * samplers waking the process for the same figures (issue 16, at rest). Each service's scrape
 * serves them with its own; Prometheus's instance label says which process they describe.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    // The event-loop lag histogram samples every 100 ms instead of prom-client's 10: at 10 ms the
    // sampling timer alone cost an idle process about 0.4 % of a core.
    collectDefaultMetrics({ register: processRegistry, prefix: 'recert_', eventLoopMonitoringPrecision: 100 });
  }
  return processRegistry;
}

/**
 * One service's Prometheus metrics (prom-client), in a registry of its own: a test may run every
 * service in one process. Counters are counted where things happen; gauges that describe stored
 * state (outbox backlog, applications by state, money) are read from the database at each scrape.
 */
@Injectable()
export class RecertMetrics {
  private readonly logger = new Logger(RecertMetrics.name);
  readonly registry = new Registry();
  readonly eventsProduced: Counter<'topic'>;
  readonly eventsConsumed: Counter<'topic' | 'type' | 'outcome'>;
  readonly deadlinesFired: Counter<'kind'>;
  readonly retentionPurged: Counter<'table'>;

  constructor(@Inject(RECERT_CONFIG) config: RecertConfig) {
    this.registry.setDefaultLabels({ service: config.service });
    processMetrics();
    this.eventsProduced = new Counter({
      name: 'recert_events_produced_total',
      help: 'Events the outbox relay published to Kafka, by topic.',
      labelNames: ['topic'],
      registers: [this.registry],
    });
    this.eventsConsumed = new Counter({
      name: 'recert_events_consumed_total',
      help: 'Messages consumed, by topic, event type and outcome (processed, duplicate, skipped, dead-lettered).',
      labelNames: ['topic', 'type', 'outcome'],
      registers: [this.registry],
    });
    this.deadlinesFired = new Counter({
      name: 'recert_deadlines_fired_total',
      help: 'Deadlines that fired, by kind.',
      labelNames: ['kind'],
      registers: [this.registry],
    });
    this.retentionPurged = new Counter({
      name: 'recert_retention_purged_rows_total',
      help: 'Rows retention deleted, by table (published outbox, processed inbox, finished deadlines, settled processor events).',
      labelNames: ['table'],
      registers: [this.registry],
    });
  }

  /** What Prometheus reads at /metrics: the process's metrics, then this service's. */
  async scrape(): Promise<string> {
    return (await processMetrics().metrics()) + (await this.registry.metrics());
  }

  /**
   * A gauge read at each scrape. `read` returns one value per label set; a failing read (the
   * database or the broker is down) leaves the gauge empty (NaN without labels) for that scrape
   * instead of failing it: an unknown backlog must not read as zero.
   */
  gaugeFromState<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: () => Promise<{ labels: Partial<Record<L, string>>; value: number }[]>,
  ): void {
    const logger = this.logger;
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          for (const { labels, value } of await read()) this.set(labels, value);
        } catch (error) {
          if (labelNames.length === 0) this.set(Number.NaN);
          logger.warn(`metric ${name} unavailable: ${(error as Error).message}`);
        }
      },
    });
  }
}

/** Prometheus scrapes each service at /metrics. */
@ApiExcludeController()
// Scraped by Prometheus; counts only, nobody's data.
@PublicRoute()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: RecertMetrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
