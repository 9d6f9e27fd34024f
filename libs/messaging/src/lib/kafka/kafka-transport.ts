import { KafkaContext, KafkaOptions, Transport } from '@nestjs/microservices';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { KafkaSasl } from '@recert/platform';
import { ReceivedMessage } from '../consumer/idempotent-consumer';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  groupId: string;
  concurrency: number;
  /** The principal the client authenticates as (the broker refuses clients without one). */
  sasl: KafkaSasl;
}

export function createKafka(settings: Pick<KafkaSettings, 'brokers' | 'clientId' | 'sasl'>): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    sasl: settings.sasl,
    logLevel: logLevel.WARN,
    // No retry cap here: the idempotent producer needs unbounded retries to keep its guarantees.
    retry: { initialRetryTime: 200 },
  });
}

/**
 * How every service consumes: its own group and client id (see the pitfall of Nest's shared
 * default group), raw bytes handed to the idempotent consumer, several partitions at once (order
 * holds per partition, and every event is keyed by its aggregate), and from the earliest offset
 * for a new group so nothing published before a service's first start is missed.
 */
export function kafkaMicroserviceOptions(settings: KafkaSettings): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      postfixId: '',
      client: {
        clientId: settings.clientId,
        brokers: settings.brokers,
        sasl: settings.sasl,
        logLevel: logLevel.WARN,
      },
      consumer: {
        groupId: settings.groupId,
        allowAutoTopicCreation: false,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
      },
      // Nest's server also creates a producer; we publish only through the outbox relay.
      producer: { createPartitioner: Partitioners.DefaultPartitioner },
      subscribe: { fromBeginning: true },
      run: { partitionsConsumedConcurrently: settings.concurrency },
      parser: { keepBinary: true },
    },
  };
}

/** The message as Nest's Kafka transport hands it over (keepBinary: the value is untouched). */
export function receivedFrom(context: KafkaContext): ReceivedMessage {
  const message = context.getMessage();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return {
    topic: context.getTopic(),
    partition: context.getPartition(),
    offset: message.offset,
    key: message.key === null || message.key === undefined ? null : message.key.toString(),
    headers,
    value: message.value as Buffer | string | null,
  };
}

/** DI token of the service's kafkajs client. */
export const KAFKA = Symbol('Kafka');
