import { Controller, Get, Injectable } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { PublicRoute } from '../access/access.decorator';

/** A dependency the service needs to do its work (Kafka, Redis), checked by readiness. */
export interface ReadinessProbe {
  readonly name: string;
  check(): Promise<void>;
}

/** The service's readiness probes: each library that needs a dependency registers its own. */
@Injectable()
export class Readiness {
  private readonly probes: ReadinessProbe[] = [];

  register(probe: ReadinessProbe): void {
    this.probes.push(probe);
  }

  all(): readonly ReadinessProbe[] {
    return this.probes;
  }
}

/**
 * Something that can wedge while the process still runs (a consumer stuck in a handler, a relay
 * stuck in a send): its check throws, saying why, once it has made no progress past its limit.
 */
export interface LivenessProbe {
  readonly name: string;
  check(): void | Promise<void>;
}

/** The service's liveness probes: the orchestrator restarts the process when one fails. */
@Injectable()
export class Liveness {
  private readonly probes: LivenessProbe[] = [];

  register(probe: LivenessProbe): void {
    this.probes.push(probe);
  }

  all(): readonly LivenessProbe[] {
    return this.probes;
  }
}

/** Liveness says the process runs and nothing in it is stuck; readiness says PostgreSQL and every other dependency (Kafka, Redis) answer. */
// Probes of the orchestrator: no token, no data.
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: Readiness,
    private readonly liveness: Liveness,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check(this.liveness.all().map((probe) => () => this.run(probe)));
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('postgres', { timeout: 2_000 }),
      ...this.readiness.all().map((probe) => () => this.run(probe)),
    ]);
  }

  private async run(probe: ReadinessProbe | LivenessProbe) {
    const indicator = this.indicators.check(probe.name);
    try {
      await probe.check();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
