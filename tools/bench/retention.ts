import { DataSource } from 'typeorm';
import { FixedClock } from '@recert/clock';
import {
  deadlinesRetentionRule,
  DeadlinesRetentionIndex1767200000001,
  DeadlinesTables1764600000000,
} from '@recert/deadlines';
import {
  messagingRetentionRules,
  MessagingTables1764000000000,
  Retention,
  RetentionIndexes1767200000000,
} from '@recert/messaging';
import { loadRecertConfig } from '@recert/platform';
import { createTestDatabase } from '@recert/testing';

/**
 * Retention at scale, on this machine's PostgreSQL (issue 15):
 *
 *   npm run bench:retention -- 100000
 *
 * A throw-away schema in recert_test gets a service's outbox, inbox and deadlines tables, with
 * the policies' defaults (RecertConfig). Per trainer 10 rows older than every policy (4 published
 * outbox events, 4 processed inbox records, 2 fired deadlines); besides them, per 10 trainers one
 * young row of each kind (inside the policy), and in the first generation, per 100 trainers, one of
 * each kind retention never purges (unpublished, dead-lettered, scheduled): later ones add none, so
 * that what the table keeps forever does not hide whether the rest stops growing. Then: sizes; retention (batches of
 * RETENTION_BATCH_SIZE); sizes; VACUUM (what autovacuum does); sizes; a second VACUUM. The same volume comes again a
 * retention period later (what a steady system writes), `--generations N` times (3), to show the
 * freed space is reused: the tables stop growing.
 */
const trainers = Number(process.argv[2] ?? 100_000);
/** How many retention periods are played (`--generations N`, 3 by default). */
const generationsFlag = process.argv.indexOf('--generations');
const generations = generationsFlag > 0 ? Number(process.argv[generationsFlag + 1]) : 3;
const DAY = 86_400_000;
const TABLES = ['outbox', 'inbox', 'deadlines'] as const;
const CHUNK = 50_000;

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

interface Snapshot {
  rows: number;
  /** pg_total_relation_size: the table, its TOAST and its indexes. */
  bytes: number;
  indexBytes: number;
}

async function snapshot(db: DataSource): Promise<Record<string, Snapshot>> {
  const result: Record<string, Snapshot> = {};
  for (const table of TABLES) {
    const [row] = await db.query(
      `SELECT count(*)::int AS rows, pg_total_relation_size(to_regclass($1))::bigint AS bytes,
              pg_indexes_size(to_regclass($1))::bigint AS "indexBytes" FROM ${table}`,
      [table],
    );
    result[table] = { rows: row.rows, bytes: Number(row.bytes), indexBytes: Number(row.indexBytes) };
  }
  return result;
}

/** One generation's rows (see above), old ones at `at` and young ones at `young`; in chunks, each one statement. */
async function fill(db: DataSource, generation: number, at: Date, young: Date): Promise<void> {
  // Rows retention never purges: the first generation's, 1 per 100 trainers of each kind.
  const kept = generation === 1 ? 'n = 1 AND t % 100 = 0' : 'false';
  for (let from = 1; from <= trainers; from += CHUNK) {
    const to = Math.min(trainers, from + CHUNK - 1);
    const range = [from, to, at, `${generation}`];
    // Events as the outbox holds them: an envelope of some 500 bytes.
    await db.query(
      `INSERT INTO outbox (event_id, topic, message_key, event_type, envelope, created_at, published_at)
       SELECT gen_random_uuid(), 'recert.ceu', 'T-' || t, 'LedgerAtReceipt',
              jsonb_build_object('id', gen_random_uuid(), 'type', 'LedgerAtReceipt', 'version', 1, 'key', 'T-' || t,
                'producer', 'ceu-verification', 'occurredAt', $3::timestamptz, 'correlationId', gen_random_uuid(),
                'causationId', gen_random_uuid(), 'payload', jsonb_build_object('trainerId', 'T-' || t,
                'applicationId', gen_random_uuid(), 'ceus', 20, 'completions', jsonb_build_array('c1', 'c2', 'c3'))),
              $3, CASE WHEN ${kept} THEN NULL ELSE $3::timestamptz END
       FROM generate_series($1::int, $2::int) t, generate_series(1, 4) n`,
      range.slice(0, 3),
    );
    await db.query(
      `INSERT INTO inbox (consumer, message_id, outcome, topic, event_type, received_at)
       SELECT 'recert-ceu-verification', $4 || ':' || gen_random_uuid(),
              CASE WHEN ${kept} THEN 'dead-lettered' ELSE 'processed' END,
              'recert.applications', 'ApplicationReceived', $3
       FROM generate_series($1::int, $2::int) t, generate_series(1, 4) n`,
      range,
    );
    await db.query(
      `INSERT INTO deadlines (deadline_id, kind, subject_id, due_at, payload, status, enqueued_at, fired_at, outcome, created_at)
       SELECT 'expiration.' || $4 || '.' || t || '.' || n, 'expiration', 'T-' || t, $3, jsonb_build_object('cycleId', 'C-' || t),
              CASE WHEN ${kept} THEN 'scheduled' ELSE 'fired' END, $3,
              CASE WHEN ${kept} THEN NULL ELSE $3::timestamptz END, 'expired', $3
       FROM generate_series($1::int, $2::int) t, generate_series(1, 2) n`,
      range,
    );
    // The young rows, inside every policy.
    await db.query(
      `INSERT INTO outbox (event_id, topic, message_key, event_type, envelope, created_at, published_at)
       SELECT gen_random_uuid(), 'recert.ceu', 'T-' || t, 'LedgerAtReceipt', '{}'::jsonb, $3, $3
       FROM generate_series($1::int, $2::int) t WHERE t % 10 = 0`,
      [from, to, young],
    );
    await db.query(
      `INSERT INTO inbox (consumer, message_id, outcome, topic, event_type, received_at)
       SELECT 'recert-ceu-verification', $4 || ':young:' || t, 'processed', 'recert.applications', 'ApplicationReceived', $3
       FROM generate_series($1::int, $2::int) t WHERE t % 10 = 0`,
      [from, to, young, `${generation}`],
    );
    await db.query(
      `INSERT INTO deadlines (deadline_id, kind, subject_id, due_at, payload, status, fired_at, outcome)
       SELECT 'reminder.' || $4 || '.' || t, 'reminder', 'T-' || t, $3, '{}'::jsonb, 'fired', $3, 'reminded'
       FROM generate_series($1::int, $2::int) t WHERE t % 10 = 0`,
      [from, to, young, `${generation}`],
    );
  }
}

