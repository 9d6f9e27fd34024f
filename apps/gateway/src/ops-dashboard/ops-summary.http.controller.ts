import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Clock, CLOCK } from '@recert/clock';
import { SERVICES_WITH_DEADLINES } from '@recert/deadlines';
import { RoutedService, SERVICE_ROUTES, ServiceRoutes } from '../route-queries/service-routes';
import { readSection, Section } from './chart-aggregates';
import { OPS_DASHBOARD_PAGE } from './ops-dashboard.page';
import { forwardedCredentials, PublicRoute, Roles } from '@recert/platform';

/** Two lists as one section: unavailable if either is. */
function both(a: Section<unknown[]>, b: Section<unknown[]>): Section<unknown[]> {
  if (!a.ok) return a;
  if (!b.ok) return b;
  return { ok: true, data: [...a.data, ...b.data] };
}

/**
 * The ops dashboard: one page (public, it holds no data) that reads one summary (ops role), put
 * together from the services that own each part. A service that does not answer leaves its
 * sections marked unavailable; the rest still shows.
 */
@ApiTags('ops')
@Controller()
export class OpsSummaryHttpController {
  constructor(
    @Inject(SERVICE_ROUTES) private readonly routes: ServiceRoutes,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // The page holds no data: what it shows comes from /v1/ops/summary.
  @Get('ops')
  @PublicRoute()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  page(): string {
    return OPS_DASHBOARD_PAGE;
  }

  @Get('v1/ops/summary')
  @Roles('ops')
  @ApiOperation({
    summary:
      'For the ops dashboard: applications by state, the audit queue with days left, petitions awaiting review, deadlines due in 7 and 30 days, dead-lettered events, payment totals, the latest staff actions of each service.',
  })
  async summary(@Req() req: Request) {
    const credentials = forwardedCredentials(req);
    const get = <T>(service: RoutedService, path: string) => this.get<T>(service, path, credentials);
    /** One section per service, read at once. */
    const perService = async <T>(services: readonly RoutedService[], path: string) =>
      Object.fromEntries(await Promise.all(services.map(async (s) => [s, await get<T>(s, path)] as const)));
    const [applications, audits, feePaid, underReview, payments, deadlines, deadLetters, staffActions] =
      await Promise.all([
        get('applications', '/applications/counts'),
        get('audits', '/audits?status=awaiting-documents&limit=20'),
        get<unknown[]>('petitions', '/petitions?state=fee-paid&limit=20'),
        get<unknown[]>('petitions', '/petitions?state=under-review&limit=20'),
        get('payments', '/payments/totals'),
        perService<unknown[]>(SERVICES_WITH_DEADLINES, '/deadlines/upcoming'),
        perService<{ total: number; latest: unknown[] }>(this.routes.services(), '/dead-letters'),
        perService<unknown[]>(this.routes.services(), '/staff-actions?limit=20'),
      ]);
    return {
      at: this.clock.now().toISOString(),
      applications,
      audits,
      petitionsAwaitingReview: both(feePaid, underReview),
      deadlines,
      deadLetters,
      payments,
      staffActions,
    };
  }

  private get<T>(service: RoutedService, path: string, credentials: Record<string, string>): Promise<Section<T>> {
    return readSection<T>(`${this.routes.urls[service]}${path}`, service, credentials);
  }
}
