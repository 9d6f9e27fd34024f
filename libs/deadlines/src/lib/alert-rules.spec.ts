import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { parse } from 'yaml';
import { IdempotentConsumer, MessagingMetrics } from '@recert/messaging';
import { loadRecertConfig, RecertMetrics } from '@recert/platform';
import { registerDeadlineMetrics } from './deadline-metrics';

// promtool is not on the development machines: the rules file is checked here for its structure
// and for naming only metrics (and labels) that the services register.
const RULES_FILE = join(__dirname, '../../../../deploy/prometheus/recert-alerts.yml');

interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const PROMQL_KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
]);

/** The metric names an expression reads: identifiers that are not functions, keywords, labels, strings or durations. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"[^"]*"|'[^']*'/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/(?<![\w.])([a-zA-Z_:][\w:]*)\b(?!\s*\()/g)]
    .map((m) => m[1])
    .filter((name) => !PROMQL_KEYWORDS.has(name));
}

/** The labels an expression keeps: those of its `by (…)` clauses. */
function groupingLabels(expr: string): string[] {
  return [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((m) => m[1].split(',').map((l) => l.trim()));
}

function registeredMetrics(): Map<string, string[]> {
  const config = loadRecertConfig('applications', {});
  const metrics = new RecertMetrics(config);
  registerDeadlineMetrics(metrics, { upcoming: async () => [], overdue: async () => [] }, 0);
  // Registering the gauges reads nothing: the database and the broker are only asked at a scrape.
  new MessagingMetrics(metrics, {} as DataSource, {} as Kafka, config, {} as IdempotentConsumer).onModuleInit();
  return new Map(
    metrics.registry
      .getMetricsAsArray()
      .map((m) => [m.name, [...((m as unknown as { labelNames: string[] }).labelNames ?? []), 'service']]),
  );
}

describe('Prometheus alert rules (deploy/prometheus/recert-alerts.yml)', () => {
  const file = parse(readFileSync(RULES_FILE, 'utf8')) as { groups: { name: string; rules: AlertRule[] }[] };
  const rules = file.groups.flatMap((g) => g.rules);
  const registered = registeredMetrics();

  it('has named groups of alerting rules, each with expr, for, a severity and a summary', () => {
    expect(file.groups.map((g) => g.name)).toEqual(['recert-deadlines', 'recert-messaging']);
    expect(rules.map((r) => r.alert)).toEqual([
      'RecertDeadlinesOverdue',
      'RecertOutboxBacklog',
      'RecertConsumerLag',
      'RecertDeadLetters',
    ]);
    for (const rule of rules) {
      expect(Object.keys(rule).sort()).toEqual(['alert', 'annotations', 'expr', 'for', 'labels']);
      expect(rule.expr).toEqual(expect.any(String));
      expect(rule.for).toMatch(/^\d+[smhd]$/);
      expect(['page', 'warn']).toContain(rule.labels.severity);
      expect(Object.keys(rule.annotations).sort()).toEqual(['description', 'summary']);
    }
  });

  it('alerts on overdue deadlines through the gauge the deadline runner registers', () => {
    expect(rules.find((r) => r.alert === 'RecertDeadlinesOverdue')?.expr).toBe(
      'sum by (service, kind) (recert_deadlines_overdue) > 0',
    );
  });

  it('reads only metrics the services register, keeps only their labels, and names only those in annotations', () => {
    for (const rule of rules) {
      const names = metricNames(rule.expr);
      expect({ alert: rule.alert, unknown: names.filter((n) => !registered.has(n)) }).toEqual({
        alert: rule.alert,
        unknown: [],
      });
      expect(names.length).toBeGreaterThan(0);
      const labels = new Set(names.flatMap((n) => registered.get(n) ?? []));
      const kept = groupingLabels(rule.expr);
      expect({ alert: rule.alert, unknown: kept.filter((l) => !labels.has(l)) }).toEqual({
        alert: rule.alert,
        unknown: [],
      });
      const templated = Object.values(rule.annotations).flatMap((text) =>
        [...text.matchAll(/\$labels\.(\w+)/g)].map((m) => m[1]),
      );
      expect({ alert: rule.alert, unknown: templated.filter((l) => !kept.includes(l)) }).toEqual({
        alert: rule.alert,
        unknown: [],
      });
    }
  });

  it('finds a misspelt metric (the check itself works)', () => {
    expect(metricNames('sum by (service) (increase(recert_deadline_fired_total{kind="x"}[5m])) > 0')).toEqual([
      'recert_deadline_fired_total',
    ]);
    expect(registered.has('recert_deadline_fired_total')).toBe(false);
  });
});
