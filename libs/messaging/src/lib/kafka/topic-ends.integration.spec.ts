import { Admin, Kafka } from 'kafkajs';
import { createTestTopic, testKafka } from '@recert/testing';
import { fetchTopicEnds, fetchTopicsEnds } from './topic-ends';

/**
 * Issue 16: a receipt reads several topics' ends in one request (our kafkajs patch's
 * fetchTopicsEnds). Against the real broker: the same ends as kafkajs's own fetchTopicOffsets.
 */
describe('fetchTopicsEnds (real Kafka)', () => {
  let kafka: Kafka;
  let admin: Admin;
  let first: string;
  let second: string;

  beforeAll(async () => {
    kafka = testKafka();
    [first, second] = [await createTestTopic(kafka, 'ends-a', 3), await createTestTopic(kafka, 'ends-b', 2)];
    const producer = kafka.producer();
    await producer.connect();
    // Partition by partition, by hand: 3, 0 and 1 messages on the first topic, 2 and 0 on the second.
    await producer.sendBatch({
      topicMessages: [
        { topic: first, messages: [0, 0, 0, 2].map((partition) => ({ partition, value: 'x' })) },
        { topic: second, messages: [0, 0].map((partition) => ({ partition, value: 'x' })) },
      ],
    });
    await producer.disconnect();
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  it('answers each partition’s end of every topic asked, as written', async () => {
    const ends = await fetchTopicsEnds(admin, [first, second]);
    const byPartition = (topic: string) =>
      Object.fromEntries((ends.get(topic) ?? []).map((p) => [p.partition, Number(p.high)]));
    expect(byPartition(first)).toEqual({ 0: 3, 1: 0, 2: 1 });
    expect(byPartition(second)).toEqual({ 0: 2, 1: 0 });
  });

  it('agrees with kafkajs’s own fetchTopicOffsets', async () => {
    const ends = await fetchTopicsEnds(admin, [first]);
    const own = await fetchTopicEnds(admin, first);
    expect(
      (ends.get(first) ?? []).map((p) => [p.partition, p.high]).sort(),
    ).toEqual(own.map((p) => [p.partition, p.high]).sort());
  });

  it('refuses a topic that does not exist, once retried', async () => {
    await expect(fetchTopicsEnds(admin, [first, 'no.such.topic'], 500)).rejects.toThrow();
  });
});
