import { gaugeTotal } from './backlog-sampler';

describe('reading a gauge from a Prometheus exposition', () => {
  const exposition = [
    "# HELP recert_consumer_lag Messages on each topic that this service's consumer group has yet to read.",
    '# TYPE recert_consumer_lag gauge',
    'recert_consumer_lag{topic="portal.submissions",service="applications"} 12',
    'recert_consumer_lag{topic="recert.ceu",service="applications"} 3',
    'recert_consumer_lag_seconds{service="applications"} 99',
    'recert_outbox_backlog{service="applications"} 7',
  ].join('\n');

  it('sums every series of the gauge, and of no other metric whose name it begins', () => {
    expect(gaugeTotal(exposition, 'recert_consumer_lag')).toBe(15);
    expect(gaugeTotal(exposition, 'recert_outbox_backlog')).toBe(7);
    expect(gaugeTotal(exposition, 'recert_dead_letters')).toBe(0);
  });
});