async function purge(db: DataSource, now: Date, batchSize: number) {
  const config = loadRecertConfig('ceu-verification', process.env).retention;
  let slowestBatch = 0;
  let batches = 0;
  let last = process.hrtime.bigint();
  const retention = new Retention(db, new FixedClock(now), {
    batchSize,
    onPurged: () => {
      slowestBatch = Math.max(slowestBatch, seconds(last));
      batches++;
      last = process.hrtime.bigint();
    },
  });
  for (const rule of messagingRetentionRules(config)) retention.register(rule);
  retention.register(deadlinesRetentionRule(config.deadlinesMs));
  const t = process.hrtime.bigint();
  const purged = await retention.purge();
  return { purged, seconds: seconds(t), batches, slowestBatch };
}

async function main(): Promise<void> {
  const config = loadRecertConfig('ceu-verification', process.env).retention;
  const oldest = Math.max(config.outboxMs, config.inboxMs, config.deadlinesMs);
  const db = await createTestDatabase({
    prefix: 'bench_retention',
    migrations: [
      MessagingTables1764000000000,
      DeadlinesTables1764600000000,
      RetentionIndexes1767200000000,
      DeadlinesRetentionIndex1767200000001,
    ],
  });
  const ds = db.dataSource;
  const columns: { name: string; sizes: Record<string, Snapshot> }[] = [];
  const runs: string[] = [];
  try {
    // The benchmark's own "now"; each generation's old rows are a day older than every policy.
    let now = new Date('2027-01-01T00:00:00Z');
    for (let generation = 1; generation <= generations; generation++) {
      const t = process.hrtime.bigint();
      await fill(ds, generation, new Date(now.getTime() - oldest - DAY), new Date(now.getTime() - DAY));
      await ds.query(`ANALYZE`);
      console.log(
        `generation ${generation}: ${trainers.toLocaleString('en-US')} trainers' rows in ${seconds(t).toFixed(1)} s`,
      );
      columns.push({ name: `filled ${generation}`, sizes: await snapshot(ds) });
      const run = await purge(ds, now, config.batchSize);
      runs.push(
        `retention run ${generation}: ${Object.entries(run.purged)
          .map(([table, n]) => `${table} ${n.toLocaleString('en-US')}`)
          .join(
            ', ',
          )} rows in ${run.seconds.toFixed(1)} s, ${run.batches} batches of ≤ ${config.batchSize.toLocaleString('en-US')} (slowest ${(run.slowestBatch * 1000).toFixed(0)} ms)`,
      );
      console.log(runs[runs.length - 1]);
      columns.push({ name: `retention ${generation}`, sizes: await snapshot(ds) });
      await ds.query(`VACUUM (ANALYZE) outbox, inbox, deadlines`);
      columns.push({ name: `VACUUM ${generation}`, sizes: await snapshot(ds) });
      // Autovacuum runs many times in a retention period; an index page one VACUUM emptied is
      // recycled only by a later one (once no snapshot can still see it).
      await ds.query(`VACUUM outbox, inbox, deadlines`);
      // The next generation comes a retention period later.
      now = new Date(now.getTime() + oldest + DAY);
    }
    console.log(
      `\n${trainers.toLocaleString('en-US')} trainers; policies: outbox ${config.outboxMs / DAY} d, inbox ${config.inboxMs / DAY} d, deadlines ${config.deadlinesMs / DAY} d`,
    );
    console.log(`| table | ${columns.map((c) => c.name).join(' | ')} |`);
    console.log(`|---|${columns.map(() => '---').join('|')}|`);
    for (const table of TABLES)
      console.log(
        `| ${table} | ${columns
          .map(
            (c) =>
              `${c.sizes[table].rows.toLocaleString('en-US')} rows, ${mb(c.sizes[table].bytes)} (indexes ${mb(c.sizes[table].indexBytes)})`,
          )
          .join(' | ')} |`,
      );
  } finally {
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
