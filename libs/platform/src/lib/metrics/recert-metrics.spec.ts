import { loadRecertConfig } from '../config/recert-config';
import { RecertMetrics } from './recert-metrics';

describe('RecertMetrics', () => {
  const metrics = () => new RecertMetrics(loadRecertConfig('payments', {}));

  it('labels every sample with the service, counts events, and reads state gauges at each scrape', async () => {
    const m = metrics();
    m.eventsConsumed.inc({ topic: 't', type: 'PaymentSucceeded', outcome: 'processed' });
    let backlog = 3;
    m.gaugeFromState('recert_test_backlog', 'test', ['queue'], async () => [
      { labels: { queue: 'q' }, value: backlog },
    ]);
    const first = await m.registry.metrics();
    expect(first).toMatch(
      /^recert_events_consumed_total\{topic="t",type="PaymentSucceeded",outcome="processed",service="payments"\} 1$/m,
    );
    expect(first).toMatch(/^recert_test_backlog\{queue="q",service="payments"\} 3$/m);
    backlog = 0;
    expect(await m.registry.metrics()).toMatch(/^recert_test_backlog\{queue="q",service="payments"\} 0$/m);
  });

  it('leaves a gauge empty when its source fails, and the scrape still answers', async () => {
    const m = metrics();
    m.gaugeFromState('recert_test_down', 'test', [], async () => {
      throw new Error('database down');
    });
    const text = await m.registry.metrics();
    expect(text).toContain('# HELP recert_test_down test');
    expect(text).toMatch(/^recert_test_down\{service="payments"\} NaN$/im);
  });

  it('gives each service a registry of its own (services may share a process)', async () => {
    const a = metrics();
    const b = metrics();
    a.deadlinesFired.inc({ kind: 'expiration' });
    expect(await b.registry.metrics()).not.toMatch(/^recert_deadlines_fired_total\{/m);
  });

  it('collects the process metrics once per process and serves them with every service scrape (issue 16)', async () => {
    const a = metrics();
    const b = metrics();
    for (const m of [a, b]) {
      // Not in the service's own registry: six services in one process would sample six times.
      expect(m.registry.getSingleMetric('recert_nodejs_eventloop_lag_p99_seconds')).toBeUndefined();
      const text = await m.scrape();
      expect(text.match(/^# HELP recert_nodejs_eventloop_lag_p99_seconds /gm)).toHaveLength(1);
      expect(text).toMatch(/^recert_process_resident_memory_bytes \d+$/m);
      expect(text).toMatch(/^# HELP recert_events_consumed_total /m);
    }
  });
});
