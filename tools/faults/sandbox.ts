import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { UPSTREAM_SYSTEM_NAMES } from '@recert/contracts';
import { kafkaPasswordVariable, kafkaSasl } from '@recert/platform';

const run = promisify(execFile);

/** The six services, in the order they start (the gateway last: it routes to the others). */
export const SERVICES = ['applications', 'ceu-verification', 'petitions', 'payments', 'audits', 'gateway'] as const;
export type Service = (typeof SERVICES)[number];

/** Ports apart from `npm start`'s 3000–3005. */
export const SANDBOX_PORTS: Record<Service, number> = {
  gateway: 3100,
  applications: 3101,
  'ceu-verification': 3102,
  petitions: 3103,
  payments: 3104,
  audits: 3105,
};

/** Each service's PostgreSQL schema (DB_SCHEMA defaults to the service's name, dashes as underscores). */
export const SCHEMAS: Record<Service, string> = {
  gateway: 'gateway',
  applications: 'applications',
  'ceu-verification': 'ceu_verification',
  petitions: 'petitions',
  payments: 'payments',
  audits: 'audits',
};

export const ROOT = resolve(__dirname, '../..');

/**
 * The services' consumer groups are `recert-<service>` (the default prefix; the invariants read
 * them by those names): the broker's ACLs are provisioned for the same prefix.
 */
const GROUP_PREFIX = 'recert-';
/** BullMQ's key prefix in the sandbox's Redis. */
const QUEUE_PREFIX = 'faults';

export interface SandboxOptions {
  kafkaPort: number;
  kafkaControllerPort: number;
  redisPort: number;
  pgPort: number;
  /**
   * Where the controllable clock starts (CLOCK_START_AT, before or after this machine's time);
   * unset: at this machine's time.
   */
  clockStartAt?: string;
  /**
   * The production deadline path instead (issue 15): the system clock, no time travel, so BullMQ
   * alone fires deadlines, with few job attempts and a quick re-arm. See ProductionClock.
   */
  production?: ProductionClock;
  /** Written to stdout as things happen. */
  log: (line: string) => void;
}

export const DEFAULT_SANDBOX: Omit<SandboxOptions, 'log'> = {
  kafkaPort: 39092,
  kafkaControllerPort: 39093,
  redisPort: 26379,
  pgPort: 55432,
};

/**
 * The services' system clock on the production path. A deadline is due at the start of a calendar
 * day in its credential's time zone, and no policy window is shorter than a day (RecertPolicy
 * counts days and years), so the only due times that can fall inside a run of minutes are the
 * midnights of some zone, and the next one may be an hour away. The services therefore run on
 * this machine's clock set back by `offsetMs` (under 1 hour) with libfaketime, at the OS level:
 * their code reads it through SystemClock, CLOCK_MODE=system, exactly as in production, and the
 * offset never changes during the run (no time moves but the real one).
 */
export interface ProductionClock {
  /** Negative: the services' time is this machine's plus this. */
  offsetMs: number;
  /** BullMQ's attempts of one deadline job, exponential from jobBackoffMs (DEADLINE_JOB_*). */
  jobAttempts: number;
  jobBackoffMs: number;
  /** The reconciler's re-arm of a failed job (DEADLINE_REARM_*). */
  rearmBaseMs: number;
  rearmMaxMs: number;
}

/** libfaketime's thread-safe library (Debian's `faketime` package), or FAKETIME_LIB. */
export function faketimeLibrary(): string {
  const candidates = [
    process.env['FAKETIME_LIB'],
    '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1',
    '/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1',
    '/usr/lib/faketime/libfaketimeMT.so.1',
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found)
    throw new Error(
      `libfaketime not found (${candidates.join(', ')}): scripts/infra/test-packages.sh ensure installs it (Debian's faketime)`,
    );
  return found;
}

/**
 * A whole Recert system of its own on this machine, so that faults disturb nothing else: a Kafka
 * broker (scripts/infra/kafka.sh with its own KAFKA_DIR and ports), a Redis server, a PostgreSQL
 * cluster (initdb as the postgres user: PostgreSQL refuses root), and the six services, each its
 * own OS process started from its webpack build (dist/apps/<service>/main.js), so kill -9 is real.
 * Everything lives under .local/faults/ and is wiped at each start.
 */
