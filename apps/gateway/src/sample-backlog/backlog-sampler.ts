import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@recert/clock';
import { RecertMetrics } from '@recert/platform';
import { SERVICE_ROUTES, ServiceRoutes } from '../route-queries/service-routes';

export const BACKLOG_SAMPLE_MS = Symbol('BacklogSampleMs');
/** How long samples are kept, in the clock's days. */
const KEEP_DAYS = 400;

/** The sum of every series of one gauge in a Prometheus text exposition (0 when absent). */
export function gaugeTotal(exposition: string, name: string): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(name) || !/[{ ]/.test(line.charAt(name.length))) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) total += value;
  }
  return total;
}

/**
 * Every so often (OPS_SAMPLE_SECONDS), each service's consumer lag and outbox backlog — the gauges
 * its /metrics exposes, read at that instant — kept in the gateway's backlog_samples, stamped by the
 * clock, so the ops dashboard can draw them over time. A service that does not answer has no
 * sample for that instant (a gap, not a zero).
 */
@Injectable()
export class BacklogSampler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BacklogSampler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_ROUTES) private readonly routes: ServiceRoutes,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: RecertMetrics,
    @Inject(BACKLOG_SAMPLE_MS) private readonly everyMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sample()
        .then(() => undefined)
        .catch((error: Error) => this.logger.warn(`sampling the backlog failed: ${error.message}`))
        .finally(() => (this.running = undefined));
    }, this.everyMs);
    this.timer.unref();
  }

  // Before the pools close: no sample starts once shutdown begins, and the one under way finishes.
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sample of every service, at one instant of the clock. */
  async sample(): Promise<number> {
    const at = this.clock.now();
    const expositions: (readonly [string, string | null])[] = await Promise.all([
      this.metrics.registry.metrics().then((text) => ['gateway', text] as const),
      ...this.routes.services().map(async (service): Promise<readonly [string, string | null]> => {
        try {
          const response = await fetch(`${this.routes.urls[service]}/metrics`, { signal: AbortSignal.timeout(5_000) });
          return [service, response.ok ? await response.text() : null] as const;
        } catch {
          return [service, null] as const;
        }
      }),
    ]);
    const rows = expositions.filter((e): e is readonly [string, string] => e[1] !== null);
    for (const [service, text] of rows)
      await this.dataSource.query(
        `INSERT INTO backlog_samples (sampled_at, service, consumer_lag, outbox_backlog) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [at, service, gaugeTotal(text, 'recert_consumer_lag'), gaugeTotal(text, 'recert_outbox_backlog')],
      );
    await this.dataSource.query(
      `DELETE FROM backlog_samples WHERE sampled_at < $1::timestamptz - make_interval(days => $2)`,
      [at, KEEP_DAYS],
    );
    return rows.length;
  }
}

/** OPS_SAMPLE_SECONDS: how often the backlog is sampled (60 by default). */
export function backlogSampleMs(env: Record<string, string | undefined>): number {
  const seconds = Number(env['OPS_SAMPLE_SECONDS'] ?? 60);
  if (!Number.isInteger(seconds) || seconds < 1)
    throw new Error(
      'Invalid environment for gateway: OPS_SAMPLE_SECONDS: must be a whole number of seconds, 1 or more',
    );
  return seconds * 1000;
}
