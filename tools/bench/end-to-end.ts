import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { MultiBar, Presets } from 'cli-progress';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { KAFKA_ADMIN } from '@recert/contracts';
import { fetchTopicEnds } from '@recert/messaging';
import { devApiToken } from '../dev-api-token';
import { kafkaAs, kafkaBrokers } from '../kafka-clients';
import { describeExpected, LoadProgress, LoadReport, TrainerLoad } from '../load/trainer-load';
import { cpuOf, cpuOfCommand, ms, peakRssMb, pssMbOfCommand, ROOT, systemProcesses, table } from './processes';
import { measureRawLimits, RawLimits, rawLimitsTable } from './raw-limits';

/**
 * The end-to-end benchmark: the machine's raw limits first (Kafka's own perf tools, pgbench,
 * redis-benchmark, while nothing else runs), then N trainers played through Kafka against the
 * running system (`npm start`), then the product's figures beside those limits.
 *
 *   npm run bench -- 10000                 (N trainers; default 10,000)
 *   npm run bench -- 1400000 --skip-raw    (1.4 M with patience; --quick-raw for a short raw run)
 *
 * Prints a table and writes .local/bench/end-to-end-<time>.json for comparison between runs.
 */
const args = process.argv.slice(2);
const trainers = Number(args.find((a) => /^\d+$/.test(a)) ?? 10_000);
const flag = (name: string) => args.includes(`--${name}`);
const gatewayUrl = process.env['RECERT_URL'] ?? 'http://127.0.0.1:3000';
const brokers = kafkaBrokers();
const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/recert';
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** What the infrastructure did while the product ran: read before and after the load. */
interface InfraCounters {
  at: number;
  kafkaMessages: number;
  postgresCommits: number;
  redisCommands: number;
  cpuSeconds: Record<string, number>;
  memoryMb: Record<string, number>;
}

async function main(): Promise<void> {
  const ready = await fetch(`${gatewayUrl}/health/ready`).catch(() => undefined);
  if (!ready?.ok) throw new Error(`the system does not answer at ${gatewayUrl}/health/ready: start it with npm start`);

  let raw: RawLimits | null = null;
  if (!flag('skip-raw')) {
    console.log(`Raw limits of this machine (${flag('quick-raw') ? 'quick' : 'full'} profile), nothing else running…`);
    raw = await measureRawLimits({ kafkaBrokers: brokers, quick: flag('quick-raw'), log: () => undefined });
    console.log(rawLimitsTable(raw));
  }

  const load = new TrainerLoad({ trainers, brokers, gatewayUrl, apiToken: devApiToken() });
  const bars = new MultiBar(
    {
      format: ' {phase} |{bar}| {value}/{total} {what}',
      hideCursor: true,
      clearOnComplete: false,
      // Without a terminal (CI, a log file) a line every 10 s instead of a redrawn bar.
      noTTYOutput: true,
      notTTYSchedule: 10_000,
    },
    Presets.shades_classic,
  );
  const ledgers = bars.create(trainers, 0, { phase: 'prepare', what: 'ledgers complete' });
  let submitted: ReturnType<MultiBar['create']> | undefined;
  let decided: ReturnType<MultiBar['create']> | undefined;
  const show = (p: LoadProgress) => {
    ledgers.update(p.ledgersReady);
    submitted ??=
      p.phase === 'submit'
        ? bars.create(p.applications, 0, { phase: 'submit ', what: 'applications sent' })
        : undefined;
    decided ??=
      p.phase !== 'prepare' ? bars.create(p.applications, 0, { phase: 'decide ', what: 'outcomes' }) : undefined;
    submitted?.update(p.submitted);
    decided?.update(p.outcomes);
  };

  const prepareStarted = performance.now();
  await load.prepare(show);
  const prepareSeconds = (performance.now() - prepareStarted) / 1000;
  await analyzeTables();
  const loadSamples: number[] = [];
  const sampler = setInterval(() => loadSamples.push(loadavg()[0]), 2_000);
  const profiled = await resetStatementProfile();
  const before = await infraCounters();
  await load.submit({ onProgress: show });
  const report = await load.settle({ onProgress: show });
  const after = await infraCounters();
  const statements = profiled ? await readStatementProfile() : null;
  clearInterval(sampler);
  show(load.progress());
  bars.stop();
  await load.stop();

  const product = productFigures(report, before, after);
  const comparison = compare(product, raw);
  const result = {
    timestamp: new Date().toISOString(),
    trainers,
    machine: {
      cores: cpus().length,
      totalMemoryMb: Math.round(totalmem() / 2 ** 20),
      loadAverageDuringLoad: stats(loadSamples),
    },
    prepareSeconds: Number(prepareSeconds.toFixed(1)),
    report: { ...report, mismatches: report.mismatches.slice(0, 20), mismatchCount: report.mismatches.length },
    product,
    raw,
    comparison,
    statements,
  };
  printReport(result.report, product, comparison, result.machine.loadAverageDuringLoad, prepareSeconds);
  printStatementProfile(statements, report);
  const dir = path.join(ROOT, '.local', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `end-to-end-${result.timestamp.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(ROOT, file)}`);
  if (report.mismatches.length > 0 || report.decidedTwice > 0) {
    console.error(
      `\n${report.mismatches.length} outcomes differ from those written by hand per kind (DOMAIN.md), ${report.decidedTwice} decided twice:`,
    );
    for (const m of report.mismatches.slice(0, 10))
      console.error(`  ${m.trainerId} (${m.kind}): expected ${describeExpected(m.expected)}, got ${m.actual}`);
    process.exitCode = 1;
  }
}

