import './register-workspace-paths';
import { ALL_TOPICS } from '@recert/contracts';
import { createKafka } from '../lib/kafka/kafka-transport';
import { provisionTopics } from '../lib/kafka/topic-provisioner';

/**
 * jest globalSetup of every project whose tests talk to Kafka: the registry's topics exist
 * before any test subscribes (the broker does not auto-create topics).
 */
export default async function provisionRegistryTopics(): Promise<void> {
  try {
    const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
    await provisionTopics(createKafka({ brokers, clientId: 'recert-test-setup' }), ALL_TOPICS);
  } catch (error) {
    throw new Error(
      `Kafka is not reachable (${error instanceof Error ? error.message : String(error)}). ` +
        'Run the tests with `npm test`, which starts it, or start it with `scripts/infra/kafka.sh start`.',
    );
  }
}
