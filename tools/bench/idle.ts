import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { devApiToken } from '../dev-api-token';
import { kafkaBrokers } from '../kafka-clients';
import { TrainerLoad } from '../load/trainer-load';
import { cpuOf, ms, ROOT, systemProcesses, table } from './processes';

/**
 * The system at rest (issue 16), against the running system (`npm start`):
 *  1. idle: the CPU the six services and the broker use over a window with nothing sent, as a
 *     share of one core;
 *  2. one application at a time: N trainers prepared, then their applications submitted one a
 *     second, each decided on an otherwise idle system; submission → decision per application.
 *
 *   npm run bench:idle                      (60 s idle window, 40 trainers)
 *   npm run bench:idle -- --idle-seconds 120 --trainers 100
 *
 * Prints the figures and writes .local/bench/idle-<time>.json.
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const idleSeconds = option('idle-seconds', 60);
const trainers = option('trainers', 40);
const gatewayUrl = process.env['RECERT_URL'] ?? 'http://127.0.0.1:3000';
const PIDS = systemProcesses();
const PROCESSES = Object.keys(PIDS);

function cpuSecondsNow(): Record<string, number> {
  return Object.fromEntries(PROCESSES.map((name) => [name, cpuOf(PIDS[name])]));
}

async function main(): Promise<void> {
  const ready = await fetch(`${gatewayUrl}/health/ready`).catch(() => undefined);
  if (!ready?.ok) throw new Error(`the system does not answer at ${gatewayUrl}/health/ready: start it with npm start`);

  console.log(`Idle: ${idleSeconds} s with nothing sent…`);
  const before = cpuSecondsNow();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
  const after = cpuSecondsNow();
  const elapsed = (performance.now() - started) / 1000;
  const idle = Object.fromEntries(
    PROCESSES.map((name) => [name, Number((((after[name] - before[name]) / elapsed) * 100).toFixed(2))]),
  );
  const idleTotal = Number(
    Object.values(idle)
      .filter(Number.isFinite)
      .reduce((a, b) => a + b, 0)
      .toFixed(2),
  );
  console.log(
    table(
      ['process', '% of one core'],
      [
        ...PROCESSES.map((name) => [name, Number.isFinite(idle[name]) ? idle[name].toFixed(2) : 'n/a (not running)']),
        ['all together', idleTotal.toFixed(2)],
      ],
    ),
  );

  console.log(`\nOne application at a time: ${trainers} trainers prepared, then one application a second…`);
  // Each trainer pays at once (no batching window of the generator's own in the figure).
  const load = new TrainerLoad({
    trainers,
    brokers: kafkaBrokers(),
    gatewayUrl,
    apiToken: devApiToken(),
    reactionBatchMs: 0,
  });
  await load.prepare();
  // The preparation's own work drains before the first application.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  await load.submit({ perSecond: 1 });
  const report = await load.settle();
  await load.stop();
  const l = report.decisionLatencyMs;
  console.log(
    `  ${report.applications} applications: submission → decision p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, max ${ms(l.max)}; ` +
      `${report.mismatches.length} outcomes differ from DOMAIN.md, ${report.decidedTwice} decided twice`,
  );
  console.log(
    table(
      ['step', 'n', 'p50', 'p95'],
      report.steps.map((s) => [s.step, String(s.applications), ms(s.p50Ms), ms(s.p95Ms)]),
    ),
  );

  const result = {
    timestamp: new Date().toISOString(),
    idle: { seconds: Number(elapsed.toFixed(1)), percentOfOneCore: idle, total: idleTotal },
    oneAtATime: {
      applications: report.applications,
      decisionLatencyMs: report.decisionLatencyMs,
      steps: report.steps,
      mismatches: report.mismatches.length,
      decidedTwice: report.decidedTwice,
    },
  };
  const dir = path.join(ROOT, '.local', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `idle-${result.timestamp.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(ROOT, file)}`);
  if (report.mismatches.length > 0 || report.decidedTwice > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