async function infraCounters(): Promise<InfraCounters> {
  const kafka = kafkaAs(KAFKA_ADMIN, 'bench-counters', brokers);
  const admin = kafka.admin();
  await admin.connect();
  const names = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
  const offsets = await Promise.all(names.map((t) => fetchTopicEnds(admin, t)));
  await admin.disconnect();
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  const [{ commits }] = (
    await pg.query<{ commits: string }>(
      `SELECT xact_commit AS commits FROM pg_stat_database WHERE datname = current_database()`,
    )
  ).rows;
  await pg.end();
  const redis = new IORedis(redisUrl);
  const info = await redis.info('stats');
  const memory = await redis.info('memory');
  await redis.quit();
  const processes = systemProcesses();
  const cpuSeconds: Record<string, number> = {};
  for (const [name, pid] of Object.entries(processes)) cpuSeconds[name] = cpuOf(pid);
  cpuSeconds['postgresql'] = cpuOfCommand('postgres');
  cpuSeconds['redis'] = cpuOfCommand('redis-server');
  cpuSeconds['bench (this process)'] = process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6;
  const memoryMb: Record<string, number> = {};
  for (const [name, pid] of Object.entries(processes)) memoryMb[name] = peakRssMb(pid);
  memoryMb['postgresql'] = pssMbOfCommand('postgres');
  memoryMb['redis'] = Number(/used_memory_peak:(\d+)/.exec(memory)?.[1] ?? NaN) / 2 ** 20;
  memoryMb['bench (this process)'] = process.resourceUsage().maxRSS / 1024;
  return {
    at: performance.now(),
    kafkaMessages: offsets.flat().reduce((sum, p) => sum + Number(p.high), 0),
    postgresCommits: Number(commits),
    redisCommands: Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? NaN),
    cpuSeconds,
    memoryMb,
  };
}

/**
 * The preparation writes months of a real system's rows in a minute, faster than autovacuum's
 * ANALYZE follows: with the planner's statistics of nearly empty tables, lookups by trainer ran as
 * sequential scans (5.6 ms instead of 0.05 ms). A system of this size has its statistics.
 */
async function analyzeTables(): Promise<void> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    await pg.query('ANALYZE');
  } finally {
    await pg.end();
  }
}

interface StatementFigures {
  query: string;
  calls: number;
  totalMs: number;
}

/**
 * PostgreSQL's own profile of the decide phase, when pg_stat_statements is loaded
 * (shared_preload_libraries; see "Measuring it" in the README): every statement's calls and time.
 * Returns whether it is there to read.
 */
async function resetStatementProfile(): Promise<boolean> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ loaded: boolean }>(
      `SELECT 'pg_stat_statements' = ANY(string_to_array(current_setting('shared_preload_libraries'), ', ')) AS loaded`,
    );
    if (!rows[0].loaded) return false;
    await pg.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
    await pg.query(`SELECT pg_stat_statements_reset()`);
    return true;
  } finally {
    await pg.end();
  }
}

