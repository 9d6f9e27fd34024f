import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/** What the benchmarks read of the processes `npm start` runs (their pid files) and of PostgreSQL and Redis. */
export const ROOT = path.resolve(__dirname, '..', '..');
export const SERVICES = ['gateway', 'applications', 'ceu-verification', 'petitions', 'payments', 'audits'];

export function pidFile(relative: string): number | undefined {
  const file = path.join(ROOT, relative);
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined;
}

/**
 * The processes `npm start` runs, by name: a process per service, the one process hosting them
 * all (`RECERT_PROCESSES=one`, the default) or the two hosts (`RECERT_PROCESSES=two`), and the broker.
 */
export function systemProcesses(): Record<string, number | undefined> {
  const one = pidFile('.local/run/one-process.pid');
  const two = [pidFile('.local/run/one-process-1.pid'), pidFile('.local/run/one-process-2.pid')];
  const services = one
    ? { 'one-process (all six services)': one }
    : two.every(Boolean)
      ? { 'one-process-1 (applications, gateway)': two[0], 'one-process-2 (the other four)': two[1] }
      : Object.fromEntries(SERVICES.map((service) => [service, pidFile(`.local/run/${service}.pid`)]));
  return { ...services, kafka: pidFile('.local/kafka/kafka.pid') };
}

/** CPU seconds of every process running `command` (PostgreSQL's backends and workers, Redis). */
export function cpuOfCommand(command: string): number {
  return pidsOf(command)
    .map(cpuOf)
    .filter(Number.isFinite)
    .reduce((sum, s) => sum + s, 0);
}

export function pidsOf(command: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === command;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** A process's peak resident memory (VmHWM), in MB. */
export function peakRssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

/**
 * Memory of all processes running `command` now, in MB, as proportional set size: PostgreSQL's
 * backends share their buffers, so adding their resident sizes would count those many times.
 */
export function pssMbOfCommand(command: string): number {
  const kb = pidsOf(command).map((pid) => {
    try {
      return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? NaN);
    } catch {
      return NaN; // a backend that ended in between
    }
  });
  return kb.filter(Number.isFinite).reduce((sum, n) => sum + n, 0) / 1024;
}

/** User + system CPU seconds of a process and its ended children, from /proc (clock ticks of 1/100 s). */
export function cpuOf(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    // utime + stime, and cutime + cstime: the children it reaped (PostgreSQL's postmaster holds
    // the CPU of every backend that has ended, so the sum over its processes never goes back).
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN; // a backend that ended in between
  }
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function ms(value: number): string {
  return Number.isNaN(value) ? 'n/a' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`;
}
