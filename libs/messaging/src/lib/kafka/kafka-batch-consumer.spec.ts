import { EachBatchPayload, Kafka } from 'kafkajs';
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
    run: async (config: { eachBatch: (payload: EachBatchPayload) => Promise<void> }) => {
      eachBatch = config.eachBatch;
    },
  };
  let eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  const emit = (event: string, payload: unknown) => listeners.get(event)?.({ payload });
  const deliver = (payload: EachBatchPayload) => {
    if (!eachBatch) throw new Error('the consumer is not running');
    return eachBatch(payload);
  };
  return { kafka: { consumer: () => consumer } as unknown as Kafka, emit, deliver };
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

describe('KafkaBatchConsumer offsets: a slice counts as read only once the broker has its commit', () => {
  const settings = { groupId: 'g', concurrency: 1, batchMax: 10, drainMs: 10, stuckAfterMs: 1_000 };
  const idempotent = { topics: ['t'], consumeBatch: async () => undefined } as unknown as IdempotentConsumer;

  function fetched(commit: () => Promise<void>) {
    const calls: string[] = [];
    const payload = {
      batch: {
        topic: 't',
        partition: 0,
        messages: [
          { offset: '7', key: null, value: Buffer.from('{}'), headers: {} },
          { offset: '8', key: null, value: Buffer.from('{}'), headers: {} },
        ],
      },
      isRunning: () => true,
      isStale: () => false,
      heartbeat: async () => undefined,
      resolveOffset: (offset: string) => calls.push(`resolve ${offset}`),
      commitOffsetsIfNecessary: async (offsets: { topics: { partitions: { offset: string }[] }[] }) => {
        calls.push(`commit ${offsets.topics[0].partitions[0].offset}`);
        await commit();
      },
    } as unknown as EachBatchPayload;
    return { payload, calls };
  }

  it('commits the offset after the slice, then moves the fetch position past it', async () => {
    const { kafka, deliver } = fakeKafka();
    await new KafkaBatchConsumer(kafka, idempotent, settings).start();
    const { payload, calls } = fetched(async () => undefined);
    await deliver(payload);
    expect(calls).toEqual(['commit 9', 'resolve 8']);
  });

  it('leaves the fetch position where it was when the commit fails, so the retried fetch redelivers the slice', async () => {
    // kafkajs retries a failed batch with the same offset manager: a position moved before a failed
    // commit would skip the slice for good, and its offsets would stay uncommitted (lag that never drains).
    const { kafka, deliver } = fakeKafka();
    await new KafkaBatchConsumer(kafka, idempotent, settings).start();
    const { payload, calls } = fetched(async () => {
      throw new Error('Connection error: broker restarting');
    });
    await expect(deliver(payload)).rejects.toThrow('broker restarting');
    expect(calls).toEqual(['commit 9']);
  });
});
