import { z } from 'zod';
import { REDELIVERY_WINDOW_MS } from '@recert/contracts';
import { Caller, parseApiTokens } from '../access/access-control';
import { KafkaSasl, kafkaSasl } from './kafka-credentials';

/** The services of the system, with the HTTP port each listens on by default on one machine. */
export const SERVICE_PORTS = {
  gateway: 3000,
  applications: 3001,
  'ceu-verification': 3002,
  petitions: 3003,
  payments: 3004,
  audits: 3005,
} as const;
export type ServiceId = keyof typeof SERVICE_PORTS;

const DAY_MS = 86_400_000;
const intFromEnv = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
const kafkaPassword = z.string().min(1, 'must not be empty').optional();

/**
 * Everything a service reads from its environment, validated at start-up (a bad value stops the
 * process with the variable's name). Defaults match a developer machine: local PostgreSQL, Redis
 * and the project's own Kafka broker.
 */
export const recertEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/recert'),
  /** The PostgreSQL schema the service owns; defaults to the service's own name. */
  DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .optional(),
  /** Prepended to the service's schema: an end-to-end test run gets schemas of its own. */
  DB_SCHEMA_PREFIX: z
    .string()
    .regex(/^([a-z_][a-z0-9_]{0,30})?$/, 'must be empty or a lower-case SQL identifier prefix')
    .default(''),
  DB_POOL_SIZE: intFromEnv(10, 1),
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    ),
  /** Consumer groups are `<prefix><service>`: a test run gets groups of its own. */
  KAFKA_GROUP_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'must be letters, digits, dots, dashes or underscores')
    .default('recert-'),
  /**
   * Each service's Kafka password (kafka-credentials.ts): a service authenticates as its own
   * principal with its own variable; unset outside production, the development password.
   */
  KAFKA_PASSWORD_GATEWAY: kafkaPassword,
  KAFKA_PASSWORD_APPLICATIONS: kafkaPassword,
  KAFKA_PASSWORD_CEU_VERIFICATION: kafkaPassword,
  KAFKA_PASSWORD_PETITIONS: kafkaPassword,
  KAFKA_PASSWORD_PAYMENTS: kafkaPassword,
  KAFKA_PASSWORD_AUDITS: kafkaPassword,
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  /** `controllable` lets tests and demos move time forward (never in production). */
  CLOCK_MODE: z.enum(['system', 'controllable']).default('system'),
  /**
   * With a controllable clock: the instant it starts at (never before the machine's time), so a
   * service restarted after time travel resumes the system's time instead of going back.
   */
  CLOCK_START_AT: z.iso.datetime({ offset: true }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CONSUMER_MAX_ATTEMPTS: intFromEnv(5, 1),
  CONSUMER_BACKOFF_MS: intFromEnv(200),
  CONSUMER_CONCURRENCY: intFromEnv(4, 1),
  /** The most messages of one partition consumed in one PostgreSQL transaction. */
  CONSUMER_BATCH_MAX: intFromEnv(200, 1),
  /**
   * A batch that finished no message for this long (a handler stuck) fails liveness. Far above a
   * message's retries: 5 attempts backing off from 200 ms take 6.2 s.
   */
  CONSUMER_STUCK_AFTER_MS: intFromEnv(120_000, 1),
  /** At shutdown, how long the consumer's in-flight batches may take to finish and commit their offsets. */
  SHUTDOWN_DRAIN_MS: intFromEnv(10_000, 0),
  /**
   * The relay holding the turn publishes outbox rows when a commit notifies it; every OUTBOX_SWEEP_MS
   * it also looks (one statement) for rows a lost notification left, and a replica without the
   * turn tries to take it.
   */
  OUTBOX_SWEEP_MS: intFromEnv(5_000, 10),
  /** Events per Kafka send: the rows committed while a send was in flight go out together in the next. */
  OUTBOX_BATCH_SIZE: intFromEnv(500, 1),
  /** How long shutdown waits for a send in flight (the broker unreachable, say) before abandoning it; its rows go out at the next start. */
  OUTBOX_STOP_TIMEOUT_MS: intFromEnv(5_000, 0),
  /** Liveness fails once events have waited this long with the relay making no progress. */
  OUTBOX_STUCK_AFTER_MS: intFromEnv(60_000, 1),
  /** BullMQ's key prefix: a test run gets queues of its own. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1 to 40 letters, digits, dashes or underscores')
    .default('recert'),
  /** Deadlines due within this many hours are handed to BullMQ; later ones wait in PostgreSQL. */
  DEADLINE_HORIZON_HOURS: intFromEnv(48, 1),
  DEADLINE_CONCURRENCY: intFromEnv(4, 1),
  /** The relay's sweep for deadlines entering the horizon; a commit scheduling one inside it wakes the relay at once. */
  DEADLINE_POLL_MS: intFromEnv(60_000, 10),
  DEADLINE_RECONCILE_MS: intFromEnv(300_000, 1_000),
  /** BullMQ's tries of one deadline job, backing off exponentially from DEADLINE_JOB_BACKOFF_MS. */
  DEADLINE_JOB_ATTEMPTS: intFromEnv(8, 1),
  DEADLINE_JOB_BACKOFF_MS: intFromEnv(1_000, 10),
  /**
   * A deadline whose job exhausted its attempts is re-armed by the reconciler after
   * DEADLINE_REARM_BASE_MS, doubled at each re-arm up to DEADLINE_REARM_MAX_MS, until it fires or is cancelled.
   */
  DEADLINE_REARM_BASE_MS: intFromEnv(30_000, 10),
  DEADLINE_REARM_MAX_MS: intFromEnv(1_800_000, 10),
  /** A scheduled deadline this long past due counts in recert_deadlines_overdue (and alerts). */
  DEADLINE_OVERDUE_GRACE_MS: intFromEnv(900_000, 0),
  /**
   * Retention (libs/messaging retention.ts): every RETENTION_EVERY_MS each service purges, in
   * batches of RETENTION_BATCH_SIZE rows, what is finished and older than its policy.
   */
  RETENTION_EVERY_MS: intFromEnv(3_600_000, 1_000),
  RETENTION_BATCH_SIZE: intFromEnv(10_000, 1),
  /** Published outbox rows. */
  OUTBOX_RETENTION_DAYS: intFromEnv(7, 1),
  /** Processed inbox rows: must exceed Kafka's redelivery window (TOPIC_RETENTION), checked below. */
  INBOX_RETENTION_DAYS: intFromEnv(14, 1),
  /** Fired deadlines (from firing) and cancelled ones (from their due instant). */
  DEADLINE_RETENTION_DAYS: intFromEnv(30, 1),
  /** Settled processor events (payments' money trail): seven years, as bookkeeping keeps records. */
  PROCESSOR_EVENT_RETENTION_DAYS: intFromEnv(2_555, 1),
  /** Who may call the HTTP API: `name:role[+role]:sha256-of-token`, comma-separated (see access-control.ts). */
  API_TOKENS: z.string().optional(),
  /** Requests one caller (token, else address) may make to the public API per minute. */
  RATE_LIMIT_PER_MINUTE: intFromEnv(600, 1),
  /**
   * The secret the gateway signs a signed-in person's identity with and every service verifies it
   * with (staff-identity.ts); unset, no staff session reaches the service. The same in every service.
   */
  STAFF_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
});

