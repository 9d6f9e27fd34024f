import { Sandbox, SERVICES, Service, waitFor } from './sandbox';

/** One line of the timeline: what was done when (seconds since the suite started), and what came of it. */
export interface TimelineEntry {
  at: number;
  what: string;
  detail: string;
}

export interface Recovery {
  fault: string;
  service: string;
  /** Seconds from the fault until /health/ready answered again. */
  readySeconds: number | null;
  /** Seconds from the fault until the service handled an event again (its consumed counter moved); null: none seen. */
  consumingSeconds: number | null;
}

/**
 * The faults, each injected into the running sandbox and timed: kill -9 of one service (at a
 * moment it has work in hand: consumer lag or outbox backlog), a broker restart, a FLUSHALL of
 * Redis, an immediate PostgreSQL restart (no checkpoint: crash recovery), and moving the
 * controllable clock across deadlines. Every action goes to the timeline; how long each service
 * takes to recover is measured in the background while the next fault goes on.
 */
export class FaultInjector {
  readonly timeline: TimelineEntry[] = [];
  readonly recoveries: Recovery[] = [];
  private readonly watching: Promise<void>[] = [];
  private readonly restarting: Promise<void>[] = [];
  private watchUntil = Infinity;
  private downSince = 0;
  private readonly t0 = Date.now();

  constructor(
    private readonly sandbox: Sandbox,
    private readonly print: (line: string) => void,
  ) {}

  now(): number {
    return (Date.now() - this.t0) / 1000;
  }

  note(what: string, detail = ''): void {
    const entry = { at: this.now(), what, detail };
    this.timeline.push(entry);
    this.print(`[${entry.at.toFixed(1).padStart(6)} s] ${what}${detail ? `: ${detail}` : ''}`);
  }

  /** Consumer lag and outbox backlog of a service, as its /metrics says. */
  async work(service: Service): Promise<{ lag: number; backlog: number }> {
    const [lag, backlog] = await Promise.all([
      this.sandbox.metric(service, 'recert_consumer_lag'),
      this.sandbox.metric(service, 'recert_outbox_backlog'),
    ]);
    return { lag: lag ?? 0, backlog: backlog ?? 0 };
  }

  /**
   * kill -9 in the middle of its work: waits (up to `busyTimeoutMs`) until the service has lag or
   * backlog, kills it, restarts it at once (on the system's time-travelled clock) and waits until
   * it is ready; whether and when it consumes again is watched in the background.
   */
  async killService(service: Service, busyTimeoutMs: number, options: { waitReady?: boolean } = {}): Promise<void> {
    let work = { lag: 0, backlog: 0 };
    const until = Date.now() + busyTimeoutMs;
    while (Date.now() < until) {
      work = await this.work(service);
      if (work.lag + work.backlog > 0) break;
      await sleep(100);
    }
    // The gateway routes the clock; read it before the gateway (or anyone) goes.
    await this.sandbox.rememberClock().catch(() => undefined);
    const busy =
      work.lag + work.backlog > 0 ? `mid-work (lag ${work.lag}, outbox ${work.backlog})` : 'idle (no work seen)';
    const killedAt = Date.now();
    const pid = await this.sandbox.kill(service);
    this.note(`kill -9 ${service}`, `pid ${pid}, ${busy}`);
    this.sandbox.spawn(service);
    const recovery: Recovery = { fault: `kill -9 ${service}`, service, readySeconds: null, consumingSeconds: null };
    this.recoveries.push(recovery);
    if (service !== 'gateway') this.watchConsuming(recovery, killedAt);
    const ready = this.sandbox.waitReady(service, 180_000).then(() => {
      recovery.readySeconds = (Date.now() - killedAt) / 1000;
      this.note(`${service} ready again`, `${recovery.readySeconds.toFixed(1)} s after the kill`);
    });
    this.restarting.push(ready);
    if (options.waitReady ?? true) await this.restarted();
  }

  /** Waits until every service killed so far is ready again. */
  async restarted(): Promise<void> {
    const pending = this.restarting.splice(0);
    await Promise.all(pending);
  }

