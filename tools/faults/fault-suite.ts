import { describeExpected, LoadReport, TrainerLoad } from '../load/trainer-load';
import { FaultInjector, sleep } from './fault-injector';
import { InvariantChecker, InvariantResult, LoadFacts } from './invariants';
import { CohortFacts, OVERDUE_BOUND_MS, planCohort, planDue, runDueTimePhase } from './production-deadlines';
import { DEFAULT_SANDBOX, faketimeLibrary, rel, Sandbox, SERVICES } from './sandbox';

/**
 * The fault suite: a Recert system of its own (sandbox.ts), trainers played through it
 * (tools/load), and while the load runs each service is killed with SIGKILL in the middle of its
 * work and restarted, the broker is restarted, Redis is flushed, PostgreSQL is crashed and
 * restarted; then the clock is moved across the deadlines (with more faults between the moves).
 * Once the system has drained, invariants are checked from the databases and Kafka
 * (invariants.ts). It prints what it did, when, how long each service took to recover, and each
 * invariant with PASS/FAIL; the exit code is 1 when one fails.
 *
 * Deadlines go both ways a deployment can fire them. First the production path (issue 15,
 * production-deadlines.ts): the services on the system clock, BullMQ alone firing, and a cohort of
 * credentials with one deadline each due at an instant M a couple of minutes in, Redis flushed
 * before M and PostgreSQL down across it for longer than a job's attempts. Then every service is
 * restarted on a controllable clock for the rounds of trainers, and the clock moves fire the rest
 * through time travel.
 *
 *   npm run faults              full: 2 rounds of 1,000 trainers (about 15 minutes)
 *   npm run faults -- --short   CI: 1 round of 200 trainers (about 10 minutes with a warm nx cache)
 *   npm run faults -- --trainers 500 --rounds 1 --keep   (--keep: leave the sandbox running)
 *   npm run faults -- --short --clock-start 2031-06-01T09:00:00Z   (default: CLOCK_START below; `now`: this machine's time)
 *   npm run faults -- --short --production-deadlines   (the rounds on the system clock too: no clock
 *     moves; their past-due deadlines fire as they are scheduled, by BullMQ alone)
 *
 * Sandbox: Kafka 127.0.0.1:39092 (.local/kafka-faults), Redis 26379, PostgreSQL 55432
 * (.local/faults/pg), services on 3100–3105, logs in .local/faults/logs.
 */
interface Profile {
  trainers: number;
  rounds: number;
  perSecond: number;
  /** How long to wait for a service to have work in hand before killing it anyway. */
  busyTimeoutMs: number;
  /**
   * Kill the next service while the previous one restarts (short: a restarted service waits some
   * 30 s for its consumer group to drop the dead member), or only once it is ready again (full).
   */
  overlapKills: boolean;
}

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const text = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const option = (name: string) => (text(name) === undefined ? undefined : Number(text(name)));
/**
 * The rounds' controllable clock starts on a pinned instant, years after this machine's time (it
 * may not go back behind the production path's system clock): every run lays its trainers out on
 * the same calendar, and a plan that read this machine's date instead of the system's would be off
 * by that much and fail ("received" is the system's instant). `--clock-start now` runs the rounds
 * on this machine's time instead.
 */
const CLOCK_START = '2030-02-20T12:00:00.000Z';
const clockStart = text('clock-start') ?? CLOCK_START;
const systemClockOnly = flag('production-deadlines');
/**
 * From the plan of M to M: the services' start (20 s on an idle machine, 100 s on a busy one), the
 * cohort's certification, and the FLUSHALL 30 s before M. The offset is fixed when they start.
 */
const DUE_LEAD_MS = 180_000;
const base: Profile = flag('short')
  ? { trainers: 200, rounds: 1, perSecond: 4, busyTimeoutMs: 3_000, overlapKills: true }
  : { trainers: 1_000, rounds: 2, perSecond: 5, busyTimeoutMs: 45_000, overlapKills: false };
const profile: Profile = {
  ...base,
  trainers: option('trainers') ?? base.trainers,
  rounds: option('rounds') ?? base.rounds,
  perSecond: option('per-second') ?? base.perSecond,
};
const started = Date.now();
const print = (line: string) => console.log(line);
const sandbox = new Sandbox({
  ...DEFAULT_SANDBOX,
  clockStartAt: clockStart === 'now' ? undefined : new Date(clockStart).toISOString(),
  log: (line) => print(`  ${line}`),
});
const faults = new FaultInjector(sandbox, print);
let loads: TrainerLoad[] = [];
let stopping: Promise<void> | undefined;

function stopAll(): Promise<void> {
  stopping ??= (async () => {
    await Promise.allSettled(loads.map((l) => l.stop()));
    if (!flag('keep')) await sandbox.stop();
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    print(`\n${signal}: stopping everything the suite started`);
    void stopAll().finally(() => process.exit(130));
  });
}
process.once('exit', () => sandbox.killAllNow());

