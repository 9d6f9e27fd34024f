import { Kafka } from 'kafkajs';
import { IdempotentConsumer } from '../consumer/idempotent-consumer';
import { KafkaBatchConsumer } from './kafka-batch-consumer';

/** A kafkajs consumer that only records its listeners, so the test can emit its instrumentation events. */
function fakeKafka() {
  const listeners = new Map<string, (event: { payload: unknown }) => void>();
  const consumer = {
    events: { CRASH: 'consumer.crash', GROUP_JOIN: 'consumer.group_join' },
    on: (event: string, listener: (event: { payload: unknown }) => void) => listeners.set(event, listener),
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async () => undefined,
  };
  const emit = (event: string, payload: unknown) => listeners.get(event)?.({ payload });
  return { kafka: { consumer: () => consumer } as unknown as Kafka, emit };
}

describe('KafkaBatchConsumer liveness (issue 15: a wedged consumer is restarted)', () => {
  const settings = { groupId: 'g', concurrency: 1, batchMax: 10, drainMs: 10, stuckAfterMs: 1_000 };
  const idempotent = { topics: ['t'] } as unknown as IdempotentConsumer;

  it('fails after a crash kafkajs does not recover from, and passes again once the consumer rejoins its group', async () => {
    const { kafka, emit } = fakeKafka();
    const consumer = new KafkaBatchConsumer(kafka, idempotent, settings);
    await consumer.start();
    const probe = consumer.livenessProbe();
    expect(() => probe.check()).not.toThrow();

    emit('consumer.crash', { error: new Error('coordinator gone'), restart: true });
    expect(() => probe.check()).not.toThrow();

    emit('consumer.crash', { error: new Error('not authorized'), restart: false });
    expect(() => probe.check()).toThrow('the consumer crashed and did not rejoin: not authorized');

    emit('consumer.group_join', {});
    expect(() => probe.check()).not.toThrow();
  });
});
