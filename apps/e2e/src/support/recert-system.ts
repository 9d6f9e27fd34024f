import { randomUUID } from 'node:crypto';
import { DynamicModule, INestApplication } from '@nestjs/common';
import { ApplicationsModule } from '@recert/applications-service';
import { AuditsModule } from '@recert/audits-service';
import { CeuVerificationModule } from '@recert/ceu-verification-service';
import { GATEWAY_START_OPTIONS, GatewayModule } from '@recert/gateway-service';
import { PaymentsModule } from '@recert/payments-service';
import { PetitionsModule } from '@recert/petitions-service';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@recert/clock';
import {
  createEnvelope,
  EventDefinition,
  KAFKA_ADMIN,
  PayloadInputOf,
  topicByName,
  UPSTREAM_SYSTEM_NAMES,
} from '@recert/contracts';
import { KafkajsEventProducer, provisionKafka, revokeGroupAcls, startService } from '@recert/messaging';
import { tokenDigest } from '@recert/platform';
import { TEST_DATABASE_URL, TEST_KAFKA_BROKERS, testKafka, uniqueName, waitFor } from '@recert/testing';

/** The tests' upstream callers speak for every upstream system. */
const EVERY_UPSTREAM_SYSTEM = UPSTREAM_SYSTEM_NAMES.map((system) => `upstream/${system}`).join('+');

/** Systems on one broker act on each other's events; on different brokers they do not. */
const SYSTEM_LOCK = `recert-e2e-system@${TEST_KAFKA_BROKERS.join(',')}`;

type ServiceName = 'applications' | 'ceu-verification' | 'payments' | 'audits' | 'petitions' | 'gateway';

/**
 * The system as upstream sees it, booted in this process on the real broker and database: each
 * service with the same modules and transport as in production, but schemas and consumer groups
 * of this run's own, and a clock the test can move forward. Systems share the topics and each one
 * consumes every topic from the beginning, so two alive at once would act on each other's events
 * (one's audit draw deciding the other's applications): only one runs at a time, across jest
 * workers too, under a PostgreSQL session advisory lock held from `start` to `stop`.
 */
export class RecertSystem {
  /** One producer per upstream system, each its own principal (issue 13), made on first use. */
  private readonly producers = new Map<string, KafkajsEventProducer>();
  /** The processor webhook's secret in this run (the sandbox processor signs with it). */
  static readonly webhookSecret = randomUUID();
  /** The secret the gateway signs signed-in people's identities with, and every service verifies (issue 14). */
  static readonly staffIdentitySecret = `${randomUUID()}${randomUUID()}`;
  /** This run's callers: one per role, and one with every role (the default of `api`). */
  static readonly tokens = {
    all: `all-${randomUUID()}`,
    upstream: `upstream-${randomUUID()}`,
    reviewer: `reviewer-${randomUUID()}`,
    ops: `ops-${randomUUID()}`,
    admin: `admin-${randomUUID()}`,
    /** A caller that speaks only for a CPR/AED provider. */
    cprProvider: `cpr-${randomUUID()}`,
  };

  private constructor(
    readonly prefix: string,
    private readonly apps: Map<ServiceName, INestApplication>,
    readonly db: DataSource,
    private readonly lock: Client,
  ) {}

  /**
   * `env` adds to the services' environment (policy settings such as WAIVER_ORDERS_LIFTED_ON).
   * `lockWaitMs`: how long to wait for another run's system to stop (keep it under the hook's timeout).
   */
  static async start(options: {
    auditRatePpm: number;
    env?: Record<string, string>;
    lockWaitMs?: number;
  }): Promise<RecertSystem> {
    const lock = await RecertSystem.acquireLock(options.lockWaitMs ?? 90_000);
    try {
      return await RecertSystem.boot(options, lock);
    } catch (error) {
      await lock.end();
      throw error;
    }
  }

  /**
   * The one system lock: released when its connection closes (at `stop`, or if the worker dies).
   * `npm test` runs the end-to-end files one at a time; the lock guards against another run.
   */
  private static async acquireLock(waitMs: number): Promise<Client> {
    const lock = new Client({ connectionString: TEST_DATABASE_URL });
    await lock.connect();
    try {
      await lock.query(`SET lock_timeout = ${Math.max(1, Math.round(waitMs))}`);
      await lock.query(`SELECT pg_advisory_lock(hashtext($1))`, [SYSTEM_LOCK]);
      return lock;
    } catch (error) {
      await lock.end();
      throw new Error(`another end-to-end system kept running for ${waitMs} ms: ${(error as Error).message}`);
    }
  }