export interface RecertConfig {
  service: ServiceId;
  env: 'development' | 'test' | 'production';
  httpPort: number;
  database: { url: string; schema: string; poolSize: number };
  kafka: { brokers: string[]; clientId: string; groupId: string; concurrency: number; sasl: KafkaSasl };
  redisUrl: string;
  clockMode: 'system' | 'controllable';
  /** Where a controllable clock starts (CLOCK_START_AT); unset: the machine's time. */
  clockStartAt?: Date;
  logLevel: string;
  consumer: { maxAttempts: number; backoffMs: number; batchMax: number; stuckAfterMs: number; drainMs: number };
  outbox: { sweepMs: number; batchSize: number; stopTimeoutMs: number; stuckAfterMs: number };
  deadlines: {
    queuePrefix: string;
    horizonMs: number;
    concurrency: number;
    pollMs: number;
    reconcileEveryMs: number;
    retry: { jobAttempts: number; jobBackoffMs: number; rearmBaseMs: number; rearmMaxMs: number };
    overdueGraceMs: number;
  };
  retention: {
    everyMs: number;
    batchSize: number;
    outboxMs: number;
    inboxMs: number;
    deadlinesMs: number;
    processorEventsMs: number;
  };
  /** Requests per minute and caller the public API (the gateway) takes before answering 429. */
  rateLimitPerMinute: number;
  /** Known callers by the SHA-256 digest of their bearer token; none known means every protected route answers 401. */
  apiCallers: Map<string, Caller>;
  /** STAFF_IDENTITY_SECRET, or null: staff identities are refused. */
  staffIdentitySecret: string | null;
}

/** DI token of the validated configuration. */
export const RECERT_CONFIG = Symbol('RecertConfig');

export class InvalidConfiguration extends Error {}

