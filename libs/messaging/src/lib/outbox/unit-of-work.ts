import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@recert/clock';
import {
  createEnvelope,
  EnvelopeHeaders,
  EventDefinition,
  EventEnvelope,
  PayloadInputOf,
  PayloadOf,
} from '@recert/contracts';

/** What a use case sees inside its transaction: the entity manager, and a way to emit events. */
export interface EventScope {
  readonly manager: EntityManager;
  /**
   * For a consumed event, when (performance.now()) the consumer had it from the broker: whatever
   * was written to Kafka before the event was, is below any topic end read since (PartitionOffsets).
   */
  readonly receivedAt?: number;
  /**
   * Validates the payload and stages the event in the outbox of this same transaction. `eventId`
   * gives the event a set id (a retried request publishing the same event); random otherwise.
   */
  publish<D extends EventDefinition>(
    definition: D,
    payload: PayloadInputOf<D>,
    options?: { eventId?: string },
  ): EventEnvelope<PayloadOf<D>>;
}

/** The event (or request) that caused this unit of work; its ids are carried into the events it emits. */
export interface Cause {
  correlationId: string;
  causationId: string | null;
}

/**
 * The channel every commit that staged events notifies, and the relay holding the schema's turn
 * listens to (see OutboxRelay). md5 keeps it within PostgreSQL's 63-byte identifiers.
 */
export const OUTBOX_CHANNEL_SQL = `'outbox_' || md5(current_schema())`;

/**
 * The transactional outbox: the state change and the events it emits commit in one PostgreSQL
 * transaction, or neither does. The statement that stages the events also NOTIFYs the schema's
 * outbox channel, which PostgreSQL delivers at commit: the relay holding the turn, in whichever
 * replica, publishes them right after.
 */
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly producer: string,
  ) {}

  /** The service's clock: what the backbone's own timestamps (an inbox record's) are read from. */
  now(): Date {
    return this.clock.now();
  }

  async run<T>(work: (scope: EventScope) => Promise<T>, cause?: Cause): Promise<T> {
    return this.runEach((scopeFor) => work(scopeFor(cause)));
  }

  /**
   * One transaction for the work of several causes (a batch of consumed events): each cause gets
   * a scope of its own, so the events it emits carry its ids, and all of them commit or none does.
   */
  async runEach<T>(work: (scopeFor: (cause?: Cause) => EventScope) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const pending: StagedEvent[] = [];
      const scopeFor = (cause?: Cause): EventScope => ({
        manager,
        publish: (definition, payload, options) => {
          const envelope = createEnvelope(definition, payload, {
            id: options?.eventId,
            producer: this.producer,
            occurredAt: this.clock.now(),
            correlationId: cause?.correlationId,
            causationId: cause?.causationId,
          });
          pending.push({ topic: definition.topic.name, envelope });
          return envelope;
        },
      });
      const value = await work(scopeFor);
      await appendToOutbox(manager, pending);
      return value;
    });
  }
}

interface StagedEvent {
  topic: string;
  envelope: EventEnvelope;
}

async function appendToOutbox(manager: EntityManager, staged: StagedEvent[]): Promise<void> {
  if (staged.length === 0) return;
  const params: unknown[] = [];
  const rows = staged.map(({ topic, envelope: e }) => {
    params.push(e.id, topic, e.key, e.type, JSON.stringify(e));
    const n = params.length;
    return `($${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
  });
  // One round trip: the rows, and the notification PostgreSQL holds until the commit.
  await manager.query(
    `WITH staged AS (
       INSERT INTO outbox (event_id, topic, message_key, event_type, envelope) VALUES ${rows.join(', ')}
     )
     SELECT pg_notify(${OUTBOX_CHANNEL_SQL}, '')`,
    params,
  );
}

/** Kafka headers mirroring the envelope, so tools can route and trace without parsing values. */
export function headersOf(envelope: EventEnvelope): Record<string, string> {
  const headers: Record<string, string> = {
    [EnvelopeHeaders.eventId]: envelope.id,
    [EnvelopeHeaders.eventType]: envelope.type,
    [EnvelopeHeaders.eventVersion]: String(envelope.version),
    [EnvelopeHeaders.correlationId]: envelope.correlationId,
  };
  if (envelope.causationId) headers[EnvelopeHeaders.causationId] = envelope.causationId;
  return headers;
}
