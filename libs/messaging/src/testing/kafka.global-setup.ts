import './register-workspace-paths';
import { KAFKA_ADMIN } from '@recert/contracts';
import { kafkaSasl, recertEnvSchema } from '@recert/platform';
import { createKafka } from '../lib/kafka/kafka-transport';
import { provisionKafka } from '../lib/kafka/kafka-provisioner';

/**
 * jest globalSetup of every project whose tests talk to Kafka: the registry's topics and ACLs
 * exist before any test subscribes (the broker does not auto-create topics, and services may not).
 */
export default async function provisionRegistryTopics(): Promise<void> {
  try {
    const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
    await provisionKafka(
      createKafka({ brokers, clientId: 'recert-test-setup', sasl: kafkaSasl(KAFKA_ADMIN, process.env) }),
      { groupPrefix: recertEnvSchema.shape.KAFKA_GROUP_PREFIX.parse(process.env['KAFKA_GROUP_PREFIX']) },
    );
  } catch (error) {
    throw new Error(
      `Kafka is not reachable as ${KAFKA_ADMIN} (${error instanceof Error ? error.message : String(error)}). ` +
        'Run the tests with `npm test`, which starts it, or start it with `scripts/infra/kafka.sh start`.',
    );
  }
}
