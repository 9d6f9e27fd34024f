import type { Kafka } from 'kafkajs';
import { PartitionOffsets } from './partition-offsets';

/**
 * What a receipt may take for a topic's ends: a read started no earlier than its event reached
 * the consumer (`since`). The broker's admin is faked: it counts the reads, and its ends grow by
 * one message per read, so a test can tell which read an answer came from.
 */
describe('PartitionOffsets: reads of topic ends shared within a batch', () => {
  let reads = 0;
  const requests: string[][] = [];
  const kafka = {
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      fetchTopicsEnds: async (topics: string[]) => {
        reads += 1;
        requests.push([...topics]);
        return topics.map((topic) => ({
          topic,
          partitions: [
            { partition: 0, high: String(reads) },
            { partition: 1, high: String(reads) },
          ],
        }));
      },
    }),
  } as unknown as Kafka;

  beforeEach(() => {
    reads = 0;
    requests.length = 0;
  });

  it('without `since`, every call reads the broker afresh', async () => {
    const offsets = new PartitionOffsets(kafka);
    await offsets.endsOf('t');
    await offsets.endsOf('t');
    expect(reads).toBe(2);
  });

  it('receipts received before a read share it; one received after it reads again', async () => {
    const offsets = new PartitionOffsets(kafka);
    const batchReceivedAt = performance.now();
    const first = await offsets.endsOf('t', batchReceivedAt);
    const second = await offsets.endOf('t', 'trainer-1', batchReceivedAt);
    expect(reads).toBe(1);
    expect(first.map((p) => p.nextOffset)).toEqual([1, 1]);
    expect(second.nextOffset).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 5));
    const laterBatch = performance.now();
    const third = await offsets.endsOf('t', laterBatch);
    expect(reads).toBe(2);
    expect(third.map((p) => p.nextOffset)).toEqual([2, 2]);
  });

  it('each topic has reads of its own', async () => {
    const offsets = new PartitionOffsets(kafka);
    const since = performance.now();
    await offsets.endsOf('a', since);
    await offsets.endsOf('b', since);
    await offsets.endsOf('a', since);
    expect(reads).toBe(2);
  });

  it('topics asked for at once (a receipt needs four) go to the broker as one request', async () => {
    const offsets = new PartitionOffsets(kafka);
    const since = performance.now();
    const [a, b, c] = await Promise.all([
      offsets.endOf('a', 'trainer-1', since),
      offsets.endsOf('b', since),
      offsets.endOf('c', 'trainer-1'),
    ]);
    expect(requests).toEqual([['a', 'b', 'c']]);
    expect([a.nextOffset, b.map((p) => p.nextOffset), c.nextOffset]).toEqual([1, [1, 1], 1]);
    // The shared read serves a later receipt of the same batch, topic by topic.
    await offsets.endsOf('b', since);
    expect(reads).toBe(1);
  });

  it('a failed read fails each receipt that shares it, and the next asks again', async () => {
    let fail = true;
    const failing = {
      admin: () => ({
        connect: async () => undefined,
        disconnect: async () => undefined,
        fetchTopicsEnds: async (topics: string[]) => {
          reads += 1;
          if (fail) throw Object.assign(new Error('broker gone'), { retriable: false });
          return topics.map((topic) => ({ topic, partitions: [{ partition: 0, high: '7' }] }));
        },
      }),
    } as unknown as Kafka;
    const offsets = new PartitionOffsets(failing);
    const since = performance.now();
    const both = await Promise.allSettled([offsets.endsOf('a', since), offsets.endsOf('b', since)]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect((await offsets.endsOf('a', since)).map((p) => p.nextOffset)).toEqual([7]);
    expect(reads).toBe(2);
  });
});
