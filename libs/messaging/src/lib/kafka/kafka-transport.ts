import { Kafka, logLevel } from 'kafkajs';
import type { KafkaSasl } from '@recert/platform';

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

/** DI token of the service's kafkajs client. */
export const KAFKA = Symbol('Kafka');