/** Reads and validates the environment for one service. */
export function loadRecertConfig(service: ServiceId, env: Record<string, string | undefined>): RecertConfig {
  const parsed = recertEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new InvalidConfiguration(`Invalid environment for ${service}: ${problems}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && e.CLOCK_MODE === 'controllable') {
    throw new InvalidConfiguration(
      `Invalid environment for ${service}: CLOCK_MODE: controllable is refused in production`,
    );
  }
  if (e.INBOX_RETENTION_DAYS * DAY_MS <= REDELIVERY_WINDOW_MS) {
    throw new InvalidConfiguration(
      `Invalid environment for ${service}: INBOX_RETENTION_DAYS: ${e.INBOX_RETENTION_DAYS} days would forget deliveries ` +
        `Kafka can still redeliver (topics keep a message up to ${REDELIVERY_WINDOW_MS / DAY_MS} days: retention.ms + segment.ms); ` +
        `keep the inbox longer than that`,
    );
  }
  let apiCallers: Map<string, Caller>;
  let sasl: KafkaSasl;
  try {
    apiCallers = parseApiTokens(e.API_TOKENS);
    sasl = kafkaSasl(service, env, { production: e.NODE_ENV === 'production' });
  } catch (error) {
    throw new InvalidConfiguration(`Invalid environment for ${service}: ${(error as Error).message}`);
  }
  return {
    apiCallers,
    staffIdentitySecret: e.STAFF_IDENTITY_SECRET ?? null,
    service,
    env: e.NODE_ENV,
    httpPort: e.HTTP_PORT ?? SERVICE_PORTS[service],
    database: {
      url: e.DATABASE_URL,
      schema: e.DB_SCHEMA ?? `${e.DB_SCHEMA_PREFIX}${service.replace(/-/g, '_')}`,
      poolSize: e.DB_POOL_SIZE,
    },
    // One client and consumer group per service: a shared group would hand each service
    // partitions of topics it has no handler for, and those events would be lost.
    kafka: {
      brokers: e.KAFKA_BROKERS,
      clientId: `${e.KAFKA_GROUP_PREFIX}${service}`,
      groupId: `${e.KAFKA_GROUP_PREFIX}${service}`,
      concurrency: e.CONSUMER_CONCURRENCY,
      sasl,
    },
    redisUrl: e.REDIS_URL,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    clockMode: e.CLOCK_MODE,
    clockStartAt: e.CLOCK_START_AT ? new Date(e.CLOCK_START_AT) : undefined,
    logLevel: e.LOG_LEVEL,
    consumer: {
      maxAttempts: e.CONSUMER_MAX_ATTEMPTS,
      backoffMs: e.CONSUMER_BACKOFF_MS,
      batchMax: e.CONSUMER_BATCH_MAX,
      stuckAfterMs: e.CONSUMER_STUCK_AFTER_MS,
      drainMs: e.SHUTDOWN_DRAIN_MS,
    },
    outbox: {
      sweepMs: e.OUTBOX_SWEEP_MS,
      batchSize: e.OUTBOX_BATCH_SIZE,
      stopTimeoutMs: e.OUTBOX_STOP_TIMEOUT_MS,
      stuckAfterMs: e.OUTBOX_STUCK_AFTER_MS,
    },
    deadlines: {
      queuePrefix: e.QUEUE_PREFIX,
      horizonMs: e.DEADLINE_HORIZON_HOURS * 3_600_000,
      concurrency: e.DEADLINE_CONCURRENCY,
      pollMs: e.DEADLINE_POLL_MS,
      reconcileEveryMs: e.DEADLINE_RECONCILE_MS,
      retry: {
        jobAttempts: e.DEADLINE_JOB_ATTEMPTS,
        jobBackoffMs: e.DEADLINE_JOB_BACKOFF_MS,
        rearmBaseMs: e.DEADLINE_REARM_BASE_MS,
        rearmMaxMs: e.DEADLINE_REARM_MAX_MS,
      },
      overdueGraceMs: e.DEADLINE_OVERDUE_GRACE_MS,
    },
    retention: {
      everyMs: e.RETENTION_EVERY_MS,
      batchSize: e.RETENTION_BATCH_SIZE,
      outboxMs: e.OUTBOX_RETENTION_DAYS * DAY_MS,
      inboxMs: e.INBOX_RETENTION_DAYS * DAY_MS,
      deadlinesMs: e.DEADLINE_RETENTION_DAYS * DAY_MS,
      processorEventsMs: e.PROCESSOR_EVENT_RETENTION_DAYS * DAY_MS,
    },
  };
}
