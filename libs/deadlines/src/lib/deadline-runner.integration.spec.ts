import IORedis from 'ioredis';
import { Clock, ControllableClock, FixedClock, MS_PER_DAY } from '@recert/clock';
import { MessagingTables1764000000000, UnitOfWork } from '@recert/messaging';
import { createTestDatabase, TestDatabase, uniqueName, waitFor } from '@recert/testing';
import { DeadlineRequest } from './deadline';
import { DeadlineRunner, DeadlineRunnerOptions } from './deadline-runner';
import { DeadlineScheduler } from './deadline-scheduler';
import { DeadlinesTables1764600000000 } from './deadlines-tables.migration';

// A Redis database of its own, so that flushing it (the FLUSHALL of a lost Redis) disturbs no one else.
const REDIS_URL = `${process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'}/9`;
const START = new Date('2026-12-01T00:00:00Z');
const HOUR = 3_600_000;

describe('DeadlineRunner on real PostgreSQL and Redis (issue 5)', () => {
  let db: TestDatabase;
  let clock: ControllableClock;
  let runner: DeadlineRunner;
  let redis: IORedis;
  const fired: string[] = [];

  const newRunner = (c: Clock, options: Partial<DeadlineRunnerOptions> = {}) =>
    new DeadlineRunner(db.dataSource, new UnitOfWork(db.dataSource, c, 'deadlines-test'), c, {
      service: uniqueName('svc'),
      redisUrl: REDIS_URL,
      prefix: uniqueName('dl'),
      concurrency: 4,
      horizonMs: 48 * HOUR,
      relayPollMs: 50,
      reconcileEveryMs: 60_000,
      batchSize: 100,
      timeTravel: true,
      retry: { jobAttempts: 8, jobBackoffMs: 1_000, rearmBaseMs: 30_000, rearmMaxMs: 1_800_000 },
      ...options,
    });

  const deadline = (subjectId: string, dueInMs: number, kind = 'expiration'): DeadlineRequest => ({
    kind,
    subjectId,
    dueAt: new Date(START.getTime() + dueInMs),
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

  beforeEach(async () => {
    db = await createTestDatabase({
      prefix: 'deadlines',
      migrations: [MessagingTables1764000000000, DeadlinesTables1764600000000],
      poolSize: 12,
    });
    await db.dataSource.query(`CREATE TABLE effects (deadline_id text NOT NULL, at timestamptz NOT NULL)`);
    clock = new ControllableClock(new FixedClock(START));
    runner = newRunner(clock);
    fired.length = 0;
    for (const kind of ['expiration', 'late-window-end', 'final-window-end'])
      runner.register(kind, async (scope, d) => {
        await scope.manager.query(`INSERT INTO effects (deadline_id, at) VALUES ($1, $2)`, [d.deadlineId, clock.now()]);
        fired.push(`${d.subjectId}@${d.dueAt.toISOString()}`);
        return `${d.kind} of ${d.subjectId}`;
      });
    await runner.start();
    redis = new IORedis(REDIS_URL);
  });

  afterEach(async () => {
    await runner.stop();
    await redis.quit();
    await db.drop();
  });

  it('fires each deadline once, at its due time under an advanced clock, in due order', async () => {
    await schedule(
      deadline('T-10', 10 * MS_PER_DAY),
      deadline('T-5', 5 * MS_PER_DAY),
      deadline('T-20', 20 * MS_PER_DAY),
    );

    clock.advanceDays(4);
    expect(await runner.fireDue()).toBe(0);
    clock.advanceDays(11);
    expect(await runner.fireDue()).toBe(2);
    expect(fired).toEqual(['T-5@2026-12-06T00:00:00.000Z', 'T-10@2026-12-11T00:00:00.000Z']);
    expect(await runner.nextDueAt()).toEqual(new Date('2026-12-21T00:00:00Z'));

    clock.advanceDays(400);
    expect(await runner.fireDue()).toBe(1);
    expect(await runner.fireDue()).toBe(0);
    expect(Object.values(await effects())).toEqual([1, 1, 1]);
    const rows = await db.dataSource.query(`SELECT status, outcome FROM deadlines ORDER BY due_at`);
    expect(rows).toEqual([
      { status: 'fired', outcome: 'expiration of T-5' },
      { status: 'fired', outcome: 'expiration of T-10' },
      { status: 'fired', outcome: 'expiration of T-20' },
    ]);
  });

  it('collapses duplicates: the same deadline scheduled twice is one row and one job, and fires once', async () => {
    const [first] = await schedule(deadline('T-dup', HOUR));
    const [again] = await schedule(deadline('T-dup', HOUR), deadline('T-dup', HOUR));
    expect(again).toBe(first);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM deadlines`)).toEqual([{ n: 1 }]);
    await runner.relayNow();
    await runner.relayNow();
    expect(await runner.reconcile()).toEqual({ checked: 1, recreated: 0, rearmed: 0 });
    clock.advanceBy(2 * HOUR);
    expect(await runner.fireDue()).toBe(1);
    expect(await effects()).toEqual({ [first]: 1 });
  });

  it('a cancelled deadline does nothing when its job runs', async () => {
    const [id] = await schedule(deadline('T-cancel', HOUR), deadline('T-keep', HOUR, 'late-window-end'));
    await runner.relayNow();
    expect(await db.dataSource.transaction((m) => DeadlineScheduler.cancel(m, 'T-cancel'))).toBe(1);
    clock.advanceBy(2 * HOUR);
    expect(await runner.fireDue()).toBe(1);
    expect(Object.keys(await effects())).not.toContain(id);
    expect(await db.dataSource.query(`SELECT status FROM deadlines WHERE deadline_id = $1`, [id])).toEqual([
      { status: 'cancelled' },
    ]);
  });

  it('after Redis lost every job, reconcile recreates them from PostgreSQL and each fires exactly once', async () => {
    const requests = Array.from({ length: 50 }, (_, i) => deadline(`T-${i}`, (i + 1) * 60_000));
    const ids = await schedule(...requests);
    await runner.relayNow();
    await redis.flushdb();
    expect(await runner.reconcile()).toEqual({ checked: 50, recreated: 50, rearmed: 0 });
    expect(await runner.reconcile()).toEqual({ checked: 50, recreated: 0, rearmed: 0 });
    clock.advanceBy(HOUR);
    expect(await runner.fireDue()).toBe(50);
    const counts = await effects();
    expect(ids.map((id) => counts[id])).toEqual(ids.map(() => 1));
  });

  it('leaves deadlines beyond the horizon in PostgreSQL only, and hands them over as they come near', async () => {
    await schedule(deadline('T-near', HOUR), deadline('T-far', 30 * MS_PER_DAY));
    await runner.relayNow();
    const queued = async () => (await redis.keys('*')).filter((k) => /expiration\.[0-9a-f]{24}$/.test(k)).length;
    expect(await queued()).toBe(1);
    clock.advanceDays(29);
    await runner.relayNow();
    expect(await queued()).toBe(2);
    expect(await runner.fireDue()).toBe(1);
    expect(await queued()).toBe(1);
  });

  it('a job delivered again after its deadline fired (a crash before the acknowledgement) changes nothing', async () => {
    const [id] = await schedule(deadline('T-redelivered', HOUR));
    clock.advanceBy(2 * HOUR);
    expect(await runner.fireDue()).toBe(1);
    // The same job once more, as Redis would redeliver a job whose worker died before acknowledging it.
    const other = newRunner(clock);
    other.register('expiration', async () => {
      throw new Error('must not run: the deadline already fired');
    });
    await other.start();
    try {
      await db.dataSource.query(`UPDATE deadlines SET enqueued_at = NULL`);
      const again = await db.dataSource.query(`SELECT status FROM deadlines WHERE deadline_id = $1`, [id]);
      expect(again).toEqual([{ status: 'fired' }]);
      expect(await other.fireDue()).toBe(0);
      expect(await effects()).toEqual({ [id]: 1 });
    } finally {
      await other.stop();
    }
  });

  it('an effect that fails rolls back with its deadline, and the retry applies it once', async () => {
    let attempts = 0;
    runner.register('final-window-end-flaky', async (scope, d) => {
      await scope.manager.query(`INSERT INTO effects (deadline_id, at) VALUES ($1, $2)`, [d.deadlineId, clock.now()]);
      if (++attempts === 1) throw new Error('the process died half-way');
      return 'done';
    });
    const [id] = await schedule(deadline('T-flaky', 0, 'final-window-end-flaky'));
    expect(await runner.fireDue()).toBe(1);
    expect(attempts).toBe(2);
    expect(await effects()).toEqual({ [id]: 1 });
  });

  it('a worker killed inside its handler leaves no effect; after the restart the deadline fires once', async () => {
    const shared = { service: uniqueName('svc'), prefix: uniqueName('dl'), timeTravel: false, lockDurationMs: 1_000 };
    const doomed = newRunner(clock, shared);
    let inside!: (pid: number) => void;
    const entered = new Promise<number>((resolve) => (inside = resolve));
    let die!: (error: Error) => void;
    const death = new Promise<string>((_, reject) => (die = reject));
    doomed.register('expiration', async (scope, d) => {
      await scope.manager.query(`INSERT INTO effects (deadline_id, at) VALUES ($1, $2)`, [d.deadlineId, clock.now()]);
      const [{ pid }] = await scope.manager.query(`SELECT pg_backend_pid() AS pid`);
      inside(pid);
      return death; // the process dies here, mid-transaction
    });
    await doomed.start();
    const [id] = await schedule(deadline('T-killed', 0));
    await doomed.relayNow();
    const pid = await entered;

    // kill -9: the worker stops renewing its lock, its Redis and PostgreSQL connections drop.
    await doomed['worker']?.close(true);
    doomed['connection']?.disconnect();
    await db.dataSource.query(`SELECT pg_terminate_backend($1)`, [pid]);
    // What remains of the dead process in this test process lets go of its pooled connection.
    die(new Error('killed'));
    clearInterval(doomed['relayTimer']);
    clearInterval(doomed['reconcileTimer']);

    const restarted = newRunner(clock, shared);
    restarted.register('expiration', async (scope, d) => {
      await scope.manager.query(`INSERT INTO effects (deadline_id, at) VALUES ($1, $2)`, [d.deadlineId, clock.now()]);
      return 'fired after the restart';
    });
    await restarted.start();
    try {
      const [row] = await waitFor(
        () => db.dataSource.query(`SELECT status, outcome FROM deadlines WHERE deadline_id = $1`, [id]),
        (rows) => rows[0]?.status === 'fired',
        { timeoutMs: 30_000, what: 'the stalled deadline to fire after the restart' },
      );
      expect(row.outcome).toBe('fired after the restart');
      expect(await effects()).toEqual({ [id]: 1 });
    } finally {
      await restarted.stop();
    }
  });
});
