import { loadRecertConfig } from './recert-config';

describe('loadRecertConfig', () => {
  it('defaults to this machine: local PostgreSQL, Kafka and Redis, a schema and group per service', () => {
    const config = loadRecertConfig('ceu-verification', {});
    expect(config).toMatchObject({
      httpPort: 3002,
      database: { url: 'postgres://postgres@127.0.0.1:5432/recert', schema: 'ceu_verification' },
      kafka: { brokers: ['127.0.0.1:9092'], groupId: 'recert-ceu-verification', clientId: 'recert-ceu-verification' },
      redisUrl: 'redis://127.0.0.1:6379',
      clockMode: 'system',
    });
  });

  it('reads overrides from the environment', () => {
    const config = loadRecertConfig('payments', {
      HTTP_PORT: '4004',
      KAFKA_BROKERS: 'a:1, b:2',
      DB_SCHEMA: 't_payments',
      CONSUMER_MAX_ATTEMPTS: '2',
    });
    expect(config.httpPort).toBe(4004);
    expect(config.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(config.database.schema).toBe('t_payments');
    expect(config.consumer.maxAttempts).toBe(2);
  });

  it("issue 15: a deadline's retry policy and overdue grace, by default and from the environment", () => {
    expect(loadRecertConfig('audits', {}).deadlines).toMatchObject({
      retry: { jobAttempts: 8, jobBackoffMs: 1_000, rearmBaseMs: 30_000, rearmMaxMs: 1_800_000 },
      overdueGraceMs: 900_000,
    });
    const config = loadRecertConfig('audits', {
      DEADLINE_JOB_ATTEMPTS: '2',
      DEADLINE_JOB_BACKOFF_MS: '100',
      DEADLINE_REARM_BASE_MS: '200',
      DEADLINE_REARM_MAX_MS: '800',
      DEADLINE_OVERDUE_GRACE_MS: '60000',
    });
    expect(config.deadlines).toMatchObject({
      retry: { jobAttempts: 2, jobBackoffMs: 100, rearmBaseMs: 200, rearmMaxMs: 800 },
      overdueGraceMs: 60_000,
    });
  });

  it('issue 15: retention policies in days, by default and from the environment', () => {
    const day = 86_400_000;
    expect(loadRecertConfig('payments', {}).retention).toEqual({
      everyMs: 3_600_000,
      batchSize: 10_000,
      outboxMs: 7 * day,
      inboxMs: 14 * day,
      deadlinesMs: 30 * day,
      processorEventsMs: 2_555 * day,
    });
    const config = loadRecertConfig('payments', {
      RETENTION_EVERY_MS: '60000',
      RETENTION_BATCH_SIZE: '500',
      OUTBOX_RETENTION_DAYS: '2',
      INBOX_RETENTION_DAYS: '9',
      DEADLINE_RETENTION_DAYS: '3',
      PROCESSOR_EVENT_RETENTION_DAYS: '400',
    });
    expect(config.retention).toEqual({
      everyMs: 60_000,
      batchSize: 500,
      outboxMs: 2 * day,
      inboxMs: 9 * day,
      deadlinesMs: 3 * day,
      processorEventsMs: 400 * day,
    });
  });

  it('issue 15: refuses an inbox kept no longer than Kafka can redeliver (topics: 7 days + a 1-day segment)', () => {
    for (const days of ['7', '8'])
      expect(() => loadRecertConfig('applications', { INBOX_RETENTION_DAYS: days })).toThrow(
        new RegExp(
          `INBOX_RETENTION_DAYS: ${days} days would forget deliveries Kafka can still redeliver .*up to 8 days`,
        ),
      );
  });

  it('gives a test run schemas and consumer groups of its own', () => {
    const config = loadRecertConfig('ceu-verification', {
      DB_SCHEMA_PREFIX: 'e2e_ab12_',
      KAFKA_GROUP_PREFIX: 'e2e-ab12-',
    });
    expect(config.database.schema).toBe('e2e_ab12_ceu_verification');
    expect(config.kafka.groupId).toBe('e2e-ab12-ceu-verification');
  });

  it('issue 13: authenticates each service to Kafka as its own principal, with its own password', () => {
    const env = { KAFKA_PASSWORD_PAYMENTS: 'p-secret', KAFKA_PASSWORD_CEU_VERIFICATION: 'c-secret' };
    expect(loadRecertConfig('payments', env).kafka.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'payments',
      password: 'p-secret',
    });
    expect(loadRecertConfig('ceu-verification', env).kafka.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'ceu-verification',
      password: 'c-secret',
    });
    // Unset outside production: the development password scripts/infra/kafka.sh gives the broker.
    expect(loadRecertConfig('audits', env).kafka.sasl.password).toBe('audits-dev-password');
  });

  it("issue 13: requires the service's own Kafka password in production", () => {
    expect(() => loadRecertConfig('audits', { NODE_ENV: 'production', KAFKA_PASSWORD_PAYMENTS: 'not-mine' })).toThrow(
      /KAFKA_PASSWORD_AUDITS: required in production/,
    );
    expect(() => loadRecertConfig('audits', { KAFKA_PASSWORD_AUDITS: '' })).toThrow(/KAFKA_PASSWORD_AUDITS/);
  });

  it('names every invalid variable', () => {
    expect(() => loadRecertConfig('audits', { HTTP_PORT: 'abc', DB_SCHEMA: 'Drop Table' })).toThrow(
      /HTTP_PORT: .*DB_SCHEMA: must be a lower-case SQL identifier/,
    );
  });

  it('refuses a controllable clock in production', () => {
    expect(() => loadRecertConfig('gateway', { NODE_ENV: 'production', CLOCK_MODE: 'controllable' })).toThrow(
      /CLOCK_MODE: controllable is refused in production/,
    );
  });

  it('starts a controllable clock where the system had moved it (a restart after time travel)', () => {
    const config = loadRecertConfig('audits', { CLOCK_MODE: 'controllable', CLOCK_START_AT: '2030-01-01T00:00:00Z' });
    expect(config.clockStartAt?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(() => loadRecertConfig('audits', { CLOCK_START_AT: 'tomorrow' })).toThrow(/CLOCK_START_AT/);
  });
});
