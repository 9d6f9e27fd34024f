import { RecertMetrics } from '@recert/platform';
import { DeadlineRunner } from './deadline-runner';

/**
 * The deadline gauges, read from the `deadlines` table at each scrape: what is coming due, and
 * what is past due by more than `overdueGraceMs` without having fired (the alert's input).
 */
export function registerDeadlineMetrics(
  metrics: RecertMetrics,
  runner: Pick<DeadlineRunner, 'upcoming' | 'overdue'>,
  overdueGraceMs: number,
): void {
  metrics.gaugeFromState(
    'recert_deadlines_due',
    'Scheduled deadlines by kind, due within the next 7 and 30 days (and overdue: not yet fired).',
    ['kind', 'within'],
    async () =>
      (await runner.upcoming()).flatMap((r) => [
        { labels: { kind: r.kind, within: 'overdue' }, value: r.overdue },
        { labels: { kind: r.kind, within: '7d' }, value: r.within7Days },
        { labels: { kind: r.kind, within: '30d' }, value: r.within30Days },
      ]),
  );
  metrics.gaugeFromState(
    'recert_deadlines_overdue',
    'Scheduled deadlines by kind still not fired DEADLINE_OVERDUE_GRACE_MS after their due time.',
    ['kind'],
    async () => (await runner.overdue(overdueGraceMs)).map((r) => ({ labels: { kind: r.kind }, value: r.overdue })),
  );
}
