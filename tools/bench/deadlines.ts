import IORedis from 'ioredis';
import { FixedClock } from '@recert/clock';
import { DeadlineRunner, DeadlineScheduler, DeadlinesTables1764600000000 } from '@recert/deadlines';
import { MessagingTables1764000000000, UnitOfWork } from '@recert/messaging';
import { createTestDatabase, uniqueName } from '@recert/testing';

/**
 * The deadline scheduler at scale, on this machine's PostgreSQL and Redis (issue 5):
 *
 *   npm run bench:deadlines -- 100000      (1400000 runs too: a two-year cycle's worth per trainer is ~8x that)
 *
 * 1. schedule N deadlines (rows, in batches of 1,000 per transaction) → rows/s;
 * 2. hand them all to BullMQ (a horizon wide enough for every one: the worst case) → jobs/s and
 *    Redis memory per deadline;
 * 3. FLUSHDB, then reconcile → time to recreate every job from PostgreSQL;
 * 4. a burst of 10,000 deadlines due at once → time until every one fired (4 workers).
 * It uses a Redis database of its own (index 11) and a throw-away schema in recert_test.
 */
const count = Number(process.argv[2] ?? 100_000);
const BURST = 10_000;
const REDIS_URL = `${process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'}/11`;
const DAY = 86_400_000;

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en-US')}/s`;

async function usedMemory(redis: IORedis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

async function main(): Promise<void> {
  const db = await createTestDatabase({
    prefix: 'bench_deadlines',
    migrations: [MessagingTables1764000000000, DeadlinesTables1764600000000],
    poolSize: 8,
  });
  const redis = new IORedis(REDIS_URL);
  await redis.flushdb();
  // The benchmark's own fixed "now": every deadline lies ahead of it, from 1 to 730 days.
  const clock = new FixedClock(new Date('2027-01-01T00:00:00Z'));
  const runner = new DeadlineRunner(db.dataSource, new UnitOfWork(db.dataSource, clock, 'bench'), clock, {
    service: 'bench',
    redisUrl: REDIS_URL,
    prefix: uniqueName('bench'),
    concurrency: 4,
    horizonMs: 800 * DAY,
    relayPollMs: 3_600_000,
    reconcileEveryMs: 3_600_000,
    batchSize: 1_000,
    timeTravel: false,
    retry: { jobAttempts: 8, jobBackoffMs: 1_000, rearmBaseMs: 30_000, rearmMaxMs: 1_800_000 },
  });
  let fired = 0;
  runner.register('bench', async () => `fired ${++fired}`);
  const results: Record<string, string | number> = { deadlines: count };
  try {
    console.log(`scheduling ${count.toLocaleString('en-US')} deadlines…`);
    let t = process.hrtime.bigint();
    for (let i = 0; i < count; i += 1_000) {
      const batch = Array.from({ length: Math.min(1_000, count - i) }, (_, j) => ({
        kind: 'bench',
        subjectId: `T-${i + j}`,
        dueAt: new Date(clock.now().getTime() + (1 + ((i + j) % 730)) * DAY),
        payload: { n: i + j },
      }));
      await db.dataSource.transaction((m) => DeadlineScheduler.schedule(m, batch));
      if ((i / 1_000) % 100 === 99) process.stdout.write(`  ${(i + 1_000).toLocaleString('en-US')}\r`);
    }
    let s = seconds(t);
    results['schedule (PostgreSQL rows)'] = `${s.toFixed(1)} s, ${rate(count, s)}`;

    const before = await usedMemory(redis);
    t = process.hrtime.bigint();
    await runner.start(); // its first reconcile hands every deadline within the horizon to BullMQ
    s = seconds(t);
    results['hand over to BullMQ (delayed jobs)'] = `${s.toFixed(1)} s, ${rate(count, s)}`;
    const after = await usedMemory(redis);
    results['Redis memory per deadline (job + delayed entry)'] = `${Math.round((after - before) / count)} bytes`;
    results['Redis memory, all deadlines in Redis'] = `${((after - before) / 1024 / 1024).toFixed(0)} MB`;

    await redis.flushdb();
    t = process.hrtime.bigint();
    const reconciled = await runner.reconcile();
    s = seconds(t);
    results['reconcile after FLUSHDB'] = `${s.toFixed(1)} s for ${reconciled.recreated.toLocaleString('en-US')} jobs, ${rate(reconciled.recreated, s)}`;

    // The burst: 10,000 deadlines already due, handed over by the relay and fired by the workers.
    await db.dataSource.query(`UPDATE deadlines SET status = 'cancelled'`);
    const burst = Array.from({ length: BURST }, (_, i) => ({
      kind: 'bench',
      subjectId: `B-${i}`,
      dueAt: new Date(clock.now().getTime() - 1_000),
      payload: { burst: i },
    }));
    for (let i = 0; i < BURST; i += 1_000)
      await db.dataSource.transaction((m) => DeadlineScheduler.schedule(m, burst.slice(i, i + 1_000)));
    fired = 0;
    t = process.hrtime.bigint();
    await runner.relayNow();
    for (;;) {
      const [{ open }] = await db.dataSource.query(
        `SELECT count(*)::int AS open FROM deadlines WHERE status = 'scheduled'`,
      );
      if (open === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    s = seconds(t);
    results[`burst of ${BURST.toLocaleString('en-US')} due at once`] = `${s.toFixed(1)} s until all fired, ${rate(BURST, s)}`;
  } finally {
    await runner.stop();
    await redis.flushdb();
    await redis.quit();
    await db.drop();
  }
  console.log('');
  for (const [what, figure] of Object.entries(results)) console.log(`${what.padEnd(50)} ${figure}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
