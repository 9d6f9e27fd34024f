import { Consumer, EachMessagePayload, Kafka, logLevel } from 'kafkajs';
import { KAFKA_ADMIN, KafkaPrincipal } from '@recert/contracts';
import { KafkaSasl, kafkaSasl } from '@recert/platform';
import { uniqueName } from './test-database';

export const TEST_KAFKA_BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

/**
 * A principal's credentials as the tests' broker knows them: KAFKA_PASSWORD_<PRINCIPAL> when the
 * run sets it, else the development password scripts/infra/kafka.sh gave the broker.
 */
export function testKafkaSasl(principal: KafkaPrincipal | typeof KAFKA_ADMIN = KAFKA_ADMIN): KafkaSasl {
  return kafkaSasl(principal, process.env);
}

/**
 * A client of the tests' broker. By default the admin principal: tests create topics and groups of
 * their own, which no service or upstream principal may. Pass a principal to act as it.
 */
export function testKafka(
  principal: KafkaPrincipal | typeof KAFKA_ADMIN = KAFKA_ADMIN,
  clientId = uniqueName('test'),
): Kafka {
  // Retried broker hiccups (a coordinator loading) are noise in test output; real failures still throw.
  return new Kafka({
    clientId,
    brokers: TEST_KAFKA_BROKERS,
    sasl: testKafkaSasl(principal),
    logLevel: logLevel.NOTHING,
  });
}

/** A topic of its own for one test, created explicitly (the broker does not auto-create). */
export async function createTestTopic(kafka: Kafka, prefix: string, partitions = 3): Promise<string> {
  const topic = uniqueName(prefix).replace(/_/g, '.');
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
    });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

/** Runs a consumer of its own group on `topics` from the beginning; stop it with `disconnect()`. */
export async function startTestConsumer(
  kafka: Kafka,
  topics: string[],
  eachMessage: (payload: EachMessagePayload) => Promise<void>,
  groupId = uniqueName('group'),
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({ partitionsConsumedConcurrently: 3, eachMessage });
  return consumer;
}