async function readStatementProfile(): Promise<StatementFigures[]> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ query: string; calls: string; total_ms: number }>(
      `SELECT s.query, s.calls, s.total_exec_time AS total_ms
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = current_database() ORDER BY s.calls DESC LIMIT 40`,
    );
    return rows.map((r) => ({
      query: r.query.replace(/\s+/g, ' ').slice(0, 110),
      calls: Number(r.calls),
      totalMs: Math.round(r.total_ms),
    }));
  } finally {
    await pg.end();
  }
}

function printStatementProfile(statements: StatementFigures[] | null, report: LoadReport): void {
  if (!statements) {
    console.log('\n(pg_stat_statements is not loaded: no statement profile; see "Measuring it" in the README)');
    return;
  }
  const decisions = report.outcomes.approved + report.outcomes.denied + report.outcomes.refused;
  console.log('\nStatements while deciding, by calls (pg_stat_statements; BEGIN and COMMIT are listed too):');
  console.log(
    table(
      ['calls', 'per decision', 'total ms', 'statement'],
      statements
        .slice(0, 25)
        .map((s) => [String(s.calls), (s.calls / decisions).toFixed(2), String(s.totalMs), s.query]),
    ),
  );
}

interface ProductFigures {
  decisionsPerSecond: number;
  decisionLatencyMs: LoadReport['decisionLatencyMs'];
  kafkaMessagesPerSecond: number;
  postgresCommitsPerSecond: number;
  redisCommandsPerSecond: number;
  perDecision: { kafkaMessages: number; postgresCommits: number; redisCommands: number };
  /** CPU seconds each process spent while the applications were decided: the profile by process. */
  cpuSeconds: Record<string, number>;
  /** Each process's memory at the end, in MB: peak resident size (PostgreSQL: PSS of all its processes). */
  memoryMb: Record<string, number>;
}

function productFigures(report: LoadReport, before: InfraCounters, after: InfraCounters): ProductFigures {
  const seconds = (after.at - before.at) / 1000;
  const decisions = report.outcomes.approved + report.outcomes.denied + report.outcomes.refused;
  const rate = (a: number, b: number) => Number(((b - a) / seconds).toFixed(1));
  const cpuSeconds: Record<string, number> = {};
  for (const name of Object.keys(after.cpuSeconds))
    cpuSeconds[name] = Number((after.cpuSeconds[name] - before.cpuSeconds[name]).toFixed(1));
  return {
    decisionsPerSecond: report.decisionsPerSecond,
    decisionLatencyMs: report.decisionLatencyMs,
    kafkaMessagesPerSecond: rate(before.kafkaMessages, after.kafkaMessages),
    postgresCommitsPerSecond: rate(before.postgresCommits, after.postgresCommits),
    redisCommandsPerSecond: rate(before.redisCommands, after.redisCommands),
    perDecision: {
      kafkaMessages: Number(((after.kafkaMessages - before.kafkaMessages) / decisions).toFixed(1)),
      postgresCommits: Number(((after.postgresCommits - before.postgresCommits) / decisions).toFixed(1)),
      redisCommands: Number(((after.redisCommands - before.redisCommands) / decisions).toFixed(1)),
    },
    cpuSeconds,
    memoryMb: Object.fromEntries(Object.entries(after.memoryMb).map(([name, mb]) => [name, Math.round(mb)])),
  };
}

interface ComparisonRow {
  figure: string;
  product: number;
  rawLimit: number | null;
  rawSource: string;
  ratio: number | null;
}

function compare(product: ProductFigures, raw: RawLimits | null): ComparisonRow[] {
  const row = (figure: string, value: number, limit: number | null | undefined, rawSource: string): ComparisonRow => ({
    figure,
    product: value,
    rawLimit: limit ?? null,
    rawSource,
    ratio: limit ? Number((value / limit).toFixed(4)) : null,
  });
  const producer = raw?.kafka?.producer;
  return [
    row(
      'Kafka messages/s (all topics)',
      product.kafkaMessagesPerSecond,
      producer?.recordsPerSecond,
      'ProducerPerformance, acks=all',
    ),
    row(
      'PostgreSQL commits/s (database recert)',
      product.postgresCommitsPerSecond,
      raw?.postgres?.tpcb?.tps,
      'pgbench TPC-B-like tps',
    ),
    row('Redis commands/s', product.redisCommandsPerSecond, raw?.redis?.set?.opsPerSecond, 'redis-benchmark SET ops/s'),
    row(
      'decisions/s, if Kafka were the only limit',
      product.decisionsPerSecond,
      producer ? producer.recordsPerSecond / product.perDecision.kafkaMessages : null,
      'producer records/s ÷ messages per decision',
    ),
    row(
      'decisions/s, if PostgreSQL were the only limit',
      product.decisionsPerSecond,
      raw?.postgres?.tpcb ? raw.postgres.tpcb.tps / product.perDecision.postgresCommits : null,
      'pgbench tps ÷ commits per decision',
    ),
  ];
}

