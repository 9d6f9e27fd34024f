import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadRecertConfig, RecertMetrics } from '@recert/platform';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Every metric name the code defines: what a service's scrape serves (the process's prom-client
 * defaults and the service's own) and our own named in the source.
 */
async function definedMetrics(): Promise<Set<string>> {
  const scrape = await new RecertMetrics(loadRecertConfig('gateway', {})).scrape();
  const names = new Set([...scrape.matchAll(/^# HELP (\S+) /gm)].map((m) => m[1]));
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : walk(path);
      return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
    });
  for (const file of [...walk(join(ROOT, 'apps')), ...walk(join(ROOT, 'libs'))])
    for (const match of readFileSync(file, 'utf8').matchAll(/['"](recert_[a-z0-9_]+)['"]/g)) names.add(match[1]);
  return names;
}

describe('the Grafana dashboard (grafana/recert-dashboard.json)', () => {
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'grafana', 'recert-dashboard.json'), 'utf8'));
  const exprs: string[] = dashboard.panels.flatMap((p: { targets: { expr: string }[] }) =>
    p.targets.map((t) => t.expr),
  );

  it('is a dashboard with a Prometheus data source chosen at import, and panels that do not overlap', () => {
    expect(dashboard).toMatchObject({ uid: 'recert-overview', title: 'Recert' });
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource' }),
    );
    const cells = new Set<string>();
    for (const { gridPos } of dashboard.panels)
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++)
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
  });

  it('asks only for metrics the services export', async () => {
    const defined = await definedMetrics();
    const asked = new Set(exprs.flatMap((e) => e.match(/recert_[a-z0-9_]+/g) ?? []));
    expect(asked.size).toBeGreaterThan(5);
    expect([...asked].filter((name) => !defined.has(name))).toEqual([]);
  });

  it('covers what ops asked for: states, lag, dead letters, outbox, deadlines, money', () => {
    for (const metric of [
      'recert_applications',
      'recert_consumer_lag',
      'recert_events_consumed_total',
      'recert_outbox_backlog',
      'recert_deadlines_due',
      'recert_deadlines_fired_total',
      'recert_fees_cents',
    ])
      expect(exprs.some((e) => e.includes(metric))).toBe(true);
  });
});