/** One round: a fresh load, faults while it runs, then the clock across the deadlines, with faults between. */
async function round(n: number, facts: LoadFacts): Promise<LoadReport> {
  print(`\n== round ${n}: ${profile.trainers} trainers, ${profile.perSecond} applications/s, faults while they run`);
  const load = new TrainerLoad({
    trainers: profile.trainers,
    brokers: sandbox.brokers,
    gatewayUrl: sandbox.gatewayUrl,
    apiToken: sandbox.apiToken,
    runId: `f${n}${Date.now().toString(36).slice(-5)}`,
  });
  loads.push(load);
  const running = (async () => {
    await load.prepare();
    faults.note(`load: prepared`, `${load.progress().ledgersReady} ledgers complete`);
    await load.submit({ perSecond: profile.perSecond });
    faults.note(`load: submitted`, `${load.progress().submitted} applications`);
    const report = await load.settle({ stallMs: 300_000 });
    faults.note(
      'load: settled',
      `${report.outcomes.approved} approved, ${report.outcomes.denied} denied, ${report.outcomes.refused} refused, ${report.outcomes.missing} without outcome`,
    );
    return report;
  })();
  let loadDone = false;
  running.finally(() => (loadDone = true)).catch(() => undefined);

  // While the load prepares: CEU verification has the completions and cards in hand, petitions the petitions.
  const wait = { waitReady: !profile.overlapKills };
  await until(() => load.progress().ledgersReady > 0 || loadDone, 120_000);
  faults.note('load: preparing', `${load.progress().ledgersReady}/${profile.trainers} ledgers complete`);
  await faults.killService('ceu-verification', profile.busyTimeoutMs, wait);
  await faults.killService('petitions', profile.busyTimeoutMs, wait);
  // Then, while applications flow (the rate is low enough that submitting outlasts every fault):
  // each other service in turn, and the infrastructure between them. The gateway has no consumer
  // or outbox work to wait for: it goes at once.
  await until(() => load.progress().phase !== 'prepare' || loadDone, 600_000);
  faults.note('load: submitting', `${load.progress().submitted}/${load.progress().applications} sent`);
  if (profile.overlapKills) {
    for (const service of ['applications', 'payments', 'audits'] as const)
      await faults.killService(service, profile.busyTimeoutMs, wait);
    await faults.killService('gateway', 0, wait);
    await faults.restarted();
    await faults.restartPostgres();
    await faults.restartBroker();
    await faults.flushRedis();
  } else {
    await faults.killService('applications', profile.busyTimeoutMs);
    await faults.restartPostgres();
    await faults.killService('payments', profile.busyTimeoutMs);
    await faults.restartBroker();
    await faults.killService('audits', profile.busyTimeoutMs);
    await faults.flushRedis();
    await faults.killService('gateway', 0);
  }
  faults.note('load: faults done', `${load.progress().submitted}/${load.progress().applications} sent`);

  const report = await running;
  facts.submittedApplicationIds.push(...load.plans().flatMap((p) => (p.applicationId ? [p.applicationId] : [])));
  facts.lapsingCredentials.push(
    ...load
      .plans()
      .flatMap((p) =>
        p.expected.status === 'no-application' ? [{ credentialId: p.credentialId, lapsesOn: p.expected.lapsesOn }] : [],
      ),
  );
  facts.mismatches.push(
    ...report.mismatches.map(
      (m) => `${m.trainerId} (${m.kind}): expected ${describeExpected(m.expected)}, got ${m.actual}`,
    ),
  );
  if (report.decidedTwice > 0)
    facts.mismatches.push(`${report.decidedTwice} applications with two outcome events (load)`);
  await load.stop();
  loads = loads.filter((l) => l !== load);

  // On the system clock nothing moves time: the round's past-due deadlines fired as they were scheduled.
  if (systemClockOnly) return report;
  // Deadlines: the never-applying trainers' cycles expire at +20 days, late windows close at +110,
  // final windows at +385; reminders come before. Faults between the moves.
  print(`-- round ${n}: the clock across the deadlines`);
  await faults.advanceClock(25);
  await faults.flushRedis();
  await faults.advanceClock(40);
  await faults.killService('applications', 1_000);
  await faults.advanceClock(100);
  await faults.restartPostgres();
  await faults.advanceClock(300);
  if (!profile.overlapKills) await faults.killService('audits', 1_000);
  return report;
}

