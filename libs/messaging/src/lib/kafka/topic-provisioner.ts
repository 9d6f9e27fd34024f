import { Kafka } from 'kafkajs';
import { TopicDefinition } from '@recert/contracts';

/**
 * Creates the registry's topics explicitly (the broker does not auto-create them). Existing
 * topics are left alone, so running it at every start is harmless.
 */
export async function provisionTopics(
  kafka: Kafka,
  topics: readonly TopicDefinition[],
  replicationFactor = 1,
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor })),
      });
    }
    return missing.map((t) => t.name);
  } finally {
    await admin.disconnect();
  }
}
