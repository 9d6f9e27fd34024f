import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { KafkaBatchConsumer } from './kafka-batch-consumer';

/**
 * How a service's Kafka consumer joins Nest: a custom transport strategy of @nestjs/microservices
 * (Nest's own Kafka server consumes one message at a time). It runs the batch consumer, which
 * dispatches to the handlers the message controllers registered with the idempotent consumer;
 * at shutdown the messaging lifecycle has already drained and stopped it, so `close` finds it
 * stopped.
 */
export class KafkaBatchTransport extends Server implements CustomTransportStrategy {
  constructor(private readonly consumer: KafkaBatchConsumer) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    this.consumer.start().then(() => callback(), callback);
  }

  async close(): Promise<void> {
    await this.consumer.stop();
  }

  on(): never {
    throw new Error('the Kafka batch transport reports no events: see its liveness probe and metrics');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }
}
