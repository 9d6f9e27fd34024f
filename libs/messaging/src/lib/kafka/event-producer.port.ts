/** A message ready for the broker: the serialized envelope with its key and headers. */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * The port through which the outbox relay reaches the broker. kafkajs has had no release since
 * 2023, so the client stays behind this interface and could be swapped.
 */
export interface EventProducer {
  /** Resolves once the broker acknowledged every message (acks=all), in order per partition. */
  send(messages: OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export const EVENT_PRODUCER = Symbol('EventProducer');
