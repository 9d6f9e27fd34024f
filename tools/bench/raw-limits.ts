import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import IORedis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { KAFKA_ADMIN } from '@recert/contracts';
import { kafkaSasl } from '@recert/platform';

/**
 * The machine's raw limits (issue 7, part 2): what Kafka, PostgreSQL and Redis can do on this
 * machine with their own benchmark tools, against the same servers the product uses, so that the
 * end-to-end load benchmark can print each product figure beside the raw one with a ratio.
 *
 *   npm run bench:raw              (~60-90 s)
 *   npm run bench:raw -- --quick   (~20 s)
 *   options: --duration <s> (each pgbench run), --kafka-records <n>, --only kafka,postgres,redis
 *
 * 1. Kafka: org.apache.kafka.tools.ProducerPerformance and ConsumerPerformance from the jars
 *    `scripts/infra/kafka.sh fetch` puts in .local/kafka/libs, on a temporary 12-partition topic,
 *    with our producers' settings (see PRODUCT_PRODUCER_PROPS);
 * 2. PostgreSQL: pgbench (TPC-B-like and select-only) in a throw-away database recert_rawbench;
 * 3. Redis: redis-benchmark (SET, GET, LPUSH, ZADD, SET pipelined by 16) in database index 15,
 *    FLUSHDB'd afterwards (never FLUSHALL).
 * The steps run one after the other, never together: on a small machine they would compete for
 * the same cores and each figure would be too low. A step that cannot run is null, with the
 * reason (and what to run) in `unavailable`; the others still run.
 */

// ---------------------------------------------------------------------------------------------
// Options and results

export interface RawLimitsOptions {
  /** Default: env KAFKA_BROKERS, else 127.0.0.1:9092 (the product's default). */
  kafkaBrokers?: string | string[];
  /** Server, user and password of the product's PostgreSQL; the database name is ignored.
   *  Default: env DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres. */
  postgresUrl?: string;
  postgresHost?: string;
  postgresPort?: number;
  postgresUser?: string;
  /** Default: env REDIS_URL, else redis://127.0.0.1:6379 (its database index is ignored). */
  redisUrl?: string;
  /** The short profile (~20 s in all) instead of the default one (~60-90 s). */
  quick?: boolean;
  /** Length of each pgbench run (TPC-B-like, then select-only), in seconds. */
  durationSeconds?: number;
  /** Records ProducerPerformance sends at full speed (ConsumerPerformance reads them back). */
  kafkaRecords?: number;
  /** 700 B: an envelope is ~450 B for a small payload (CourseCompleted) and 600-900 B for most. */
  kafkaRecordSizeBytes?: number;
  /** Rate and length of the second producer run, at a modest rate: latency without queueing. */
  kafkaLatencyRunRecordsPerSecond?: number;
  kafkaLatencyRunSeconds?: number;
  /** Extra or different producer properties (merged over PRODUCT_PRODUCER_PROPS). */
  kafkaProducerProps?: Record<string, string>;
  /** Default: .local/kafka/libs of this checkout. */
  kafkaLibsDir?: string;
  pgbenchScale?: number;
  pgbenchClients?: number;
  pgbenchThreads?: number;
  redisRequests?: number;
  redisPipelinedRequests?: number;
  redisClients?: number;
  /** redis-benchmark's own default value size (3 B): the figure is round trips, not bytes. */
  redisValueSizeBytes?: number;
  redisDbIndex?: number;
  /** Which parts to run (default all). */
  only?: ReadonlyArray<'kafka' | 'postgres' | 'redis'>;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

export interface KafkaProducerFigures {
  records: number;
  recordsPerSecond: number;
  /** MiB/s (2^20 bytes), which Kafka's tools print as "MB/sec". */
  mibPerSecond: number;
  latencyAvgMs: number;
  latencyMaxMs: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencyP99Ms: number;
  latencyP999Ms: number;
}

export interface KafkaConsumerFigures {
  records: number;
  /** Steady-state rate (fetch time only, the group join excluded). */
  recordsPerSecond: number;
  mibPerSecond: number;
  /** Over the whole run, the consumer group join (rebalance) included. */
  recordsPerSecondWithJoin: number;
  mibPerSecondWithJoin: number;
  groupJoinMs: number;
  fetchMs: number;
}

export interface KafkaRawLimits {
  kafkaVersion: string | null;
  brokers: string;
  partitions: number;
  recordSizeBytes: number;
  producerProps: Record<string, string>;
  /** At full speed (--throughput -1): the throughput ceiling; its latency includes queueing in
   *  the client's buffer, so compare the product's latency with producerAtRate instead. */
  producer: KafkaProducerFigures | null;
  /** At a fixed modest rate: the latency of one acks=all round trip when nothing queues. */
  producerAtRate: (KafkaProducerFigures & { targetRecordsPerSecond: number }) | null;
  consumer: KafkaConsumerFigures | null;
}

export interface PgbenchFigures {
  tps: number;
  latencyAvgMs: number;
  /** From pgbench's per-transaction log (-l); null when the log could not be read. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
  transactions: number;
  failedTransactions: number;
}

export interface PostgresRawLimits {
  serverVersion: string;
  database: string;
  scale: number;
  clients: number;
  threads: number;
  durationSeconds: number;
  initSeconds: number;
  /** The default TPC-B-like script: 3 UPDATEs, a SELECT and an INSERT per transaction. */
  tpcb: PgbenchFigures | null;
  /** -S: one primary-key SELECT per transaction. */
  selectOnly: PgbenchFigures | null;
}

export interface RedisCommandFigures {
  opsPerSecond: number;
  latencyAvgMs: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
}

export interface RedisRawLimits {
  serverVersion: string | null;
  dbIndex: number;
  requests: number;
  clients: number;
  valueSizeBytes: number;
  set: RedisCommandFigures | null;
  get: RedisCommandFigures | null;
  lpush: RedisCommandFigures | null;
  zadd: RedisCommandFigures | null;
  /** SET with 16 commands per round trip (-P 16), over redisPipelinedRequests requests. */
  setPipelined16: RedisCommandFigures | null;
  pipelinedRequests: number;
}

export interface MachineFigures {
  cores: number;
  cpuModel: string;
  totalMemoryMb: number;
  freeMemoryMbBefore: number;
  loadAverageBefore: [number, number, number];
  loadAverageAfter: [number, number, number];
  nodeVersion: string;
  javaVersion: string | null;
  platform: string;
  kernel: string;
  hostname: string;
}

export interface RawLimits {
  timestamp: string;
  profile: 'quick' | 'full';
  elapsedSeconds: number;
  machine: MachineFigures;
  kafka: KafkaRawLimits | null;
  postgres: PostgresRawLimits | null;
  redis: RedisRawLimits | null;
  /** Why a figure is null, and what to run, keyed by its path (e.g. "kafka", "postgres.tpcb"). */
  unavailable: Record<string, string>;
}

/**
 * Our producers' settings (libs/messaging/src/lib/kafka/kafkajs-event-producer.ts), in the Java
 * client's terms: idempotent, acks=all (sendBatch acks: -1), one request in flight per broker,
 * no compression (kafkajs' default; we set none). kafkajs has no batch.size or linger: it sends
 * what each sendBatch holds, one outbox batch (OUTBOX_BATCH_SIZE 500) spread over 12 partitions,
 * ~42 records of ~700 B = ~29 KB per partition, hence batch.size 32 KB and linger.ms 0.
 * ProducerPerformance sends records without keys, which the default (sticky) partitioner packs
 * onto one partition at a time; our events are keyed by aggregate and spread over every
 * partition, which RoundRobinPartitioner imitates. max.block.ms: a broker that does not answer
 * fails the run in 15 s instead of 60.
 */
export const PRODUCT_PRODUCER_PROPS: Readonly<Record<string, string>> = {
  acks: 'all',
  'enable.idempotence': 'true',
  'max.in.flight.requests.per.connection': '1',
  'compression.type': 'none',
  'batch.size': '32768',
  'linger.ms': '0',
  'partitioner.class': 'org.apache.kafka.clients.producer.RoundRobinPartitioner',
  'max.block.ms': '15000',
};

const PROFILES = {
  full: {
    durationSeconds: 15,
    kafkaRecords: 300_000,
    kafkaLatencyRunSeconds: 5,
    redisRequests: 100_000,
    redisPipelinedRequests: 1_000_000,
  },
  quick: {
    durationSeconds: 3,
    kafkaRecords: 80_000,
    kafkaLatencyRunSeconds: 2,
    redisRequests: 20_000,
    redisPipelinedRequests: 200_000,
  },
} as const;

const ROOT = path.resolve(__dirname, '../..');
const PG_DATABASE = 'recert_rawbench';
/** The keys redis-benchmark writes: anything else in the database index is someone else's. */
const REDIS_BENCHMARK_KEYS = /^(key:|counter:|mylist|myset|myzset|myhash|mystream)/;

// ---------------------------------------------------------------------------------------------
// Helpers

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** ENOENT and the like: the program could not be started at all. */
  spawnError?: NodeJS.ErrnoException;
  timedOut: boolean;
}

