import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Req,
  HttpCode,
  Inject,
  NotFoundException,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { z } from 'zod';
import { Clock, CLOCK, MS_PER_DAY } from '@recert/clock';
import { describeIssues } from '@recert/contracts';
import type { Request } from 'express';
import { Roles, TimeTravel } from '@recert/platform';
import { SERVICE_ROUTES, ServiceRoutes } from '../route-queries/service-routes';
import { StaffSessions } from '../staff-sessions/staff-sessions';

const AdvanceBody = z.strictObject({ days: z.number().int().min(1).max(3_650) });

interface ServiceClock {
  now: string;
  nextDueAt: string | null;
}

/**
 * Time travel for tests and demos (CLOCK_MODE=controllable; absent in production): moves every
 * service's clock forward in step, stopping at each deadline's due instant so that every
 * deadline fires at its time, in due order, across services — 400 days in seconds.
 */
@ApiExcludeController()
@Roles('ops')
@Controller('v1/clock')
export class ClockAdvanceHttpController {
  constructor(
    @Inject(SERVICE_ROUTES) private readonly routes: ServiceRoutes,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly timeTravel: TimeTravel,
    private readonly sessions: StaffSessions,
  ) {}

  @Get()
  async read(@Req() req: Request) {
    this.requireControllable();
    const credentials = this.sessions.credentialsFor(req);
    const clocks = await Promise.all(this.routes.services().map((s) => this.call<ServiceClock>(s, 'GET', credentials)));
    return {
      now: this.clock.now().toISOString(),
      services: Object.fromEntries(this.routes.services().map((s, i) => [s, clocks[i]])),
    };
  }

  @Post('advance')
  @HttpCode(200)
  async advance(@Body() body: unknown, @Req() req: Request) {
    // Asked afresh at every step: a person's identity lives a minute of the clock, which moves days here.
    const credentials = () => this.sessions.credentialsFor(req);
    this.requireControllable();
    const parsed = AdvanceBody.safeParse(body);
    if (!parsed.success) throw new BadRequestException(describeIssues(parsed.error));
    const target = this.clock.now().getTime() + parsed.data.days * MS_PER_DAY;
    let fired = 0;
    let stops = 0;
    for (;;) {
      const clocks = await Promise.all(
        this.routes.services().map((s) => this.call<ServiceClock>(s, 'GET', credentials())),
      );
      const next = Math.min(...clocks.map((c) => (c.nextDueAt ? Date.parse(c.nextDueAt) : Infinity)));
      const to = next <= target ? Math.max(next, this.clock.now().getTime()) : target;
      fired += await this.moveAllTo(new Date(to), credentials);
      stops += 1;
      if (to >= target) break;
    }
    return { now: this.clock.now().toISOString(), fired, stops };
  }

  private async moveAllTo(to: Date, credentials: () => Record<string, string>): Promise<number> {
    await this.timeTravel.moveTo(to);
    const moved = await Promise.all(
      this.routes
        .services()
        .map((s) => this.call<{ fired: number }>(s, 'POST', credentials(), { to: to.toISOString() })),
    );
    return moved.reduce((sum, m) => sum + m.fired, 0);
  }

  /** Calls a service's clock as the caller (services check the same credentials). */
  private async call<T>(
    service: ReturnType<ServiceRoutes['services']>[number],
    method: 'GET' | 'POST',
    credentials: Record<string, string>,
    body?: unknown,
  ): Promise<T> {
    // A service that is restarting cannot move in step: the whole request is refused, by name.
    const response = await fetch(`${this.routes.urls[service]}/clock`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...credentials,
      },
      body: body ? JSON.stringify(body) : undefined,
    }).catch((error: Error) => {
      throw new ServiceUnavailableException(`the ${service} service did not answer: ${error.message}`);
    });
    if (!response.ok) throw new Error(`the ${service} clock answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  private requireControllable(): void {
    if (!this.timeTravel.controllable) throw new NotFoundException('time travel needs CLOCK_MODE=controllable');
  }
}
