import { BadRequestException, Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Clock, CLOCK } from '@recert/clock';
import { CalendarDateString } from '@recert/contracts';
import { SERVICES_WITH_DEADLINES } from '@recert/deadlines';
import { DayRange, forwardedCredentials, instantsOf, Roles } from '@recert/platform';
import { RoutedService, SERVICE_ROUTES, ServiceRoutes } from '../route-queries/service-routes';
import { auditQueue, daily, readSection, Section, weekly } from './chart-aggregates';

const ChartsQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(367).optional(),
  from: CalendarDateString.optional(),
  to: CalendarDateString.optional(),
});

const DueQuery = z.strictObject({
  from: CalendarDateString,
  to: CalendarDateString,
  kind: z
    .string()
    .regex(/^[a-z-]{1,60}$/)
    .optional(),
});

/** At most this many points per service in a backlog series, whatever the range. */
const BACKLOG_POINTS = 240;

/**
 * The ops dashboard's charts (issue 14), each from the service that owns its facts, over one range
 * of days: applications received and decided per day by outcome, fees collected per day by
 * purpose, the audit queue by days left (now), deadlines due per week by kind, consumer lag and
 * outbox backlog over time (the gateway's samples), dead letters per day. A service that does not
 * answer leaves its chart marked unavailable; the rest still show.
 */
@ApiTags('ops')
@Roles('ops')
@Controller('v1/ops')
export class OpsChartsHttpController {
  constructor(
    @Inject(SERVICE_ROUTES) private readonly routes: ServiceRoutes,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dataSource: DataSource,
  ) {}

  @Get('charts')
  @ApiOperation({
    summary:
      'For the ops dashboard: every chart over one range of UTC days — from and to (both included), or the last `days` days to today (30 by default).',
  })
  @ApiQuery({ name: 'days', required: false, type: Number })
  @ApiQuery({ name: 'from', required: false, type: String })
  @ApiQuery({ name: 'to', required: false, type: String })
  async charts(@Query() query: unknown, @Req() req: Request) {
    const range = this.rangeOf(query);
    const credentials = forwardedCredentials(req);
    const span = `from=${range.from}&to=${range.to}`;
    const get = <T>(service: RoutedService, path: string) => this.get<T>(service, path, credentials);
    const [applications, fees, awaiting, underReview, deadlines, deadLetters, backlog] = await Promise.all([
      get('applications', `/applications/per-day?${span}`),
      get('payments', `/payments/per-day?${span}`),
      get<{ applicationId: string; daysLeft: number | null }[]>(
        'audits',
        '/audits?status=awaiting-documents&limit=500',
      ),
      get<{ applicationId: string; daysLeft: number | null }[]>('audits', '/audits?status=under-review&limit=500'),
      Promise.all(
        SERVICES_WITH_DEADLINES.map((s) =>
          get<{ weekOf: string; kind: string; count: number }[]>(s, `/deadlines/per-week?${span}`),
        ),
      ),
      Promise.all(
        this.routes.services().map((s) => get<{ day: string; count: number }[]>(s, `/dead-letters/per-day?${span}`)),
      ),
      this.backlog(range),
    ]);
    return {
      at: this.clock.now().toISOString(),
      ...range,
      applications,
      fees,
      auditQueue: auditQueue(awaiting, underReview),
      deadlines: weekly(deadlines),
      backlog: { ok: true, data: backlog },
      deadLetters: daily(deadLetters),
    };
  }

  @Get('deadlines')
  @ApiOperation({
    summary:
      'The deadlines behind a bar of the ops dashboard, from every service: due between two UTC days (both included), of one kind.',
  })
  @ApiQuery({ name: 'from', required: true, type: String })
  @ApiQuery({ name: 'to', required: true, type: String })
  @ApiQuery({ name: 'kind', required: false, type: String })
  async deadlinesDue(@Query() query: unknown, @Req() req: Request) {
    const parsed = DueQuery.safeParse(query);
    if (!parsed.success)
      throw new BadRequestException(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    const { from, to, kind } = parsed.data;
    const lists = await Promise.all(
      SERVICES_WITH_DEADLINES.map(async (service) => {
        const list = await this.get<Record<string, unknown>[]>(
          service,
          `/deadlines/due?from=${from}&to=${to}${kind ? `&kind=${kind}` : ''}`,
          forwardedCredentials(req),
        );
        return list.ok ? list.data.map((d) => ({ service, ...d })) : [];
      }),
    );
    return lists.flat();
  }

  private rangeOf(query: unknown): DayRange {
    const parsed = ChartsQuery.safeParse(query);
    if (!parsed.success)
      throw new BadRequestException(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    const { days, from, to } = parsed.data;
    const today = this.clock.now().toISOString().slice(0, 10);
    const end = to ?? today;
    const start = from ?? new Date(Date.parse(end) - ((days ?? 30) - 1) * 86_400_000).toISOString().slice(0, 10);
    const range = DayRange.safeParse({ from: start, to: end });
    if (!range.success)
      throw new BadRequestException(range.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    return range.data;
  }

  /** Each service's samples in the range, the highest in each of at most BACKLOG_POINTS slots. */
  private async backlog(range: DayRange) {
    const [start, end] = instantsOf(range);
    const slotSeconds = Math.max(1, Math.ceil((end.getTime() - start.getTime()) / 1000 / BACKLOG_POINTS));
    const rows: { at: Date; service: string; consumerLag: string; outboxBacklog: string }[] =
      await this.dataSource.query(
        `SELECT to_timestamp(floor(extract(epoch FROM sampled_at) / $3) * $3) AS at, service,
              max(consumer_lag) AS "consumerLag", max(outbox_backlog) AS "outboxBacklog"
       FROM backlog_samples WHERE sampled_at >= $1 AND sampled_at < $2
       GROUP BY 1, 2 ORDER BY 1, 2`,
        [start, end, slotSeconds],
      );
    return rows.map((r) => ({
      at: new Date(r.at).toISOString(),
      service: r.service,
      consumerLag: Number(r.consumerLag),
      outboxBacklog: Number(r.outboxBacklog),
    }));
  }

  private get<T>(service: RoutedService, path: string, credentials: Record<string, string>): Promise<Section<T>> {
    return readSection<T>(`${this.routes.urls[service]}${path}`, service, credentials);
  }
}