/** Runs a program to the end and never throws: the caller decides what a failure means. */
function run(
  file: string,
  args: string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        env: options.env,
        cwd: options.cwd,
      },
      (error, stdout, stderr) => {
        const e = error as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
        if (e && typeof e.code === 'string') {
          resolve({ code: null, stdout: String(stdout), stderr: String(stderr), spawnError: e, timedOut: false });
          return;
        }
        resolve({
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
          timedOut: Boolean(e?.killed),
        });
      },
    );
  });
}

/** The last lines of a tool's output, for a reason that says what went wrong. */
function tail(text: string, lines = 4): string {
  return text.trim().split('\n').slice(-lines).join(' | ').slice(0, 800);
}

function failure(what: string, r: RunResult, timeoutMs: number): string {
  if (r.timedOut) return `${what} did not finish within ${Math.round(timeoutMs / 1000)} s (killed)`;
  return `${what} exited with code ${r.code}: ${tail(r.stderr || r.stdout) || 'no output'}`;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function numberAfter(text: string, pattern: RegExp): number | null {
  const m = pattern.exec(text);
  return m ? Number(m[1]) : null;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function loadAverage(): [number, number, number] {
  const [a, b, c] = os.loadavg();
  return [round(a, 2), round(b, 2), round(c, 2)];
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isConnectionError(error: unknown): boolean {
  const text = `${(error as { code?: string })?.code ?? ''} ${errorText(error)}`;
  return /ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|Connection timeout|connect/i.test(text);
}

// ---------------------------------------------------------------------------------------------
// Kafka

/** Quiet logging for the tools: warnings and errors only, on stderr (their figures are on stdout). */
const TOOLS_LOG4J = [
  'log4j.rootLogger=WARN, stderr',
  'log4j.appender.stderr=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stderr.Target=System.err',
  'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n',
].join('\n');

/**
 * ProducerPerformance's summary (Kafka 3.x, ProducerPerformance.Stats.printTotal):
 *   "100000 records sent, 36845.983788 records/sec (24.60 MB/sec), 44.44 ms avg latency,
 *    495.00 ms max latency, 44 ms 50th, 107 ms 95th, 121 ms 99th, 127 ms 99.9th."
 * Progress lines every 5 s have the same start but no percentiles: the summary is the last line
 * with "50th". Each figure is matched on its own, so a reordered or extended line still parses.
 */
export function parseProducerPerformance(stdout: string): KafkaProducerFigures | null {
  const line = stdout
    .split('\n')
    .filter((l) => /records sent/.test(l) && /50th/.test(l))
    .pop();
  if (!line) return null;
  const figures = {
    records: numberAfter(line, /(\d+) records sent/),
    recordsPerSecond: numberAfter(line, /([\d.]+) records\/sec/),
    mibPerSecond: numberAfter(line, /\(([\d.]+) MB\/sec\)/),
    latencyAvgMs: numberAfter(line, /([\d.]+) ms avg latency/),
    latencyMaxMs: numberAfter(line, /([\d.]+) ms max latency/),
    latencyP50Ms: numberAfter(line, /([\d.]+) ms 50th/),
    latencyP95Ms: numberAfter(line, /([\d.]+) ms 95th/),
    latencyP99Ms: numberAfter(line, /([\d.]+) ms 99th/),
    latencyP999Ms: numberAfter(line, /([\d.]+) ms 99\.9th/),
  };
  if (Object.values(figures).some((v) => v === null || Number.isNaN(v))) return null;
  const f = figures as Record<keyof KafkaProducerFigures, number>;
  return {
    ...f,
    recordsPerSecond: round(f.recordsPerSecond),
    mibPerSecond: round(f.mibPerSecond, 2),
    latencyAvgMs: round(f.latencyAvgMs, 2),
  };
}

/**
 * ConsumerPerformance's CSV-like summary (Kafka 3.x, without --show-detailed-stats):
 *   start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
 *   rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
 *   2026-11-25 11:42:03:004, 2026-11-25 11:42:03:957, 33.3786, 35.0248, 50000, 52465.8972, ...
 * Read by column name, not position.
 */
export function parseConsumerPerformance(stdout: string): KafkaConsumerFigures | null {
  const lines = stdout.split('\n').map((l) => l.trim());
  const at = lines.findIndex((l) => l.includes('nMsg.sec') && l.includes('data.consumed.in.nMsg'));
  if (at < 0 || !lines[at + 1]) return null;
  const header = lines[at].split(',').map((h) => h.trim());
  const values = lines[at + 1].split(',').map((v) => v.trim());
  const column = (name: string): number => Number(values[header.indexOf(name)]);
  const figures: KafkaConsumerFigures = {
    records: column('data.consumed.in.nMsg'),
    recordsPerSecond: round(column('fetch.nMsg.sec')),
    mibPerSecond: round(column('fetch.MB.sec'), 2),
    recordsPerSecondWithJoin: round(column('nMsg.sec')),
    mibPerSecondWithJoin: round(column('MB.sec'), 2),
    groupJoinMs: column('rebalance.time.ms'),
    fetchMs: column('fetch.time.ms'),
  };
  return Object.values(figures).some((v) => Number.isNaN(v)) ? null : figures;
}

async function javaVersion(): Promise<string | null> {
  const r = await run('java', ['-version'], { timeoutMs: 20_000 });
  if (r.spawnError || r.code !== 0) return null;
  return /version "([^"]+)"/.exec(r.stderr)?.[1] ?? tail(r.stderr, 1);
}

async function measureKafka(
  o: Required<
    Pick<
      RawLimitsOptions,
      | 'kafkaRecords'
      | 'kafkaRecordSizeBytes'
      | 'kafkaLatencyRunRecordsPerSecond'
      | 'kafkaLatencyRunSeconds'
      | 'kafkaLibsDir'
    >
  > & {
    brokers: string[];
    producerProps: Record<string, string>;
  },
  unavailable: Record<string, string>,
  log: (line: string) => void,
): Promise<KafkaRawLimits | null> {
  const brokers = o.brokers.join(',');
  const toolsJar = existsSync(o.kafkaLibsDir)
    ? readdirSync(o.kafkaLibsDir).find((f) => /^kafka-tools-\d[\w.-]*\.jar$/.test(f))
    : undefined;
  if (!toolsJar) {
    unavailable['kafka'] =
      `no kafka-tools jar in ${path.relative(ROOT, o.kafkaLibsDir) || o.kafkaLibsDir}: run scripts/infra/kafka.sh fetch`;
    return null;
  }
  const kafkaVersion = /^kafka-tools-(.+)\.jar$/.exec(toolsJar)?.[1] ?? null;
  if ((await javaVersion()) === null) {
    unavailable['kafka'] =
      'java is not installed or does not start (Debian: apt-get install -y openjdk-17-jdk-headless)';
    return null;
  }

  // The topic is created with the product's client (kafkajs), which also tells whether the
  // broker answers before a JVM waits on it.
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const topic = `rawbench.${id}`;
  const group = `rawbench-${id}`;
  const partitions = 12; // like the product's topics (libs/contracts/src/lib/topics.ts)
  // As admin: a scratch topic and group of its own, which no service or upstream principal may make.
  const sasl = kafkaSasl(KAFKA_ADMIN, process.env);
  const kafka = new Kafka({
    clientId: `rawbench-${id}`,
    brokers: o.brokers,
    sasl,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 2, initialRetryTime: 300 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
    });
  } catch (error) {
    unavailable['kafka'] =
      `the broker at ${brokers} does not answer (${errorText(error)}): run scripts/infra/kafka.sh start, ` +
      'or point KAFKA_BROKERS at a running broker';
    await admin.disconnect().catch(() => undefined);
    return null;
  }

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rawbench-kafka-'));
  const log4j = path.join(tmp, 'log4j.properties');
  writeFileSync(log4j, TOOLS_LOG4J);
  // Kafka's tools log in as admin too (SCRAM-SHA-512, as the broker requires), from a file of
  // their own rather than the command line.
  const clientConfig = path.join(tmp, 'client.properties');
  writeFileSync(
    clientConfig,
    [
      'security.protocol=SASL_PLAINTEXT',
      'sasl.mechanism=SCRAM-SHA-512',
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${sasl.username}" password="${sasl.password}";`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  // Kafka's tool scripts give tools 256 MB (kafka-run-class.sh); en-US so that "%f" prints a
  // decimal point whatever the machine's locale.
  const jvm = [
    '-Xmx256m',
    '-Duser.language=en',
    '-Duser.country=US',
    `-Dlog4j.configuration=file:${log4j}`,
    '-cp',
    `${o.kafkaLibsDir}/*`,
  ];
  const producerArgs = (records: number, throughput: number) => [
    ...jvm,
    'org.apache.kafka.tools.ProducerPerformance',
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    String(o.kafkaRecordSizeBytes),
    '--throughput',
    String(throughput),
    '--producer.config',
    clientConfig,
    '--producer-props',
    `bootstrap.servers=${brokers}`,
    ...Object.entries(o.producerProps).map(([k, v]) => `${k}=${v}`),
  ];
  const result: KafkaRawLimits = {
    kafkaVersion,
    brokers,
    partitions,
    recordSizeBytes: o.kafkaRecordSizeBytes,
    producerProps: o.producerProps,
    producer: null,
    producerAtRate: null,
    consumer: null,
  };
  let written = 0;
  try {
    const mb = ((o.kafkaRecords * o.kafkaRecordSizeBytes) / 2 ** 20).toFixed(0);
    log(
      `kafka: ProducerPerformance, ${o.kafkaRecords.toLocaleString('en-US')} records of ${o.kafkaRecordSizeBytes} B (${mb} MiB) at full speed to ${topic}`,
    );
    let timeoutMs = 60_000 + o.kafkaRecords; // 1 ms a record is 1,000 records/s: far below any broker
    let r = await run('java', producerArgs(o.kafkaRecords, -1), { timeoutMs });
    result.producer = parseProducerPerformance(r.stdout);
    if (result.producer) written += result.producer.records;
    else unavailable['kafka.producer'] = failure('ProducerPerformance', r, timeoutMs);
    if (result.producer && /Exception/.test(r.stderr)) {
      unavailable['kafka.producer.warnings'] = `ProducerPerformance reported errors: ${tail(r.stderr)}`;
    }

    const rate = o.kafkaLatencyRunRecordsPerSecond;
    const atRateRecords = rate * o.kafkaLatencyRunSeconds;
    log(
      `kafka: ProducerPerformance at ${rate.toLocaleString('en-US')} records/s for ${o.kafkaLatencyRunSeconds} s (latency without queueing)`,
    );
    timeoutMs = 60_000 + o.kafkaLatencyRunSeconds * 3_000;
    r = await run('java', producerArgs(atRateRecords, rate), { timeoutMs });
    const atRate = parseProducerPerformance(r.stdout);
    if (atRate) {
      result.producerAtRate = { ...atRate, targetRecordsPerSecond: rate };
      written += atRate.records;
    } else unavailable['kafka.producerAtRate'] = failure('ProducerPerformance', r, timeoutMs);

    if (written > 0) {
      log(`kafka: ConsumerPerformance, ${written.toLocaleString('en-US')} records back from ${topic}`);
      timeoutMs = 60_000 + written;
      r = await run(
        'java',
        [
          ...jvm,
          'org.apache.kafka.tools.ConsumerPerformance',
          '--bootstrap-server',
          brokers,
          '--consumer.config',
          clientConfig,
          '--topic',
          topic,
          '--group',
          group,
          '--messages',
          String(written),
          '--timeout', // the longest wait for the next record, in ms
          '15000',
        ],
        { timeoutMs },
      );
      result.consumer = parseConsumerPerformance(r.stdout);
      if (!result.consumer) unavailable['kafka.consumer'] = failure('ConsumerPerformance', r, timeoutMs);
      else if (result.consumer.records < written) {
        unavailable['kafka.consumer.warnings'] =
          `read ${result.consumer.records} of ${written} records before the 15 s timeout`;
      }
    } else {
      unavailable['kafka.consumer'] = 'nothing was produced, so nothing to consume';
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    try {
      await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
      await admin.deleteGroups([group]).catch(() => undefined); // absent when the consumer never ran
    } catch (error) {
      log(`kafka: could not delete ${topic} (${errorText(error)}); delete it by hand`);
    }
    await admin.disconnect().catch(() => undefined);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/**
 * pgbench's summary (PostgreSQL 15):
 *   number of transactions actually processed: 38475
 *   number of failed transactions: 0 (0.000%)
 *   latency average = 3.110 ms
 *   tps = 2572.163813 (without initial connection time)
 * Older versions print two tps lines ("including/excluding connections establishing"): the one
 * without connection time is taken.
 */
export function parsePgbench(
  stdout: string,
): Omit<PgbenchFigures, 'latencyP50Ms' | 'latencyP95Ms' | 'latencyP99Ms'> | null {
  const tps =
    numberAfter(
      stdout,
      /^tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/m,
    ) ?? numberAfter(stdout, /^tps = ([\d.]+)/m);
  const latency = numberAfter(stdout, /^latency average = ([\d.]+) ms/m);
  const transactions = numberAfter(stdout, /^number of transactions actually processed: (\d+)/m);
  if (tps === null || latency === null || transactions === null) return null;
  return {
    tps: round(tps),
    latencyAvgMs: round(latency, 3),
    transactions,
    failedTransactions: numberAfter(stdout, /^number of failed transactions: (\d+)/m) ?? 0,
  };
}

/** Percentiles from pgbench's per-transaction logs (-l): the 3rd field is the latency in µs. */
function pgbenchLogPercentiles(
  dir: string,
  prefix: string,
): Pick<PgbenchFigures, 'latencyP50Ms' | 'latencyP95Ms' | 'latencyP99Ms'> {
  const latencies: number[] = [];
  for (const file of readdirSync(dir).filter((f) => f.startsWith(`${prefix}.`))) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      const us = Number(line.split(' ')[2]); // "failed"/"skipped" transactions are NaN: left out
      if (line && Number.isFinite(us)) latencies.push(us);
    }
  }
  if (latencies.length === 0) return { latencyP50Ms: null, latencyP95Ms: null, latencyP99Ms: null };
  latencies.sort((a, b) => a - b);
  const ms = (p: number) => round(percentile(latencies, p) / 1000, 3);
  return { latencyP50Ms: ms(50), latencyP95Ms: ms(95), latencyP99Ms: ms(99) };
}

async function measurePostgres(
  o: {
    host: string;
    port: number;
    user: string;
    password?: string;
    scale: number;
    clients: number;
    threads: number;
    durationSeconds: number;
  },
  unavailable: Record<string, string>,
  log: (line: string) => void,
): Promise<PostgresRawLimits | null> {
  const pgbenchVersion = await run('pgbench', ['--version'], { timeoutMs: 10_000 });
  if (pgbenchVersion.spawnError || pgbenchVersion.code !== 0) {
    unavailable['postgres'] = 'pgbench is not installed (Debian: apt-get install -y postgresql-client)';
    return null;
  }
  const admin = new Client({
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    database: 'postgres',
    connectionTimeoutMillis: 5_000,
  });
  try {
    await admin.connect();
  } catch (error) {
    unavailable['postgres'] = isConnectionError(error)
      ? `PostgreSQL at ${o.host}:${o.port} does not answer (${errorText(error)}): run scripts/infra/services.sh ensure`
      : `cannot connect to PostgreSQL at ${o.host}:${o.port} as ${o.user}: ${errorText(error)}`;
    return null;
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: o.host,
    PGPORT: String(o.port),
    PGUSER: o.user,
    PGDATABASE: PG_DATABASE,
  };
  if (o.password !== undefined) env['PGPASSWORD'] = o.password;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rawbench-pg-'));
  try {
    const serverVersion = String(
      (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '',
    );
    // A database of our own, whatever a previous run left behind; FORCE: even with sessions open.
    await admin.query(`DROP DATABASE IF EXISTS ${PG_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${PG_DATABASE}`);

    log(`postgres: pgbench -i -s ${o.scale} in ${PG_DATABASE}`);
    const t0 = process.hrtime.bigint();
    let timeoutMs = 300_000;
    let r = await run('pgbench', ['-i', '-q', '-s', String(o.scale)], { timeoutMs, env });
    if (r.code !== 0) {
      unavailable['postgres'] = failure(`pgbench -i -s ${o.scale}`, r, timeoutMs);
      return null;
    }
    const result: PostgresRawLimits = {
      serverVersion,
      database: PG_DATABASE,
      scale: o.scale,
      clients: o.clients,
      threads: o.threads,
      durationSeconds: o.durationSeconds,
      initSeconds: round(Number(process.hrtime.bigint() - t0) / 1e9),
      tpcb: null,
      selectOnly: null,
    };
    const runs: Array<{ key: 'tpcb' | 'selectOnly'; label: string; extra: string[] }> = [
      { key: 'tpcb', label: 'TPC-B-like', extra: [] },
      // -n: the TPC-B run just vacuumed; the select-only run changes nothing.
      { key: 'selectOnly', label: 'select-only', extra: ['-S', '-n'] },
    ];
    for (const { key, label, extra } of runs) {
      log(`postgres: pgbench ${label}, -c ${o.clients} -j ${o.threads} -T ${o.durationSeconds}`);
      const prefix = `pgbench_${key}`;
      timeoutMs = o.durationSeconds * 1000 + 120_000;
      r = await run(
        'pgbench',
        [
          '-c',
          String(o.clients),
          '-j',
          String(o.threads),
          '-T',
          String(o.durationSeconds),
          '-l',
          `--log-prefix=${path.join(tmp, prefix)}`,
          ...extra,
        ],
        { timeoutMs, env },
      );
      const figures = r.code === 0 ? parsePgbench(r.stdout) : null;
      if (figures) result[key] = { ...figures, ...pgbenchLogPercentiles(tmp, prefix) };
      else unavailable[`postgres.${key}`] = failure(`pgbench ${label}`, r, timeoutMs);
    }
    return result;
  } catch (error) {
    unavailable['postgres'] = `PostgreSQL: ${errorText(error)}`;
    return null;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${PG_DATABASE} WITH (FORCE)`).catch((error: unknown) => {
      log(`postgres: could not drop ${PG_DATABASE} (${errorText(error)}); drop it by hand`);
    });
    await admin.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Redis

/**
 * redis-benchmark --csv (Redis 7):
 *   "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
 *   "SET","74906.37","0.381","0.120","0.327","0.687","1.743","6.991"
 * Before 6.2 only "SET","74906.37" (no header, no latency): those figures are then null.
 */
export function parseRedisBenchmarkCsv(stdout: string): Map<string, RedisCommandFigures> {
  const rows = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('"'))
    .map((l) => l.split(',').map((c) => c.trim().replace(/^"|"$/g, '')));
  const header = rows.find((r) => r[0] === 'test') ?? ['test', 'rps'];
  const byCommand = new Map<string, RedisCommandFigures>();
  for (const row of rows.filter((r) => r[0] !== 'test')) {
    const cell = (name: string): number | null => {
      const i = header.indexOf(name);
      const v = i < 0 ? NaN : Number(row[i]);
      return Number.isFinite(v) ? v : null;
    };
    const rps = cell('rps');
    if (rps === null) continue;
    // "LPUSH (needed to benchmark LRANGE)" and the like: the command's name is the first word.
    byCommand.set(row[0].split(' ')[0].toUpperCase(), {
      opsPerSecond: round(rps),
      latencyAvgMs: cell('avg_latency_ms'),
      latencyP50Ms: cell('p50_latency_ms'),
      latencyP95Ms: cell('p95_latency_ms'),
      latencyP99Ms: cell('p99_latency_ms'),
    });
  }
  return byCommand;
}

async function measureRedis(
  o: { url: string; dbIndex: number; requests: number; pipelinedRequests: number; clients: number; valueSize: number },
  unavailable: Record<string, string>,
  log: (line: string) => void,
): Promise<RedisRawLimits | null> {
  const help = await run('redis-benchmark', ['--help'], { timeoutMs: 10_000 });
  if (help.spawnError) {
    unavailable['redis'] = 'redis-benchmark is not installed (Debian: apt-get install -y redis-tools)';
    return null;
  }
  // Without --dbnum (before Redis 6) it would write into database 0, beside the product's queues.
  if (!/--dbnum/.test(help.stdout + help.stderr)) {
    unavailable['redis'] =
      "this redis-benchmark has no --dbnum: it would write into database 0, the product's, so it was not run (install redis-tools >= 6)";
    return null;
  }
  const url = new URL(o.url);
  const host = url.hostname || '127.0.0.1';
  const port = Number(url.port || 6379);
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const redis = new IORedis({
    host,
    port,
    username: user,
    password,
    db: o.dbIndex,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  // The socket's error (ECONNREFUSED) says more than connect()'s "Connection is closed".
  let socketError: unknown;
  redis.on('error', (error: unknown) => (socketError = error));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    unavailable['redis'] =
      `Redis at ${host}:${port} does not answer (${errorText(socketError ?? error)}): run scripts/infra/services.sh ensure`;
    return null;
  }
  let flush = false;
  try {
    // FLUSHDB afterwards is safe only if the database holds nothing but redis-benchmark's keys.
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
      const foreign = keys.find((k) => !REDIS_BENCHMARK_KEYS.test(k));
      if (foreign !== undefined) {
        unavailable['redis'] =
          `Redis database ${o.dbIndex} holds keys that are not redis-benchmark's (e.g. "${foreign}"): ` +
          'not run, so as not to FLUSHDB them; pick an empty index with redisDbIndex / --redis-db';
        return null;
      }
      cursor = next;
    } while (cursor !== '0');
    flush = true;
    const serverVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? null;
    const base = [
      '-h',
      host,
      '-p',
      String(port),
      '--dbnum',
      String(o.dbIndex),
      '--csv',
      '-c',
      String(o.clients),
      '-d',
      String(o.valueSize),
    ];
    if (user) base.push('--user', user);
    if (password) base.push('-a', password, '--no-auth-warning');
    // -r: random keys over 100,000 names, like many distinct jobs, rather than one hot key.
    log(
      `redis: redis-benchmark SET, GET, LPUSH, ZADD, ${o.requests.toLocaleString('en-US')} requests each, ${o.clients} clients, db ${o.dbIndex}`,
    );
    let timeoutMs = 60_000 + o.requests * 4 * 0.1;
    let r = await run(
      'redis-benchmark',
      [...base, '-r', '100000', '-n', String(o.requests), '-t', 'set,get,lpush,zadd'],
      { timeoutMs },
    );
    const plain = parseRedisBenchmarkCsv(r.stdout);
    if (plain.size === 0) unavailable['redis.commands'] = failure('redis-benchmark', r, timeoutMs);
    const result: RedisRawLimits = {
      serverVersion,
      dbIndex: o.dbIndex,
      requests: o.requests,
      clients: o.clients,
      valueSizeBytes: o.valueSize,
      set: plain.get('SET') ?? null,
      get: plain.get('GET') ?? null,
      lpush: plain.get('LPUSH') ?? null,
      zadd: plain.get('ZADD') ?? null,
      setPipelined16: null,
      pipelinedRequests: o.pipelinedRequests,
    };
    log(`redis: redis-benchmark SET pipelined (-P 16), ${o.pipelinedRequests.toLocaleString('en-US')} requests`);
    timeoutMs = 60_000 + o.pipelinedRequests * 0.05;
    r = await run(
      'redis-benchmark',
      [...base, '-r', '100000', '-n', String(o.pipelinedRequests), '-P', '16', '-t', 'set'],
      { timeoutMs },
    );
    result.setPipelined16 = parseRedisBenchmarkCsv(r.stdout).get('SET') ?? null;
    if (!result.setPipelined16) unavailable['redis.setPipelined16'] = failure('redis-benchmark -P 16', r, timeoutMs);
    return result;
  } catch (error) {
    unavailable['redis'] = `Redis: ${errorText(error)}`;
    return null;
  } finally {
    // Only the database index we checked was redis-benchmark's alone; never FLUSHALL.
    if (flush)
      await redis
        .flushdb()
        .catch((error: unknown) => log(`redis: FLUSHDB on db ${o.dbIndex} failed: ${errorText(error)}`));
    redis.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// The whole measurement

function postgresTarget(options: RawLimitsOptions): { host: string; port: number; user: string; password?: string } {
  const url = new URL(
    options.postgresUrl ?? process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  );
  return {
    host: options.postgresHost ?? (url.hostname || '127.0.0.1'),
    port: options.postgresPort ?? Number(url.port || 5432),
    user: options.postgresUser ?? (decodeURIComponent(url.username) || 'postgres'),
    password: url.password ? decodeURIComponent(url.password) : undefined,
  };
}

export async function measureRawLimits(options: RawLimitsOptions = {}): Promise<RawLimits> {
  const started = process.hrtime.bigint();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const profile = PROFILES[options.quick ? 'quick' : 'full'];
  const only = new Set(options.only ?? ['kafka', 'postgres', 'redis']);
  const unavailable: Record<string, string> = {};
  const brokersOption = options.kafkaBrokers ?? process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
  const brokers = (Array.isArray(brokersOption) ? brokersOption : brokersOption.split(','))
    .map((b) => b.trim())
    .filter(Boolean);

  const machine: MachineFigures = {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
    freeMemoryMbBefore: Math.round(os.freemem() / 2 ** 20),
    loadAverageBefore: loadAverage(),
    loadAverageAfter: [0, 0, 0],
    nodeVersion: process.version,
    javaVersion: await javaVersion(),
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
    hostname: os.hostname(),
  };
  const timestamp = new Date().toISOString();

  const kafka = only.has('kafka')
    ? await measureKafka(
        {
          brokers,
          kafkaRecords: options.kafkaRecords ?? profile.kafkaRecords,
          kafkaRecordSizeBytes: options.kafkaRecordSizeBytes ?? 700,
          kafkaLatencyRunRecordsPerSecond: options.kafkaLatencyRunRecordsPerSecond ?? 2_000,
          kafkaLatencyRunSeconds: options.kafkaLatencyRunSeconds ?? profile.kafkaLatencyRunSeconds,
          kafkaLibsDir: options.kafkaLibsDir ?? path.join(ROOT, '.local/kafka/libs'),
          producerProps: { ...PRODUCT_PRODUCER_PROPS, ...options.kafkaProducerProps },
        },
        unavailable,
        log,
      ).catch((error: unknown) => {
        unavailable['kafka'] = `Kafka: ${errorText(error)}`;
        return null;
      })
    : null;

  const postgres = only.has('postgres')
    ? await measurePostgres(
        {
          ...postgresTarget(options),
          scale: options.pgbenchScale ?? 10,
          // 8 clients on 2 threads: more sessions than cores, as the product's pools have.
          clients: options.pgbenchClients ?? 8,
          threads: options.pgbenchThreads ?? 2,
          durationSeconds: options.durationSeconds ?? profile.durationSeconds,
        },
        unavailable,
        log,
      )
    : null;

  const redis = only.has('redis')
    ? await measureRedis(
        {
          url: options.redisUrl ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
          dbIndex: options.redisDbIndex ?? 15,
          requests: options.redisRequests ?? profile.redisRequests,
          pipelinedRequests: options.redisPipelinedRequests ?? profile.redisPipelinedRequests,
          clients: options.redisClients ?? 50,
          valueSize: options.redisValueSizeBytes ?? 3,
        },
        unavailable,
        log,
      )
    : null;

  for (const part of ['kafka', 'postgres', 'redis'] as const) {
    if (!only.has(part)) unavailable[part] = 'not requested (--only)';
  }
  machine.loadAverageAfter = loadAverage();
  return {
    timestamp,
    profile: options.quick ? 'quick' : 'full',
    elapsedSeconds: round(Number(process.hrtime.bigint() - started) / 1e9),
    machine,
    kafka,
    postgres,
    redis,
    unavailable,
  };
}

// ---------------------------------------------------------------------------------------------
// CLI

/** The figures as rows of a table: what, value, unit. */
export function rawLimitsTable(r: RawLimits): string {
  const rows: Array<[string, string, string]> = [];
  const n = (v: number | null | undefined, digits = 1) =>
    v === null || v === undefined ? '-' : v.toLocaleString('en-US', { maximumFractionDigits: digits });
  const section = (title: string) => rows.push([title, '', '']);
  const row = (what: string, v: number | null | undefined, unit: string, digits = 1) =>
    rows.push([`  ${what}`, n(v, digits), unit]);

  section(`machine (${r.timestamp}, ${r.profile} profile, ${r.elapsedSeconds} s)`);
  row('cores', r.machine.cores, r.machine.cpuModel);
  row('memory', r.machine.totalMemoryMb, 'MB total');
  rows.push([
    '  load average before / after',
    `${r.machine.loadAverageBefore.join(' ')} / ${r.machine.loadAverageAfter.join(' ')}`,
    '1/5/15 min',
  ]);
  rows.push(['  node / java', `${r.machine.nodeVersion} / ${r.machine.javaVersion ?? '-'}`, '']);

  const k = r.kafka;
  section(
    `kafka ${k?.kafkaVersion ?? ''} (${k ? `${k.brokers}, ${k.partitions} partitions, ${k.recordSizeBytes} B records, acks=all idempotent` : 'not measured'})`,
  );
  if (k) {
    const p = k.producer;
    row('produce, full speed', p?.recordsPerSecond, 'records/s', 0);
    row('produce, full speed', p?.mibPerSecond, 'MiB/s', 2);
    rows.push([
      '  produce latency avg/p50/p95/p99',
      p ? `${n(p.latencyAvgMs)} / ${p.latencyP50Ms} / ${p.latencyP95Ms} / ${p.latencyP99Ms}` : '-',
      'ms (queueing included)',
    ]);
    const a = k.producerAtRate;
    rows.push([
      `  produce latency at ${n(a?.targetRecordsPerSecond, 0)}/s avg/p50/p95/p99`,
      a ? `${n(a.latencyAvgMs)} / ${a.latencyP50Ms} / ${a.latencyP95Ms} / ${a.latencyP99Ms}` : '-',
      'ms',
    ]);
    row('consume', k.consumer?.recordsPerSecond, 'records/s', 0);
    row('consume', k.consumer?.mibPerSecond, 'MiB/s', 2);
    row('consume, group join included', k.consumer?.recordsPerSecondWithJoin, 'records/s', 0);
  }

  const pg = r.postgres;
  section(
    `postgresql ${pg ? `${pg.serverVersion} (pgbench -s ${pg.scale} -c ${pg.clients} -j ${pg.threads} -T ${pg.durationSeconds})` : '(not measured)'}`,
  );
  if (pg) {
    row(`pgbench -i -s ${pg.scale} (setup)`, pg.initSeconds, 's');
    for (const [label, f] of [
      ['TPC-B-like', pg.tpcb],
      ['select-only (-S)', pg.selectOnly],
    ] as const) {
      row(label, f?.tps, 'tps', 0);
      rows.push([
        `  ${label} latency avg/p50/p95/p99`,
        f ? `${f.latencyAvgMs} / ${f.latencyP50Ms ?? '-'} / ${f.latencyP95Ms ?? '-'} / ${f.latencyP99Ms ?? '-'}` : '-',
        'ms',
      ]);
    }
  }

  const rd = r.redis;
  section(
    `redis ${rd ? `${rd.serverVersion ?? ''} (redis-benchmark db ${rd.dbIndex}, ${rd.clients} clients, ${rd.valueSizeBytes} B values)` : '(not measured)'}`,
  );
  if (rd) {
    for (const [label, f] of [
      ['SET', rd.set],
      ['GET', rd.get],
      ['LPUSH', rd.lpush],
      ['ZADD', rd.zadd],
      ['SET -P 16', rd.setPipelined16],
    ] as const) {
      rows.push([
        `  ${label}`,
        n(f?.opsPerSecond, 0),
        `ops/s, p50 ${f?.latencyP50Ms ?? '-'} ms, p99 ${f?.latencyP99Ms ?? '-'} ms`,
      ]);
    }
  }
  for (const [what, why] of Object.entries(r.unavailable)) rows.push([`unavailable: ${what}`, '', why]);

  // Section titles stand alone on their line: they do not widen the columns.
  const figures = rows.filter(([, b, c]) => b || c);
  const w0 = Math.max(...figures.map((x) => x[0].length));
  const w1 = Math.max(...figures.map((x) => x[1].length));
  return rows.map(([a, b, c]) => (b || c ? `${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}` : a).trimEnd()).join('\n');
}

function parseArgs(argv: string[]): RawLimitsOptions {
  const options: RawLimitsOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--quick') options.quick = true;
    else if (flag === '--duration') options.durationSeconds = Number(value());
    else if (flag === '--kafka-records') options.kafkaRecords = Number(value());
    else if (flag === '--redis-db') options.redisDbIndex = Number(value());
    else if (flag === '--only') options.only = value().split(',') as RawLimitsOptions['only'];
    else
      throw new Error(
        `unknown option ${argv[i]} (known: --quick, --duration <s>, --kafka-records <n>, --redis-db <n>, --only kafka,postgres,redis)`,
      );
  }
  return options;
}

async function main(): Promise<void> {
  const result = await measureRawLimits(parseArgs(process.argv.slice(2)));
  const dir = path.join(ROOT, '.local/bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `raw-limits-${result.timestamp.replace(/[:.]/g, '-')}.json`);
  const json = JSON.stringify(result, null, 2);
  writeFileSync(file, `${json}\n`);
  console.log('');
  console.log(rawLimitsTable(result));
  console.log('');
  console.log(json);
  console.log(`\nwritten to ${path.relative(ROOT, file)}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