async function main(): Promise<number> {
  faketimeLibrary(); // the production path needs it: fail before the build if it is missing
  print(
    `Fault suite (${flag('short') ? 'short' : 'full'}): the production deadline path, then ${profile.rounds} round(s) of ${profile.trainers} trainers ${systemClockOnly ? 'on the system clock' : `on a controllable clock from ${clockStart}`}; sandbox under ${rel(sandbox.dir)}`,
  );
  await sandbox.build();
  await sandbox.startInfrastructure();
  // M is planned once the variable part (build, infrastructure) is done; the offset holds until the rounds.
  const due = planDue(DUE_LEAD_MS);
  sandbox.options.production = due.clock;
  await sandbox.startServices();
  faults.note(
    'sandbox up',
    `kafka ${sandbox.brokers[0]}, redis ${sandbox.redisUrl}, postgres :${DEFAULT_SANDBOX.pgPort}, services :3100–3105`,
  );
  print(`\n== the production deadline path: a cohort due at M, Redis flushed and PostgreSQL down across it`);
  const cohort: CohortFacts = await runDueTimePhase(
    sandbox,
    faults,
    due,
    planCohort(Date.now().toString(36).slice(-5), due, flag('short') ? 4 : 20),
  );
  if (systemClockOnly) {
    await sandbox.restartServicesOn('machine');
    faults.note(
      "services restarted on this machine's clock",
      `the offset gone (a ${(-due.clock.offsetMs / 60_000).toFixed(1)} min leap forward): the load stamps its events with this clock`,
    );
  } else {
    const now = await sandbox.systemNow();
    const start = clockStart === 'now' ? new Date() : new Date(clockStart);
    if (start < now) throw new Error(`--clock-start ${clockStart} is before the system's time ${now.toISOString()}`);
    await sandbox.restartServicesOn({ controllableFrom: start.toISOString() });
    faults.note(
      'services restarted on a controllable clock',
      `from ${start.toISOString()}: the rounds' deadlines fire through time travel`,
    );
  }

  const facts: LoadFacts = {
    submittedApplicationIds: [],
    mismatches: [],
    decisionsExpected: 0,
    lapsingCredentials: [],
  };
  const reports: LoadReport[] = [];
  for (let n = 1; n <= profile.rounds; n++) reports.push(await round(n, facts));

  faults.note('draining', 'waiting until no service has consumer lag or outbox backlog');
  await drain();
  faults.note('drained');
  await faults.settled();

  const checker = InvariantChecker.connect(sandbox.databaseUrl, sandbox.brokers);
  let results: InvariantResult[];
  try {
    results = await checker.checkAll(facts, await sandbox.systemNow(), {
      overdueBoundMs: systemClockOnly ? OVERDUE_BOUND_MS : 0,
      cohort,
    });
  } finally {
    await checker.close();
  }
  printSummary(reports, results);
  return results.every((r) => r.ok) ? 0 : 1;
}

/** Until every service reports no lag and no backlog twice in a row (2 minutes at most). */
async function drain(): Promise<void> {
  const until = Date.now() + 120_000;
  let quiet = 0;
  while (Date.now() < until && quiet < 2) {
    const work = await Promise.all(SERVICES.map((s) => faults.work(s)));
    quiet = work.every((w) => w.lag + w.backlog === 0) ? quiet + 1 : 0;
    await sleep(1_000);
  }
}

function printSummary(reports: LoadReport[], results: InvariantResult[]): void {
  print('\n== timeline');
  for (const e of faults.timeline)
    print(`  ${e.at.toFixed(1).padStart(7)} s  ${e.what}${e.detail ? ` — ${e.detail}` : ''}`);

  print('\n== recovery (seconds from the fault)');
  print(`  ${'fault'.padEnd(34)} ${'service'.padEnd(32)} ${'ready'.padStart(6)} ${'consuming'.padStart(10)}`);
  for (const r of faults.recoveries) {
    const s = (v: number | null) => (v === null ? '—' : v.toFixed(1));
    print(
      `  ${r.fault.padEnd(34)} ${r.service.padEnd(32)} ${s(r.readySeconds).padStart(6)} ${s(r.consumingSeconds).padStart(10)}`,
    );
  }

  print('\n== load');
  for (const r of reports) {
    print(
      `  run ${r.run}: ${r.trainers} trainers, ${r.applications} applications: ${r.outcomes.approved} approved, ${r.outcomes.denied} denied, ${r.outcomes.refused} refused, ${r.outcomes.missing} missing; ${r.mismatches.length} mismatches; decision p50 ${r.decisionLatencyMs.p50} ms, p99 ${r.decisionLatencyMs.p99} ms`,
    );
  }

  print('\n== invariants');
  let group = '';
  for (const r of results) {
    if (r.group !== group) print(`  ${(group = r.group)}`);
    print(`    ${r.ok ? 'PASS' : 'FAIL'}  ${r.name}: ${r.detail}`);
    for (const e of r.examples ?? []) print(`            e.g. ${e}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  print(
    `\n${failed === 0 ? 'PASS' : 'FAIL'}: ${results.length - failed}/${results.length} invariants hold; ${faults.timeline.length} timeline entries; ${((Date.now() - started) / 1000).toFixed(0)} s in all`,
  );
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await sleep(100);
}

main()
  .then(async (code) => {
    await stopAll();
    print(flag('keep') ? 'sandbox left running (--keep)' : 'sandbox stopped');
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(
      `\nthe fault suite failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    console.error(`logs: ${rel(sandbox.logDir)}/<service>.log, ${rel(sandbox.kafkaDir)}/kafka.log`);
    await stopAll();
    process.exit(2);
  });