  /** Restarts the sandbox's broker (kafka.sh restart: a controlled stop, then a start). */
  async restartBroker(): Promise<void> {
    const before = await Promise.all(SERVICES.map((s) => this.work(s)));
    const t = Date.now();
    this.note(
      'kafka broker restart',
      `in flight: lag ${sum(before.map((b) => b.lag))}, outbox ${sum(before.map((b) => b.backlog))}`,
    );
    await this.sandbox.kafka('restart');
    this.note('kafka broker back', `stop + start took ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await this.everyServiceReady('kafka broker restart', t);
  }

  /** FLUSHALL on the sandbox's Redis: every BullMQ job and key goes; the reconcilers must rebuild them. */
  async flushRedis(): Promise<void> {
    const keysBefore = Number((await this.sandbox.redisCli('DBSIZE')).trim());
    const t = Date.now();
    await this.sandbox.redisCli('FLUSHALL');
    this.note('redis FLUSHALL', `${keysBefore} keys dropped`);
    // The reconcilers run every DEADLINE_RECONCILE_MS (2 s here): wait until the delayed jobs are back.
    let keys = 0;
    await waitFor(
      async () => {
        keys = Number((await this.sandbox.redisCli('DBSIZE')).trim());
        return keys > 0 || keysBefore === 0;
      },
      30_000,
      'the deadline reconcilers to recreate their jobs',
    ).catch(() => undefined);
    this.note('redis rebuilt', `${keys} keys after ${((Date.now() - t) / 1000).toFixed(1)} s (reconciler)`);
    await this.everyServiceReady('redis FLUSHALL', t);
  }

  /** pg_ctl stop -m immediate (a crash: no checkpoint) and start. */
  async restartPostgres(): Promise<void> {
    const before = await Promise.all(SERVICES.map((s) => this.work(s)));
    const t = Date.now();
    this.note(
      'postgres restart -m immediate',
      `in flight: lag ${sum(before.map((b) => b.lag))}, outbox ${sum(before.map((b) => b.backlog))}`,
    );
    await this.sandbox.restartPostgres();
    this.note('postgres back', `crash recovery + start took ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await this.everyServiceReady('postgres restart', t);
  }

  /** PostgreSQL stopped (immediate: a crash) and left down until startPostgres. */
  async stopPostgres(when: string): Promise<void> {
    await this.sandbox.stopPostgres('immediate');
    this.note('postgres stopped', `${when}; stays down`);
    this.downSince = Date.now();
  }

  async startPostgres(when: string): Promise<void> {
    const t = Date.now();
    await this.sandbox.startPostgres();
    this.note(
      'postgres started',
      `${when}; down ${((Date.now() - this.downSince) / 1000).toFixed(1)} s, start took ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );
    await this.everyServiceReady('postgres outage', t);
  }

  /** Moves every service's clock `days` forward through the gateway; each deadline due on the way fires. */
  async advanceClock(days: number): Promise<void> {
    const t = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const moved = await this.sandbox.api<{ now: string; fired: number; stops: number }>(
          'POST',
          '/v1/clock/advance',
          {
            days,
          },
        );
        await this.sandbox.rememberClock();
        this.note(
          `clock +${days} days`,
          `now ${moved.now.slice(0, 10)}; ${moved.fired} deadlines fired over ${moved.stops} stops in ${((Date.now() - t) / 1000).toFixed(1)} s`,
        );
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
        this.note(`clock +${days} days failed, retrying`, (error as Error).message.slice(0, 200));
        await sleep(2_000);
      }
    }
  }

  /** Ends the background recovery measurements (a service that consumed nothing since its restart shows —). */
  async settled(): Promise<void> {
    this.watchUntil = 0;
    await Promise.allSettled(this.watching);
  }

  private async everyServiceReady(fault: string, since: number): Promise<void> {
    const ready = await Promise.all(
      SERVICES.map(async (service) => {
        await waitFor(() => this.sandbox.isReady(service), 180_000, `${service} to be ready after ${fault}`);
        return { service, seconds: (Date.now() - since) / 1000 };
      }),
    );
    const slowest = ready.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    this.recoveries.push({
      fault,
      service: `all six (last: ${slowest.service})`,
      readySeconds: slowest.seconds,
      consumingSeconds: null,
    });
    this.note(
      `all services ready after ${fault}`,
      `${slowest.seconds.toFixed(1)} s after it began (last: ${slowest.service})`,
    );
  }

  /** Measures when a restarted service handles events again (its counter starts at 0 after a restart). */
  private watchConsuming(recovery: Recovery, since: number): void {
    this.watching.push(
      (async () => {
        while (Date.now() < this.watchUntil) {
          const consumed = await this.sandbox.metric(recovery.service as Service, 'recert_events_consumed_total');
          if ((consumed ?? 0) > 0) {
            recovery.consumingSeconds = (Date.now() - since) / 1000;
            return;
          }
          await sleep(250);
        }
      })(),
    );
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