  private static async boot(
    options: { auditRatePpm: number; env?: Record<string, string> },
    lock: Client,
  ): Promise<RecertSystem> {
    const prefix = uniqueName('e2e');
    // This run's consumer groups are its own: grant each service its group, as provisioning does
    // for the system's (the topics and their ACLs exist already, from globalSetup).
    await provisionKafka(testKafka(), { groupPrefix: `${prefix}-` });
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: TEST_DATABASE_URL,
      DB_SCHEMA_PREFIX: `${prefix}_`,
      KAFKA_GROUP_PREFIX: `${prefix}-`,
      CLOCK_MODE: 'controllable',
      HTTP_PORT: '0',
      LOG_LEVEL: process.env['E2E_LOG_LEVEL'] ?? 'error',
      CONSUMER_BACKOFF_MS: '20',
      CONSUMER_MAX_ATTEMPTS: '3',
      AUDIT_RATE_PPM: String(options.auditRatePpm),
      QUEUE_PREFIX: prefix,
      // The tests call as a handful of callers, far faster than any person.
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...options.env,
      PAYMENTS_WEBHOOK_SECRET: RecertSystem.webhookSecret,
      STAFF_IDENTITY_SECRET: RecertSystem.staffIdentitySecret,
      API_TOKENS: [
        `e2e:${EVERY_UPSTREAM_SYSTEM}+reviewer+ops+admin:${tokenDigest(RecertSystem.tokens.all)}`,
        `upstream:${EVERY_UPSTREAM_SYSTEM}:${tokenDigest(RecertSystem.tokens.upstream)}`,
        `reviewer:reviewer:${tokenDigest(RecertSystem.tokens.reviewer)}`,
        `ops:ops:${tokenDigest(RecertSystem.tokens.ops)}`,
        `admin:admin:${tokenDigest(RecertSystem.tokens.admin)}`,
        `red-cross:upstream/cpr-aed-providers:${tokenDigest(RecertSystem.tokens.cprProvider)}`,
      ].join(','),
    };
    const modules: Record<Exclude<ServiceName, 'gateway'>, DynamicModule> = {
      applications: ApplicationsModule.forRoot(env),
      'ceu-verification': CeuVerificationModule.forRoot(env),
      payments: PaymentsModule.forRoot(env),
      audits: AuditsModule.forRoot(env),
      petitions: PetitionsModule.forRoot(env),
    };
    const apps = new Map<ServiceName, INestApplication>();
    for (const [name, module] of Object.entries(modules) as [ServiceName, DynamicModule][]) {
      apps.set(name, await startService(module, { consumesEvents: true, description: name }));
    }
    // The public API last, routed to where this run's services listen.
    const urls: Record<string, string> = {};
    for (const [name, app] of apps) urls[`${name.toUpperCase().replace(/-/g, '_')}_URL`] = await urlOf(app);
    apps.set('gateway', await startService(GatewayModule.forRoot({ ...env, ...urls }), GATEWAY_START_OPTIONS));
    const db = new DataSource({ type: 'postgres', url: TEST_DATABASE_URL });
    await db.initialize();
    return new RecertSystem(prefix, apps, db, lock);
  }

  async stop(): Promise<void> {
    try {
      for (const app of this.apps.values()) await app.close();
      for (const producer of this.producers.values()) await producer.disconnect();
      await revokeGroupAcls(testKafka(), `${this.prefix}-`);
      // E2E_KEEP_SCHEMAS=1 keeps this run's data for a look after a failure.
      for (const schema of process.env['E2E_KEEP_SCHEMAS']
        ? []
        : ['applications', 'ceu_verification', 'payments', 'audits', 'petitions', 'gateway']) {
        await this.db.query(`DROP SCHEMA IF EXISTS "${this.prefix}_${schema}" CASCADE`);
      }
      await this.db.destroy();
      // This run's BullMQ queues.
      const redis = new IORedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
      const keys = await redis.keys(`${this.prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    } finally {
      await this.lock.end();
    }
  }

  /**
   * The system's time (every service's clock moves in step): upstream systems stamp their events
   * with it, so a document "uploaded" after the clock moved 31 days is 31 days late.
   */
  now(): Date {
    return (this.apps.get('gateway') as INestApplication).get<Clock>(CLOCK).now();
  }

  /**
   * Publishes as an upstream system would: one validated envelope per event, keyed, as the
   * principal of the upstream system that owns the event's topic.
   */
  async publish<D extends EventDefinition>(definition: D, payload: PayloadInputOf<D>): Promise<string> {
    const envelope = createEnvelope(definition, payload, { producer: 'e2e-upstream', occurredAt: this.now() });
    await this.producerOf(definition.topic.name).send([
      { topic: definition.topic.name, key: envelope.key, value: JSON.stringify(envelope), headers: {} },
    ]);
    return envelope.id;
  }

  /** Sends raw bytes to a topic, as a broken upstream might (the topic's owner, admin for the system's own). */
  async publishRaw(topic: string, value: string, key = 'raw'): Promise<void> {
    await this.producerOf(topic).send([{ topic, key, value, headers: {} }]);
  }

  private producerOf(topic: string): KafkajsEventProducer {
    const writer = topicByName(topic)?.writer;
    const principal = writer?.kind === 'upstream' ? writer.system : KAFKA_ADMIN;
    let producer = this.producers.get(principal);
    if (!producer) {
      producer = new KafkajsEventProducer(testKafka(principal));
      this.producers.set(principal, producer);
    }
    return producer;
  }

  /** Calls the public API at its one base URL (the gateway), as upstream systems, staff and ops do. */
  async api(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any }> {
    const response = await fetch(`${await urlOf(this.apps.get('gateway') as INestApplication)}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${RecertSystem.tokens.all}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
    };
  }

  /** Where one service, or the gateway, listens. */
  urlOf(service: ServiceName): Promise<string> {
    return urlOf(this.apps.get(service) as INestApplication);
  }

  /** The public base URL (the gateway). */
  gatewayUrl(): Promise<string> {
    return urlOf(this.apps.get('gateway') as INestApplication);
  }

  /** Calls one service directly, past the gateway, with the given headers. */
  async direct(service: ServiceName, path: string, headers: Record<string, string> = {}): Promise<number> {
    return (await fetch(`${await urlOf(this.apps.get(service) as INestApplication)}${path}`, { headers })).status;
  }

  /** A service's readiness, as a probe sees it. */
  async readiness(service: ServiceName): Promise<{ status: string; details: Record<string, { status: string }> }> {
    const response = await fetch(`${await urlOf(this.apps.get(service) as INestApplication)}/health/ready`);
    return (await response.json()) as { status: string; details: Record<string, { status: string }> };
  }

  /** A service's Prometheus metrics, as a scrape sees them. */
  async metrics(service: ServiceName): Promise<string> {
    return (await fetch(`${await urlOf(this.apps.get(service) as INestApplication)}/metrics`)).text();
  }

  /** Moves every service's clock forward in step through the public API; each deadline fires at its time. */
  async advanceDays(days: number): Promise<{ now: string; fired: number; stops: number }> {
    const { status, body } = await this.api('POST', '/v1/clock/advance', { days });
    if (status !== 200) throw new Error(`advancing the clock failed (${status}): ${JSON.stringify(body)}`);
    return body;
  }

  query<T = Record<string, unknown>>(service: string, sql: string, params: unknown[] = []): Promise<T[]> {
    return this.db.query(sql.replace(/\bschema\./g, `"${this.prefix}_${service.replace(/-/g, '_')}".`), params);
  }

  /** Waits until the application has a status in `statuses`, and returns its row. */
  async applicationOnceIn(applicationId: string, statuses: string[], timeoutMs = 45_000): Promise<ApplicationRow> {
    const [row] = await waitFor(
      () =>
        this.query<ApplicationRow>('applications', `SELECT * FROM schema.applications WHERE application_id = $1`, [
          applicationId,
        ]),
      (rows) => rows.length === 1 && statuses.includes(rows[0].status),
      { timeoutMs, what: `application ${applicationId} to be ${statuses.join(' or ')}` },
    );
    return row;
  }

  static id(): string {
    return randomUUID();
  }
}

/** Where an in-process service listens, reachable over IPv4. */
async function urlOf(app: INestApplication): Promise<string> {
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

export interface ApplicationRow {
  application_id: string;
  status: 'refused' | 'submitted' | 'approved' | 'denied';
  received_on: string;
  fee_tier: string | null;
  fee_total_cents: number | null;
  fee_paid: boolean;
  audit_state: string | null;
  refusal_reasons: string[] | null;
  decision: {
    outcome: string;
    failedRules: string[];
    verdicts: { rule: string; verdict: string; reason: string }[];
  } | null;
}
