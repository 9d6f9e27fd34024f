import { createEnvelope, EventDefinition, PayloadInputOf, UpstreamSystem } from '@recert/contracts';
import { KafkajsEventProducer } from '@recert/messaging';
import { kafkaAs, kafkaBrokers, publisherOf } from './kafka-clients';

/**
 * Plays upstream systems from the command line: validated envelopes, keyed, in batches, each event
 * published as the principal of the upstream system that owns its topic (issue 13).
 */
export class UpstreamPublisher {
  private readonly producers = new Map<UpstreamSystem, KafkajsEventProducer>();

  constructor(
    private readonly clientId: string,
    private readonly brokers = kafkaBrokers(),
  ) {}

  async publish<D extends EventDefinition>(definition: D, payloads: PayloadInputOf<D>[]): Promise<void> {
    const producer = this.producerOf(publisherOf(definition));
    for (let i = 0; i < payloads.length; i += 500) {
      await producer.send(
        payloads.slice(i, i + 500).map((payload) => {
          const envelope = createEnvelope(definition, payload, { producer: this.clientId, occurredAt: new Date() });
          return { topic: definition.topic.name, key: envelope.key, value: JSON.stringify(envelope), headers: {} };
        }),
      );
    }
  }

  async disconnect(): Promise<void> {
    await Promise.all([...this.producers.values()].map((p) => p.disconnect()));
  }

  private producerOf(system: UpstreamSystem): KafkajsEventProducer {
    let producer = this.producers.get(system);
    if (!producer) {
      producer = new KafkajsEventProducer(kafkaAs(system, `${this.clientId}-${system}`, this.brokers));
      this.producers.set(system, producer);
    }
    return producer;
  }
}
