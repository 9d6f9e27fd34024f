import type { Admin, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { RecertConfig, RecertMetrics } from '@recert/platform';
import type { IdempotentConsumer } from './consumer/idempotent-consumer';
import { MessagingMetrics } from './messaging-metrics';

type Read = () => Promise<{ labels: Record<string, string>; value: number }[]>;

/**
 * The consumer-lag gauge reads the broker at each scrape. A scrape in flight when the service shuts
 * down kept its HTTP request open while kafkajs retried against an admin already disconnected (and
 * reconnected it): the service's close waited on it past the end-to-end hook's two minutes, and the
 * system lock it held failed every later file (CI, 2026-12-06).
 */
describe('MessagingMetrics: the consumer-lag read and the shutdown', () => {
  function setUp() {
    const reads = new Map<string, Read>();
    const metrics = {
      gaugeFromState: (name: string, _help: string, _labels: readonly string[], read: Read) => reads.set(name, read),
    } as unknown as RecertMetrics;
    const events: string[] = [];
    let answer: (offsets: Awaited<ReturnType<Admin['fetchOffsets']>>) => void = () => undefined;
    const admin = {
      connect: jest.fn(async () => undefined),
      disconnect: jest.fn(async () => {
        events.push('disconnect');
      }),
      fetchOffsets: jest.fn(
        () =>
          new Promise<Awaited<ReturnType<Admin['fetchOffsets']>>>((resolve) => {
            answer = (offsets) => {
              events.push('offsets answered');
              resolve(offsets);
            };
          }),
      ),
      fetchTopicOffsets: jest.fn(async () => [
        { partition: 0, offset: '12', high: '12', low: '0' },
        { partition: 1, offset: '4', high: '4', low: '1' },
      ]),
    };
    const kafka = { admin: jest.fn(() => admin) } as unknown as Kafka;
    const config = { kafka: { groupId: 'recert-applications' } } as RecertConfig;
    const consumer = { topics: ['recert.payments'] } as IdempotentConsumer;
    const service = new MessagingMetrics(metrics, {} as DataSource, kafka, config, consumer);
    service.onModuleInit();
    const lag = reads.get('recert_consumer_lag') as Read;
    return { service, lag, admin, kafka, events, answer: (o: Parameters<typeof answer>[0]) => answer(o) };
  }

  it('reads the lag of each topic it consumes from the committed offsets and the topic ends', async () => {
    const { lag, answer, admin } = setUp();
    const read = lag();
    await new Promise((resolve) => setImmediate(resolve));
    answer([
      {
        topic: 'recert.payments',
        partitions: [
          { partition: 0, offset: '5', metadata: null },
          { partition: 1, offset: '2', metadata: null },
        ],
      },
    ]);
    // Partition 0: 12 written, 5 read, 7 to go; partition 1: 4 written, 2 read, 2 to go.
    expect(await read).toEqual([{ labels: { topic: 'recert.payments' }, value: 9 }]);
    expect(admin.fetchOffsets).toHaveBeenCalledWith({ groupId: 'recert-applications', topics: ['recert.payments'] });
  });

  it('counts a partition the group never committed on from its start, not as read', async () => {
    // The broker answers -1 for a partition without a commit (or leaves it out): its messages
    // from the low watermark are all still to read. Left out, a consumer that never committed
    // showed no lag at all.
    const { lag, answer } = setUp();
    const read = lag();
    await new Promise((resolve) => setImmediate(resolve));
    answer([{ topic: 'recert.payments', partitions: [{ partition: 0, offset: '-1', metadata: null }] }]);
    // Partition 0: 12 from offset 0; partition 1 (absent): 4 - 1 = 3.
    expect(await read).toEqual([{ labels: { topic: 'recert.payments' }, value: 15 }]);
  });

  it('asks the broker once per scrape, without retries: a failed scrape leaves the gauge empty, it does not wait', async () => {
    const { lag, kafka, answer } = setUp();
    const read = lag();
    await new Promise((resolve) => setImmediate(resolve));
    answer([]);
    await read;
    expect(kafka.admin).toHaveBeenCalledWith({ retry: { retries: 0 } });
  });

  it('a shutdown lets the read in flight finish before it disconnects the admin, and no read starts after it', async () => {
    const { service, lag, admin, kafka, events, answer } = setUp();
    const inFlight = lag();
    await new Promise((resolve) => setImmediate(resolve));
    const shutdown = service.beforeApplicationShutdown();
    await new Promise((resolve) => setImmediate(resolve));
    expect(admin.disconnect).not.toHaveBeenCalled();
    answer([]);
    await inFlight;
    await shutdown;
    expect(events).toEqual(['offsets answered', 'disconnect']);

    await expect(lag()).rejects.toThrow('shutting down');
    expect(kafka.admin).toHaveBeenCalledTimes(1);
    expect(admin.fetchOffsets).toHaveBeenCalledTimes(1);
  });
});
