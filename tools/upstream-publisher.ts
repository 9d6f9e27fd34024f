import { Kafka, logLevel } from 'kafkajs';
import { createEnvelope, EventDefinition, PayloadInputOf } from '@recert/contracts';
import { KafkajsEventProducer } from '@recert/messaging';

/** Plays an upstream system from the command line: validated envelopes, keyed, in batches. */
export class UpstreamPublisher {
  readonly kafka: Kafka;
  private readonly producer: KafkajsEventProducer;

  constructor(
    private readonly clientId: string,
    brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
  ) {
    this.kafka = new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING });
    this.producer = new KafkajsEventProducer(this.kafka);
  }

  async publish<D extends EventDefinition>(definition: D, payloads: PayloadInputOf<D>[]): Promise<void> {
    for (let i = 0; i < payloads.length; i += 500) {
      await this.producer.send(
        payloads.slice(i, i + 500).map((payload) => {
          const envelope = createEnvelope(definition, payload, { producer: this.clientId, occurredAt: new Date() });
          return { topic: definition.topic.name, key: envelope.key, value: JSON.stringify(envelope), headers: {} };
        }),
      );
    }
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
