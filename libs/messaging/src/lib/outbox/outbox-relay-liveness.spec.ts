import { DataSource } from 'typeorm';
import { EventProducer } from '../kafka/event-producer.port';
import { OutboxRelay } from './outbox-relay';
import { outboxRelayLiveness } from './outbox-relay-liveness';

/**
 * The probe with PostgreSQL unreachable (a DataSource whose every query fails): an outage is for
 * readiness, so liveness fails only once the relay knows of events it cannot get out (the
 * integration spec shows those: a send stuck, every send failing).
 */
describe('outbox relay liveness while PostgreSQL is down', () => {
  const unreachable = async () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  };
  const dataSource = { query: unreachable, driver: { obtainMasterConnection: unreachable } } as unknown as DataSource;
  const producer: EventProducer = { send: async () => undefined, disconnect: async () => undefined };
  const stuckAfterMs = 200;
  let relay: OutboxRelay;
  const errors: unknown[] = [];

  beforeEach(() => {
    relay = new OutboxRelay(dataSource, producer, {
      sweepMs: 50,
      batchSize: 10,
      stopTimeoutMs: 100,
      onError: (error) => errors.push(error),
    });
  });

  afterEach(() => relay.stop());

  const elapse = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('holds while no event is known to wait, however long the outage', async () => {
    const probe = outboxRelayLiveness(relay, stuckAfterMs);
    relay.start();
    await elapse(stuckAfterMs * 2);
    expect(errors.length).toBeGreaterThan(0);
    expect(() => probe.check()).not.toThrow();
  });
});