function printReport(
  report: LoadReport & { mismatchCount: number },
  product: ProductFigures,
  comparison: ComparisonRow[],
  machineLoad: ReturnType<typeof stats>,
  prepareSeconds: number,
): void {
  const o = report.outcomes;
  console.log(`
End to end: ${report.trainers} trainers, ${report.applications} applications (run ${report.run}, system day ${report.today})
  prepared (certified, courses, cards, petitions) in ${prepareSeconds.toFixed(1)} s
  submitted in ${report.submitSeconds} s; every outcome in ${report.settleSeconds} s
  outcomes: ${o.approved} approved, ${o.denied} denied, ${o.refused} refused, ${o.missing} missing; decided twice: ${report.decidedTwice}
  as DOMAIN.md says (written by hand per kind): ${report.applications - report.mismatchCount} of ${report.applications}
  decisions/s: ${report.decisionsPerSecond}
  submission → decision (fee paid, audit documents sent on the way): p50 ${ms(report.decisionLatencyMs.p50)}, p95 ${ms(report.decisionLatencyMs.p95)}, p99 ${ms(report.decisionLatencyMs.p99)}, max ${ms(report.decisionLatencyMs.max)}
  submission → refusal: p50 ${ms(report.refusalLatencyMs.p50)}, p95 ${ms(report.refusalLatencyMs.p95)}, p99 ${ms(report.refusalLatencyMs.p99)}
  per decision: ${product.perDecision.kafkaMessages} Kafka messages, ${product.perDecision.postgresCommits} PostgreSQL commits, ${product.perDecision.redisCommands} Redis commands
  machine load average while deciding: mean ${machineLoad.mean}, max ${machineLoad.max} (${cpus().length} cores)
`);
  console.log('Where an approved application spends its time (submission to decision, step by step):');
  console.log(
    table(
      ['step', 'n', 'p50', 'p95', 'mean'],
      report.steps.map((s) => [s.step, String(s.applications), ms(s.p50Ms), ms(s.p95Ms), ms(s.meanMs)]),
    ),
  );
  console.log('\nProduct beside the raw limits:');
  console.log(
    table(
      ['figure', 'product', 'raw limit', 'ratio', 'raw source'],
      comparison.map((r) => [
        r.figure,
        String(r.product),
        r.rawLimit === null ? '–' : r.rawLimit.toFixed(0),
        r.ratio === null ? '–' : `${(r.ratio * 100).toFixed(1)} %`,
        r.rawSource,
      ]),
    ),
  );
  const total = Object.values(product.cpuSeconds)
    .filter(Number.isFinite)
    .reduce((a, b) => a + b, 0);
  console.log("\nWhere the CPU went while deciding (seconds, share), and each process's memory:");
  console.log(
    table(
      ['process', 'CPU s', 'share', 'memory MB'],
      Object.entries(product.cpuSeconds)
        .sort((a, b) => (b[1] || 0) - (a[1] || 0))
        .map(([name, s]) => [
          name,
          Number.isFinite(s) ? s.toFixed(1) : 'n/a',
          Number.isFinite(s) ? `${((s / total) * 100).toFixed(0)} %` : '',
          Number.isFinite(product.memoryMb[name]) ? String(product.memoryMb[name]) : 'n/a',
        ]),
    ),
  );
  console.log(
    '  memory: peak resident size; PostgreSQL: proportional size of all its processes at the end; Redis: its peak',
  );
}

function stats(samples: number[]): { mean: number; max: number } {
  if (samples.length === 0) return { mean: Number(loadavg()[0].toFixed(2)), max: Number(loadavg()[0].toFixed(2)) };
  return {
    mean: Number((samples.reduce((a, b) => a + b, 0) / samples.length).toFixed(2)),
    max: Number(Math.max(...samples).toFixed(2)),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
