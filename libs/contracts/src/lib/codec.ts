import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { EventCatalog, EventDefinition, PayloadInputOf, PayloadOf } from './catalog';
import { EventEnvelope, EventEnvelopeSchema, MAX_MESSAGE_BYTES } from './envelope';
import { findUnstorableText } from './storable-text';

export interface EnvelopeContext {
  producer: string;
  occurredAt: Date;
  /** Carried over from the event or request that caused this one; a new chain starts otherwise. */
  correlationId?: string;
  causationId?: string | null;
  /** A given event id (a UUID), when a retried request must yield the same event; random otherwise. */
  id?: string;
}

/** Thrown when a producer tries to publish a payload its own contract refuses. */
export class ContractViolation extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ContractViolation';
  }
}

/** Lists every problem with its path, e.g. `payload.completedOn: must be a calendar date`. */
export function describeIssues(error: z.ZodError, prefix?: string): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Builds a validated envelope: a producer cannot emit what the contract refuses. */
export function createEnvelope<D extends EventDefinition>(
  definition: D,
  payload: PayloadInputOf<D>,
  context: EnvelopeContext,
): EventEnvelope<PayloadOf<D>> {
  const parsed = definition.schema.safeParse(payload);
  if (!parsed.success) {
    throw new ContractViolation(
      `${definition.type} v${definition.version}: ${describeIssues(parsed.error, 'payload')}`,
    );
  }
  const unstorable = findUnstorableText(parsed.data, 'payload');
  if (unstorable) throw new ContractViolation(`${definition.type} v${definition.version}: ${unstorable}`);
  const id = context.id ?? randomUUID();
  return {
    id,
    type: definition.type,
    version: definition.version,
    occurredAt: context.occurredAt.toISOString(),
    producer: context.producer,
    correlationId: context.correlationId ?? id,
    causationId: context.causationId ?? null,
    key: definition.key(parsed.data as PayloadOf<D>),
    payload: parsed.data as PayloadOf<D>,
  };
}

export type DecodeResult =
  | { ok: true; envelope: EventEnvelope; definition: EventDefinition }
  | { ok: false; reason: string; envelope?: Partial<EventEnvelope> };

/** Validates what a consumer received: JSON, envelope, known (type, version) on this topic, payload. */
export function decodeMessage(catalog: EventCatalog, topicName: string, value: unknown): DecodeResult {
  let raw: unknown = value;
  if (Buffer.isBuffer(value) || typeof value === 'string') {
    const text = value.toString();
    if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES) {
      return { ok: false, reason: `message is ${Buffer.byteLength(text)} bytes; the limit is ${MAX_MESSAGE_BYTES}` };
    }
    try {
      raw = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'message is not valid JSON' };
    }
  } else if (value === null || value === undefined) {
    return { ok: false, reason: 'message has no value' };
  }
  const envelope = EventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    return { ok: false, reason: `invalid envelope: ${describeIssues(envelope.error)}`, envelope: partial(raw) };
  }
  const { type, version } = envelope.data;
  const definition = catalog.get(type, version);
  if (!definition) {
    const known = catalog.versionsOf(type);
    const reason = known.length
      ? `${type} v${version} is not a known version (known: ${known.map((v) => `v${v}`).join(', ')})`
      : `unknown event type ${type}`;
    return { ok: false, reason, envelope: envelope.data };
  }
  if (definition.topic.name !== topicName) {
    return {
      ok: false,
      reason: `${type} v${version} belongs on ${definition.topic.name}, not ${topicName}`,
      envelope: envelope.data,
    };
  }
  const payload = definition.schema.safeParse(envelope.data.payload);
  if (!payload.success) {
    return {
      ok: false,
      reason: `${type} v${version}: ${describeIssues(payload.error, 'payload')}`,
      envelope: envelope.data,
    };
  }
  const decoded = { ...envelope.data, payload: payload.data };
  const unstorable = findUnstorableText(decoded);
  if (unstorable) return { ok: false, reason: `${type} v${version}: ${unstorable}`, envelope: envelope.data };
  return { ok: true, envelope: decoded, definition };
}

function partial(raw: unknown): Partial<EventEnvelope> | undefined {
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Partial<EventEnvelope>) : undefined;
}
