import { AddressInfo, createServer, Server, Socket, connect } from 'node:net';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { SystemClock } from '@recert/clock';
import { MessagingTables1764000000000, UnitOfWork } from '@recert/messaging';
import { databaseOptions } from '@recert/platform';
import { createTestDatabase, TEST_DATABASE_URL, TestDatabase, uniqueName, waitFor } from '@recert/testing';
import { DeadlineRequest } from './deadline';
import { deadlineQueueName, DeadlineRunner, DeadlineRunnerOptions } from './deadline-runner';
import { DeadlineScheduler } from './deadline-scheduler';
import { DeadlinesTables1764600000000 } from './deadlines-tables.migration';

// The production path: the system clock, no fireDue; BullMQ alone fires deadlines. Each test has
// its own queue prefix and deletes only its own keys (the Redis is shared with other test runs).
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * A TCP forwarder to PostgreSQL that can be cut and restored: "PostgreSQL down" for one pool
 * only, while the shared server keeps serving everyone else.
 */
class CuttableProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Refuses new connections and drops open ones, as a crashed server would. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

describe('DeadlineRunner on the production path: system clock, BullMQ alone (issue 15)', () => {
  const clock = new SystemClock();
  let db: TestDatabase;
  let proxy: CuttableProxy;
  let proxied: DataSource;
  let redis: IORedis;
  let service: string;
  let prefix: string;
  let queue: Queue;
  let options: DeadlineRunnerOptions;
  let runner: DeadlineRunner;

  const deadline = (subjectId: string, dueInMs: number): DeadlineRequest => ({
    kind: 'expiration',
    subjectId,
    dueAt: new Date(clock.now().getTime() + dueInMs),
    payload: { subjectId },
  });

  const schedule = (...requests: DeadlineRequest[]) =>
    db.dataSource.transaction((m) => DeadlineScheduler.schedule(m, requests));

  const effects = async (): Promise<Record<string, number>> => {
    const rows: { deadline_id: string; n: number }[] = await db.dataSource.query(
      `SELECT deadline_id, count(*)::int AS n FROM effects GROUP BY deadline_id`,
    );
    return Object.fromEntries(rows.map((r) => [r.deadline_id, r.n]));
  };

  const statuses = async (ids: string[]): Promise<string[]> =>
    (
      await db.dataSource.query(
        `SELECT status FROM deadlines WHERE deadline_id = ANY($1::text[]) ORDER BY deadline_id`,
        [ids],
      )
    ).map((r: { status: string }) => r.status);

  const jobState = async (id: string) => (await (await queue.getJob(id))?.getState()) ?? 'missing';

  const ownKeys = async (): Promise<string[]> => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys;
  };

  beforeEach(async () => {
    db = await createTestDatabase({
      prefix: 'deadlines_prod',
      migrations: [MessagingTables1764000000000, DeadlinesTables1764600000000],
    });
    await db.dataSource.query(`CREATE TABLE effects (deadline_id text NOT NULL, at timestamptz NOT NULL)`);
    const target = new URL(TEST_DATABASE_URL);
    proxy = new CuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.open();
    target.host = `127.0.0.1:${proxy.port}`;
    proxied = new DataSource(
      databaseOptions({ url: target.toString(), schema: db.schema, poolSize: 4 }, { entities: [], migrations: [] }),
    );
    await proxied.initialize();
    redis = new IORedis(REDIS_URL);
    service = uniqueName('svc');
    prefix = uniqueName('dlprod');
    queue = new Queue(deadlineQueueName(service), { connection: redis, prefix });
    options = {
      service,
      redisUrl: REDIS_URL,
      prefix,
      concurrency: 4,
      horizonMs: 3_600_000,
      relayPollMs: 100,
      reconcileEveryMs: 300,
      batchSize: 100,
      timeTravel: false,
      // Short windows so that a job exhausts its attempts within a second.
      retry: { jobAttempts: 2, jobBackoffMs: 100, rearmBaseMs: 200, rearmMaxMs: 800 },
    };
    runner = new DeadlineRunner(proxied, new UnitOfWork(proxied, clock, 'deadlines-prod-test'), clock, options);
    runner.register('expiration', async (scope, d) => {
      await scope.manager.query(`INSERT INTO effects (deadline_id, at) VALUES ($1, $2)`, [d.deadlineId, clock.now()]);
      return `expiration of ${d.subjectId}`;
    });
  });

  afterEach(async () => {
    await runner.stop();
    await queue.close();
    const keys = await ownKeys();
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await proxy.cut();
    await proxied.destroy().catch(() => undefined);
    await db.drop();
  });

  it('PostgreSQL down through a due time for longer than the job attempts: once it is back, the deadline fires once', async () => {
    const [id] = await schedule(deadline('T-outage', 1_500));
    await runner.start();
    expect(await jobState(id)).toBe('delayed');

    await proxy.cut();
    await waitFor(
      () => jobState(id),
      (state) => state === 'failed',
      { timeoutMs: 10_000, what: 'the job to exhaust its attempts while PostgreSQL is down' },
    );
    // Down for a while longer: the reconciler's rounds fail too.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await statuses([id])).toEqual(['scheduled']);
    // What the overdue gauge reports meanwhile (read past the proxy: the scrape's own database is up).
    const observer = new DeadlineRunner(
      db.dataSource,
      new UnitOfWork(db.dataSource, clock, 'observer'),
      clock,
      options,
    );
    expect(await observer.overdue(500)).toEqual([{ kind: 'expiration', overdue: 1 }]);

    await proxy.open();
    await waitFor(
      () => statuses([id]),
      (s) => s[0] === 'fired',
      { timeoutMs: 15_000, what: 'the stranded deadline to fire once PostgreSQL is back' },
    );
    // A few more reconciler rounds: nothing fires twice, no job is left behind.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await effects()).toEqual({ [id]: 1 });
    expect(await jobState(id)).toBe('missing');
    expect(await observer.overdue(500)).toEqual([]);
  });

  it('jobs vanish from Redis before they are due: the reconciler re-arms them and each fires once', async () => {
    const ids = await schedule(...Array.from({ length: 20 }, (_, i) => deadline(`T-${i}`, 1_500 + 25 * i)));
    await runner.start();
    expect(await Promise.all(ids.map(jobState))).toEqual(ids.map(() => 'delayed'));

    // The FLUSHALL of a lost Redis, confined to this test's keys.
    await redis.del(...(await ownKeys()));
    expect(await jobState(ids[0])).toBe('missing');

    await waitFor(
      () => statuses(ids),
      (s) => s.every((status) => status === 'fired'),
      { timeoutMs: 15_000, what: 'every deadline to fire after its job vanished' },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const counts = await effects();
    expect(ids.map((id) => counts[id])).toEqual(ids.map(() => 1));
  });

  it('a job that failed for another reason (its handler threw every attempt) is re-armed until the deadline fires', async () => {
    let calls = 0;
    runner.register('late-window-end', async (scope, d) => {
      // The first 3 calls fail: the job's 2 attempts, then the first re-armed attempt.
      if (++calls <= 3) throw new Error(`transient failure ${calls}`);
      await scope.manager.query(`INSERT INTO effects (deadline_id, at) VALUES ($1, $2)`, [d.deadlineId, clock.now()]);
      return 'fired after failures';
    });
    const [id] = await schedule({ ...deadline('T-flaky', 500), kind: 'late-window-end' });
    await runner.start();

    await waitFor(
      () => statuses([id]),
      (s) => s[0] === 'fired',
      { timeoutMs: 15_000, what: 'the failed deadline to be re-armed and fire' },
    );
    expect(calls).toBe(4);
    expect(await effects()).toEqual({ [id]: 1 });
  });

  it('a deadline scheduled within the horizon reaches BullMQ at its commit, not at the next sweep', async () => {
    // A sweep an hour apart: only the commit's wake-up can fire this deadline in time.
    runner = new DeadlineRunner(proxied, new UnitOfWork(proxied, clock, 'deadlines-prod-test'), clock, {
      ...options,
      relayPollMs: 3_600_000,
      reconcileEveryMs: 3_600_000,
    });
    runner.register('expiration', async (scope, d) => {
      await scope.manager.query(`INSERT INTO effects (deadline_id, at) VALUES ($1, $2)`, [d.deadlineId, clock.now()]);
      return `expiration of ${d.subjectId}`;
    });
    await runner.start();

    // Scheduled as a use case does: in a transaction of the service's own DataSource.
    const [id] = await proxied.transaction((m) => DeadlineScheduler.schedule(m, [deadline('T-soon', 300)]));
    await waitFor(
      () => statuses([id]),
      (s) => s[0] === 'fired',
      { timeoutMs: 10_000, what: 'the deadline scheduled after start to fire' },
    );
    expect(await effects()).toEqual({ [id]: 1 });
    // One beyond the horizon stays in PostgreSQL only.
    const [later] = await proxied.transaction((m) =>
      DeadlineScheduler.schedule(m, [deadline('T-later', options.horizonMs + 60_000)]),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await jobState(later)).toBe('missing');
  });
});