export class Sandbox {
  readonly dir = join(ROOT, '.local/faults');
  readonly logDir = join(this.dir, 'logs');
  readonly kafkaDir = join(ROOT, '.local/kafka-faults');
  private readonly pgDir = join(this.dir, 'pg');
  private readonly pgData = join(this.pgDir, 'data');
  private readonly redisPidFile = join(this.dir, 'redis.pid');
  readonly apiToken = randomBytes(24).toString('hex');
  readonly webhookSecret = randomBytes(24).toString('hex');
  private readonly processes = new Map<Service, ChildProcess>();
  private readonly exits = new Map<Service, Promise<void>>();
  /** The controllable clock's time, as last read from the gateway: a restarted service resumes from it. */
  private clockAt?: string;
  private started = { kafka: false, redis: false, pg: false };
  private pool?: Pool;

  constructor(readonly options: SandboxOptions) {
    this.clockAt = options.clockStartAt;
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.options.kafkaPort}`];
  }

  get databaseUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.options.pgPort}/recert`;
  }

  get redisUrl(): string {
    return `redis://127.0.0.1:${this.options.redisPort}`;
  }

  url(service: Service): string {
    return `http://127.0.0.1:${SANDBOX_PORTS[service]}`;
  }

  get gatewayUrl(): string {
    return this.url('gateway');
  }

  pid(service: Service): number | undefined {
    return this.processes.get(service)?.pid;
  }

  // ------------------------------------------------------------------------------------------
  // Infrastructure

  async build(): Promise<void> {
    const t0 = Date.now();
    await run(
      'npx',
      ['nx', 'run-many', '-t', 'build', `--projects=${SERVICES.join(',')}`, '--parallel=2', '--output-style=static'],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`the build failed:\n${(error.stdout ?? '').slice(-4000)}${error.stderr ?? ''}`);
    });
    this.options.log(`built the six services (nx, cached when unchanged) in ${seconds(t0)} s`);
  }

  /**
   * kafka.sh on the sandbox's broker. It requires authentication (issue 13): every principal's
   * password is KAFKA_PASSWORD_<PRINCIPAL> from this process's environment, or the development
   * one, as the services (env below), the load and the invariant checker read them too; each
   * start provisions the topics and the ACLs for GROUP_PREFIX.
   */
  kafka(command: 'reset' | 'start' | 'stop' | 'restart'): Promise<{ stdout: string }> {
    return run(join(ROOT, 'scripts/infra/kafka.sh'), [command], {
      cwd: ROOT,
      env: {
        ...process.env,
        KAFKA_DIR: this.kafkaDir,
        KAFKA_PORT: String(this.options.kafkaPort),
        KAFKA_CONTROLLER_PORT: String(this.options.kafkaControllerPort),
        KAFKA_GROUP_PREFIX: GROUP_PREFIX,
        // A small broker: the machine has two cores and six services beside it.
        KAFKA_HEAP: process.env['KAFKA_HEAP'] ?? '512m',
      },
    });
  }

  async startInfrastructure(): Promise<void> {
    mkdirSync(this.logDir, { recursive: true });
    await this.stopServices();
    let t0 = Date.now();
    await this.kafka('reset');
    this.started.kafka = true;
    await this.kafka('start');
    this.options.log(
      `kafka: an empty broker on ${this.brokers[0]} in ${seconds(t0)} s (log ${rel(this.kafkaDir)}/kafka.log)`,
    );

    t0 = Date.now();
    await this.stopRedis();
    this.started.redis = true;
    await run('redis-server', [
      '--port',
      String(this.options.redisPort),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'yes',
      '--pidfile',
      this.redisPidFile,
      '--logfile',
      join(this.logDir, 'redis.log'),
    ]);
    await waitFor(async () => (await this.redisCli('PING')).trim() === 'PONG', 10_000, 'redis to answer');
    this.options.log(`redis: ${this.redisUrl} in ${seconds(t0)} s`);

    t0 = Date.now();
    await this.stopPostgres('immediate').catch(() => undefined);
    rmSync(this.pgDir, { recursive: true, force: true });
    mkdirSync(this.pgDir, { recursive: true });
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    chownSync(this.pgDir, Number(uid.stdout), Number(gid.stdout));
    await asPostgres('initdb', ['-D', this.pgData, '-A', 'trust', '-U', 'postgres']);
    this.started.pg = true;
    await this.startPostgres();
    await this.psql('postgres', 'CREATE DATABASE recert');
    this.options.log(`postgres: its own cluster on 127.0.0.1:${this.options.pgPort} in ${seconds(t0)} s`);
  }

  redisCli(...args: string[]): Promise<string> {
    return run('redis-cli', ['-p', String(this.options.redisPort), ...args]).then((r) => r.stdout);
  }

  async startPostgres(): Promise<void> {
    await asPostgres('pg_ctl', [
      '-D',
      this.pgData,
      '-o',
      `-p ${this.options.pgPort} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200`,
      '-l',
      join(this.pgDir, 'postgres.log'),
      '-w',
      'start',
    ]);
  }

  async stopPostgres(mode: 'immediate' | 'fast'): Promise<void> {
    if (!existsSync(join(this.pgData, 'postmaster.pid'))) return;
    await asPostgres('pg_ctl', ['-D', this.pgData, '-m', mode, '-w', 'stop']);
  }

  /** PostgreSQL killed (immediate: no checkpoint, crash recovery at the next start), then started. */
  async restartPostgres(): Promise<void> {
    await this.stopPostgres('immediate');
    await this.startPostgres();
  }

  psql(database: string, sql: string): Promise<string> {
    return run('psql', [
      '-h',
      '127.0.0.1',
      '-p',
      String(this.options.pgPort),
      '-U',
      'postgres',
      '-d',
      database,
      '-Atc',
      sql,
    ]).then((r) => r.stdout);
  }

  /** A query on the sandbox's database (a small pool of the suite's own). */
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (!this.pool) {
      this.pool = new Pool({ connectionString: this.databaseUrl, max: 2 });
      // Idle connections die with PostgreSQL when the suite stops it: not an error of the suite.
      this.pool.on('error', () => undefined);
    }
    return (await this.pool.query(sql, params)).rows as T[];
  }

  /** How many of these deadlines' BullMQ jobs Redis holds (the job id is the deadline id). */
  async jobsHeld(service: Service, deadlineIds: string[]): Promise<number> {
    const keys = deadlineIds.map((id) => `${QUEUE_PREFIX}:deadlines-${service}:${id}`);
    return keys.length === 0 ? 0 : Number((await this.redisCli('EXISTS', ...keys)).trim());
  }

  /** How many of these deadlines' jobs are in BullMQ's failed set (their attempts exhausted). */
  async jobsFailed(service: Service, deadlineIds: string[]): Promise<number> {
    const failed = new Set(
      (await this.redisCli('ZRANGE', `${QUEUE_PREFIX}:deadlines-${service}:failed`, '0', '-1')).split('\n'),
    );
    return deadlineIds.filter((id) => failed.has(id)).length;
  }

  private async stopRedis(): Promise<void> {
    await this.redisCli('SHUTDOWN', 'NOSAVE').catch(() => undefined);
  }

  // ------------------------------------------------------------------------------------------
  // Services

  private env(service: Service): Record<string, string> {
    const digest = createHash('sha256').update(this.apiToken).digest('hex');
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/root',
      NODE_ENV: 'development',
      HTTP_PORT: String(SANDBOX_PORTS[service]),
      DATABASE_URL: this.databaseUrl,
      DB_POOL_SIZE: '8',
      KAFKA_BROKERS: this.brokers.join(','),
      KAFKA_GROUP_PREFIX: GROUP_PREFIX,
      // Its own principal's password only (issue 13), as the broker was given it.
      [kafkaPasswordVariable(service)]: kafkaSasl(service, process.env).password,
      REDIS_URL: this.redisUrl,
      QUEUE_PREFIX,
      CLOCK_MODE: this.options.production ? 'system' : 'controllable',
      LOG_LEVEL: 'info',
      API_TOKENS: `faults:${UPSTREAM_SYSTEM_NAMES.map((s) => `upstream/${s}`).join('+')}+reviewer+ops+admin:${digest}`,
      PAYMENTS_WEBHOOK_SECRET: this.webhookSecret,
      // One load generator plays every trainer, reviewer and processor through one token.
      RATE_LIMIT_PER_MINUTE: '1000000',
      CONSUMER_BACKOFF_MS: '100',
      CONSUMER_MAX_ATTEMPTS: '5',
      // Low, so that a FLUSHALL is repaired within seconds (default: every 5 minutes).
      DEADLINE_RECONCILE_MS: '2000',
      // The invariants read every outbox, inbox and deadline row: retention (a FLUSHALL recreates its
      // scheduler, which then runs at once) must not purge them across the suite's 465 days of time travel.
      OUTBOX_RETENTION_DAYS: '3650',
      INBOX_RETENTION_DAYS: '3650',
      DEADLINE_RETENTION_DAYS: '3650',
    };
    for (const s of SERVICES) if (s !== 'gateway') env[`${s.toUpperCase().replace(/-/g, '_')}_URL`] = this.url(s);
    const production = this.options.production;
    if (production) {
      if (production.offsetMs !== 0)
        Object.assign(env, {
          LD_PRELOAD: faketimeLibrary(),
          // Relative, in seconds: every process (and every restart) reads the same offset clock.
          FAKETIME: `${(production.offsetMs / 1000).toFixed(3)}`,
          // Timers and elapsed time stay this machine's: only the wall clock is set back.
          DONT_FAKE_MONOTONIC: '1',
        });
      Object.assign(env, {
        DEADLINE_JOB_ATTEMPTS: String(production.jobAttempts),
        DEADLINE_JOB_BACKOFF_MS: String(production.jobBackoffMs),
        DEADLINE_REARM_BASE_MS: String(production.rearmBaseMs),
        DEADLINE_REARM_MAX_MS: String(production.rearmMaxMs),
      });
    } else if (this.clockAt) {
      // A restarted service resumes the system's time-travelled clock instead of the machine's time.
      env['CLOCK_START_AT'] = this.clockAt;
    }
    return env;
  }

  /** Starts one service's process (log appended to .local/faults/logs/<service>.log). */
  spawn(service: Service): ChildProcess {
    const log = openSync(join(this.logDir, `${service}.log`), 'a');
    const child = spawn(process.execPath, [join(ROOT, `dist/apps/${service}/main.js`)], {
      cwd: ROOT,
      env: this.env(service),
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.processes.set(service, child);
    this.exits.set(service, new Promise((resolve) => child.once('exit', () => resolve())));
    return child;
  }

  async startServices(options: { keepLogs?: boolean } = {}): Promise<void> {
    if (!options.keepLogs) for (const service of SERVICES) rmSync(join(this.logDir, `${service}.log`), { force: true });
    const t0 = Date.now();
    // The five domain services first (each migrates its own schema; kafka.sh created the topics), then the gateway.
    for (const service of SERVICES.filter((s) => s !== 'gateway')) this.spawn(service);
    await Promise.all(SERVICES.filter((s) => s !== 'gateway').map((s) => this.waitReady(s, 120_000)));
    this.spawn('gateway');
    await this.waitReady('gateway', 120_000);
    this.options.log(`services: all six ready in ${seconds(t0)} s (logs ${rel(this.logDir)}/<service>.log)`);
  }

  /**
   * After the production path's due time: every service killed and started again, on a
   * controllable clock from `controllableFrom` (after the system clock's time: time only moves
   * forward), or on this machine's own clock (libfaketime's offset gone: time leaps forward by it,
   * as over a downtime), which the load's upstream stamps agree with.
   */
  async restartServicesOn(clock: { controllableFrom: string } | 'machine'): Promise<void> {
    await this.stopServices();
    const production = this.options.production;
    if (clock === 'machine') {
      if (production) this.options.production = { ...production, offsetMs: 0 };
    } else {
      this.options.production = undefined;
      this.clockAt = clock.controllableFrom;
    }
    await this.startServices({ keepLogs: true });
  }

  /** kill -9: no shutdown hook runs, nothing is drained or committed. */
  async kill(service: Service): Promise<number> {
    const child = this.processes.get(service);
    if (!child?.pid) throw new Error(`${service} is not running`);
    const pid = child.pid;
    child.kill('SIGKILL');
    await this.exits.get(service);
    this.processes.delete(service);
    return pid;
  }

  /** The system's time: the services' offset system clock, or the controllable clock's reading. */
  async systemNow(): Promise<Date> {
    const production = this.options.production;
    if (production) return new Date(Date.now() + production.offsetMs);
    return new Date((await this.api<{ now: string }>('GET', '/v1/clock')).now);
  }

  /** Remembers the clock so that a restarted service resumes it (a system clock needs nothing). */
  async rememberClock(): Promise<void> {
    if (this.options.production) return;
    const clock = await this.api<{ now: string }>('GET', '/v1/clock');
    this.clockAt = clock.now;
  }

  async isReady(service: Service): Promise<boolean> {
    try {
      const response = await fetch(`${this.url(service)}/health/ready`, { signal: AbortSignal.timeout(3_000) });
      return response.ok;
    } catch {
      return false;
    }
  }

  async waitReady(service: Service, timeoutMs = 120_000): Promise<number> {
    const t0 = Date.now();
    await waitFor(
      async () => {
        if (!this.processes.get(service)) throw new Error(`${service} is not running`);
        if (this.processes.get(service)?.exitCode !== null)
          throw new Error(
            `${service} exited (code ${this.processes.get(service)?.exitCode}); see ${rel(this.logDir)}/${service}.log`,
          );
        return this.isReady(service);
      },
      timeoutMs,
      `${service} to be ready`,
    );
    return Date.now() - t0;
  }

  async allReady(): Promise<boolean> {
    return (await Promise.all(SERVICES.map((s) => this.isReady(s)))).every(Boolean);
  }

  /** Calls the sandbox's public API with the all-roles token. */
  async api<T>(method: 'GET' | 'POST', path: string, body?: unknown, service: Service = 'gateway'): Promise<T> {
    const response = await fetch(`${this.url(service)}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.apiToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(120_000),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** A service's Prometheus metric, summed over its labels (null when unreadable). */
  async metric(service: Service, name: string): Promise<number | null> {
    try {
      const response = await fetch(`${this.url(service)}/metrics`, { signal: AbortSignal.timeout(3_000) });
      if (!response.ok) return null;
      const text = await response.text();
      let sum = 0;
      for (const line of text.split('\n')) {
        if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.split(' ').pop());
      }
      return sum;
    } catch {
      return null;
    }
  }

  async stopServices(): Promise<void> {
    await Promise.all(
      [...this.processes.keys()].map(async (service) => {
        const child = this.processes.get(service);
        child?.kill('SIGKILL');
        await this.exits.get(service);
        this.processes.delete(service);
      }),
    );
  }

  /** Stops everything this sandbox started; safe to call twice, and after a partial start. */
  async stop(): Promise<void> {
    await this.stopServices().catch(() => undefined);
    await this.pool?.end().catch(() => undefined);
    this.pool = undefined;
    if (this.started.redis) await this.stopRedis();
    if (this.started.pg)
      await this.stopPostgres('fast').catch(() => this.stopPostgres('immediate').catch(() => undefined));
    if (this.started.kafka) await this.kafka('stop').catch(() => undefined);
    this.started = { kafka: false, redis: false, pg: false };
  }

  /** Synchronous last resort (process exit): kills service processes. */
  killAllNow(): void {
    for (const child of this.processes.values()) child.kill('SIGKILL');
  }
}

/**
 * Runs one of the installed PostgreSQL's server programs (not on PATH on Debian) as the postgres
 * user: PostgreSQL refuses to run as root.
 */
let pgBinDir: Promise<string> | undefined;
async function asPostgres(program: 'initdb' | 'pg_ctl', args: string[]): Promise<void> {
  pgBinDir ??= run('pg_config', ['--bindir']).then((r) => r.stdout.trim());
  await run('runuser', ['-u', 'postgres', '--', join(await pgBinDir, program), ...args]);
}

export function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

export function rel(path: string): string {
  return path.startsWith(`${ROOT}/`) ? path.slice(ROOT.length + 1) : path;
}

export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  pollMs = 250,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
