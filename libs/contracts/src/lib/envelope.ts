import { z } from 'zod';

/**
 * The one event envelope. Every message on every topic is a JSON envelope; the payload's
 * schema is chosen by (type, version) in the event catalog.
 */
export const EventEnvelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1).max(100),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  producer: z.string().min(1).max(100),
  correlationId: z.uuid(),
  causationId: z.uuid().nullable(),
  /** The partition key: events of one aggregate (usually one trainer) stay in order. */
  key: z.string().min(1).max(200),
  payload: z.unknown(),
});

export type EventEnvelope<P = unknown> = Omit<z.infer<typeof EventEnvelopeSchema>, 'payload'> & { payload: P };

/** Kafka header names carrying the envelope's metadata, so tools can route without parsing. */
export const EnvelopeHeaders = {
  eventId: 'event-id',
  eventType: 'event-type',
  eventVersion: 'event-version',
  correlationId: 'correlation-id',
  causationId: 'causation-id',
} as const;

/** Larger payloads are refused: upstream sends references to documents, never the documents. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
