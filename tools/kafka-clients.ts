import { Kafka, logLevel } from 'kafkajs';
import { EventDefinition, KAFKA_ADMIN, KafkaPrincipal, UpstreamSystem } from '@recert/contracts';
import { kafkaSasl } from '@recert/platform';

/** KAFKA_BROKERS, as the services read it (127.0.0.1:9092 by default). */
export function kafkaBrokers(): string[] {
  return (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
}

/**
 * A client of the tools (load, feed, bench, fault suite) authenticated as `principal` (issue 13),
 * its password from KAFKA_PASSWORD_<PRINCIPAL> or the development one. Upstream systems publish
 * as themselves; what only watches or measures the system (topic ends, its events) is `admin`.
 */
export function kafkaAs(
  principal: KafkaPrincipal | typeof KAFKA_ADMIN,
  clientId: string,
  brokers = kafkaBrokers(),
): Kafka {
  return new Kafka({ clientId, brokers, sasl: kafkaSasl(principal, process.env), logLevel: logLevel.NOTHING });
}

/** The upstream system whose principal may publish `definition` (its topic's owner). */
export function publisherOf(definition: EventDefinition): UpstreamSystem {
  const writer = definition.topic.writer;
  if (writer.kind !== 'upstream')
    throw new Error(`${definition.type} is not an upstream event (${definition.topic.name})`);
  return writer.system;
}
