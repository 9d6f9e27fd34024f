import {
  decodeMessage,
  EnvelopeHeaders,
  EventCatalog,
  EventEnvelope,
  MAX_MESSAGE_BYTES,
  MessageDeadLettered,
  storableText,
} from '@recert/contracts';
import { Cause, EventScope, UnitOfWork } from '../outbox/unit-of-work';
import { ConsumerPositions, PositionListener } from './consumer-positions';
import { ParkedMessages } from './parked-messages';
import { isTransientInfrastructureError } from './transient-errors';

/** A message as it came off the broker, before any parsing. */
export interface ReceivedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  value: Buffer | string | null;
  /** When (performance.now()) the consumer had it from the broker; absent for a replay. See EventScope.receivedAt. */
  receivedAt?: number;
}

export type EventHandler = (envelope: EventEnvelope, scope: EventScope) => Promise<void>;

/** Handlers by event type. Types of the topic a service does not handle are skipped, not parked. */
export type EventHandlers = Readonly<Record<string, EventHandler>>;

/**
 * Thrown by a handler when the event is well-formed but cannot be accepted (e.g. it contradicts
 * the rules). It is parked at once with the reason: retrying would not change the answer.
 */
export class MessageRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'MessageRejected';
  }
}

export interface RetryPolicy {
  maxAttempts: number;
  /** First backoff; doubles after each failed attempt. */
  backoffMs: number;
}

export type ConsumeOutcome = 'processed' | 'duplicate' | 'skipped' | 'dead-lettered';

export interface ConsumerObserver {
  /** Runs the handling of one event inside a context of its own (its logs carry its correlation id). */
  inContext?<T>(envelope: EventEnvelope, work: () => Promise<T>): Promise<T>;
  onOutcome?(topic: string, outcome: ConsumeOutcome, eventType: string | null): void;
  onRetry?(topic: string, attempt: number, error: unknown): void;
  /** A batch failed as a whole; its messages are consumed again one by one. */
  onBatchFailed?(topic: string, size: number, error: unknown): void;
}

/**
 * The dead-letter record is itself a message, under the same 64 KB limit as every other: it keeps
 * the original value up to half of that (as encoded in the record), and says when it cut it. The
 * whole original is in the consumer's parked_messages table.
 */
const MAX_DEAD_LETTER_VALUE_BYTES = MAX_MESSAGE_BYTES / 2;

/**
 * The one idempotent-consumer mechanism. A delivery is recorded in the inbox by event id in the
 * same transaction as its effect, so a redelivery finds the record and does nothing. A handler
 * failure is retried with backoff, then the message is parked with the reason (whole in
 * parked_messages, for ops to replay or discard; a bounded copy on the dead-letter topic), and
 * consumption goes on. Failures of our own infrastructure (database unreachable, serialization
 * conflicts) are not the message's fault: they are thrown, so the broker redelivers later instead
 * of parking a valid event.
 */
export class IdempotentConsumer {
  constructor(
    private readonly consumerName: string,
    private readonly catalog: EventCatalog,
    private readonly unitOfWork: UnitOfWork,
    private readonly retry: RetryPolicy,
    private readonly observer: ConsumerObserver = {},
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  private positions?: PositionListener;
  private readonly handlersByTopic = new Map<string, EventHandlers>();

  /** The consumer's name: its group, and its key in the inbox and positions tables. */
  get name(): string {
    return this.consumerName;
  }

  /**
   * Records, after every message of the listener's topics whatever became of it, how far the
   * partition has been applied, and tells the listener in that transaction. One listener a service.
   */
  trackPositions(listener: PositionListener): void {
    if (this.positions) throw new Error('positions are already tracked for this consumer');
    this.positions = listener;
  }

  /**
   * Registers what the service does with event types of a topic (its message controllers, at
   * module init). Registered once, the handlers serve every delivery, and a replay of a parked one.
   */
  handle(topic: string, handlers: EventHandlers): void {
    const registered = this.handlersByTopic.get(topic) ?? {};
    const twice = Object.keys(handlers).filter((type) => type in registered);
    if (twice.length) throw new Error(`${topic}: ${twice.join(', ')} already handled by this consumer`);
    this.handlersByTopic.set(topic, { ...registered, ...handlers });
  }

  /** The topics this consumer has handlers for. */
  get topics(): string[] {
    return [...this.handlersByTopic.keys()];
  }

  async consume(message: ReceivedMessage): Promise<ConsumeOutcome> {
    const tracked = this.tracks(message);
    const outcome = await this.consumeOne(message, this.handlersOf(message.topic), tracked);
    // A processed message advanced its position in its effect's transaction; any other outcome
    // (skipped, duplicate, parked) advances it now. A crash in between replays the message.
    if (outcome !== 'processed' && tracked)
      await this.unitOfWork.run(async (scope) => {
        await this.lockPosition(scope, message);
        await this.advancePosition(scope, message);
      });
    return outcome;
  }

  /**
   * Runs a parked message through the same path as a delivery (decoded and validated again, applied
   * once, parked again if it still fails), once ops removed its parked inbox record. Its partition's
   * position moved past it when it was parked, so a replay leaves positions alone.
   */
  replay(message: ReceivedMessage): Promise<ConsumeOutcome> {
    return this.consumeOne(message, this.handlersOf(message.topic), false);
  }

  /**
   * Consumes consecutive messages of one partition, in offset order, in one transaction: one
   * inbox insert sorts the new from the duplicates, the new ones are applied (or parked when
   * unreadable) one after another, and the position advances once, past the last. If any handler
   * or the transaction fails, nothing of it is kept and the messages are consumed one by one
   * (consume), so only the failing one is retried, parked, or thrown for redelivery.
   *
   * `afterEach` runs after each message either way (the broker's heartbeat, so a long batch keeps
   * the partition). If it throws (the group is rebalancing), the batch is abandoned: nothing of it
   * is kept, and the error is thrown for the partition's next owner to consume it again.
   */
  async consumeBatch(
    messages: readonly ReceivedMessage[],
    afterEach: () => Promise<void> = async () => undefined,
  ): Promise<ConsumeOutcome[]> {
    if (messages.length === 0) return [];
    const handlers = this.handlersOf(messages[0].topic);
    const items = messages.map((message) => this.sort(message, handlers));
    const tracked = this.tracks(messages[messages.length - 1]);
    if (!tracked && items.every((item) => item.kind === 'skipped')) {
      return items.map((item) => this.report(item.message, 'skipped', item.type));
    }
    let outcomes: ConsumeOutcome[];
    let abandoned: { error: unknown } | undefined;
    try {
      outcomes = await this.unitOfWork.runEach(async (scopeFor) => {
        // The partition's position first, as waiters take theirs before what they read (one lock order).
        if (tracked) await this.lockPosition(scopeFor(), messages[messages.length - 1]);
        const fresh = await this.recordDeliveries(scopeFor().manager, items);
        const done: ConsumeOutcome[] = [];
        for (const item of items) {
          done.push(await this.applyInBatch(item, fresh, scopeFor));
          await afterEach().catch((error: unknown) => {
            abandoned = { error };
            throw error;
          });
        }
        // As one message alone: what the advance emits is caused by the last message, if it was applied.
        const last = items[items.length - 1];
        if (tracked)
          await this.advancePosition(
            scopeFor(
              last.kind === 'handled' && done[done.length - 1] === 'processed' ? causeOf(last.envelope) : undefined,
            ),
            last.message,
          );
        return done;
      });
    } catch (error) {
      if (abandoned) throw abandoned.error;
      this.observer.onBatchFailed?.(messages[0].topic, messages.length, error);
      const one: ConsumeOutcome[] = [];
      for (const message of messages) {
        one.push(await this.consume(message));
        await afterEach();
      }
      return one;
    }
    return items.map((item, i) => this.report(item.message, outcomes[i], item.type));
  }

  private handlersOf(topic: string): EventHandlers {
    const handlers = this.handlersByTopic.get(topic);
    if (!handlers) throw new Error(`${this.consumerName} has no handlers for ${topic}`);
    return handlers;
  }

  /**
   * What a message is to this consumer. The relay's type header tells a type this service does
   * not handle before any parsing; a message without it (an upstream producer's) is decoded.
   */
  private sort(message: ReceivedMessage, handlers: EventHandlers): BatchItem {
    const typed = message.headers[EnvelopeHeaders.eventType];
    if (typed !== undefined && !(typed in handlers)) return { kind: 'skipped', message, type: typed };
    const decoded = decodeMessage(this.catalog, message.topic, message.value);
    if (!decoded.ok)
      return { kind: 'unreadable', message, reason: decoded.reason, type: this.knownType(decoded.envelope) };
    const envelope = decoded.envelope;
    const handler = handlers[envelope.type];
    if (!handler) return { kind: 'skipped', message, type: envelope.type };
    return { kind: 'handled', message, envelope, handler, type: envelope.type };
  }

  /** The batch's new deliveries, by one insert: the first of several copies in the batch is the one applied. */
  private async recordDeliveries(manager: EventScope['manager'], items: readonly BatchItem[]): Promise<Set<string>> {
    const rows = new Map<string, { topic: string; type: string | null; outcome: 'processed' | 'dead-lettered' }>();
    for (const item of items) {
      if (item.kind === 'skipped') continue;
      const id = deliveryId(item);
      if (!rows.has(id))
        rows.set(id, {
          topic: item.message.topic,
          type: item.kind === 'handled' ? item.type : null,
          outcome: item.kind === 'handled' ? 'processed' : 'dead-lettered',
        });
    }
    if (rows.size === 0) return new Set();
    const ids = [...rows.keys()];
    const inserted: { message_id: string }[] = await manager.query(
      `INSERT INTO inbox (consumer, received_at, message_id, outcome, topic, event_type)
       SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT DO NOTHING RETURNING message_id`,
      [
        this.consumerName,
        // The clock's time, as retention measures the record's age by it (time travel included).
        this.unitOfWork.now(),
        ids,
        ids.map((id) => rows.get(id)?.outcome),
        ids.map((id) => rows.get(id)?.topic),
        ids.map((id) => rows.get(id)?.type ?? null),
      ],
    );
    return new Set(inserted.map((row) => row.message_id));
  }

  private async applyInBatch(
    item: BatchItem,
    fresh: Set<string>,
    scopeFor: (cause?: Cause) => EventScope,
  ): Promise<ConsumeOutcome> {
    if (item.kind === 'skipped') return 'skipped';
    // Taken once: a second copy in the same batch is a duplicate like any redelivery.
    if (!fresh.delete(deliveryId(item))) return 'duplicate';
    if (item.kind === 'unreadable') {
      await this.recordParked(scopeFor(), item.message, deliveryId(item), null, 'rejected', item.reason, 0);
      return 'dead-lettered';
    }
    const { envelope, handler } = item;
    const scope = withReceipt(scopeFor(causeOf(envelope)), item.message);
    const apply = () => handler(envelope, scope);
    await (this.observer.inContext ? this.observer.inContext(envelope, apply) : apply());
    return 'processed';
  }

  private knownType(envelope: Partial<EventEnvelope> | undefined): string | null {
    // A type no catalog knows is not a metric label: a hostile producer could mint them without end.
    const type = envelope?.type;
    return typeof type === 'string' && this.catalog.versionsOf(type).length > 0 ? type : null;
  }

  private tracks(message: ReceivedMessage): boolean {
    return this.positions?.topics.includes(message.topic) ?? false;
  }

  private lockPosition(scope: EventScope, message: ReceivedMessage): Promise<void> {
    return ConsumerPositions.lockToAdvance(scope.manager, this.consumerName, [message]);
  }

  /** Records the position past `message`; the caller holds the partition's lock (lockPosition). */
  private async advancePosition(scope: EventScope, message: ReceivedMessage): Promise<void> {
    const listener = this.positions as PositionListener;
    const position = { topic: message.topic, partition: message.partition, nextOffset: Number(message.offset) + 1 };
    await ConsumerPositions.advance(scope.manager, this.consumerName, position);
    await listener.onAdvance(scope, position);
  }

  private async consumeOne(
    message: ReceivedMessage,
    handlers: EventHandlers,
    tracked: boolean,
  ): Promise<ConsumeOutcome> {
    const item = this.sort(message, handlers);
    if (item.kind === 'skipped') return this.report(message, 'skipped', item.type);
    if (item.kind === 'unreadable')
      return this.report(message, await this.park(message, 'rejected', item.reason, 0), item.type);
    const { envelope, handler } = item;
    const apply = () => this.apply(message, envelope, handler, tracked);
    return this.observer.inContext ? this.observer.inContext(envelope, apply) : apply();
  }

  /** Applies one decoded event: once, retried with backoff, then parked. */
  private async apply(
    message: ReceivedMessage,
    envelope: EventEnvelope,
    handler: EventHandler,
    tracked: boolean,
  ): Promise<ConsumeOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        const applied = await this.unitOfWork.run(
          async (scope) => {
            if (tracked) await this.lockPosition(scope, message);
            if (!(await this.recordDelivery(scope, envelope.id, message.topic, envelope.type, 'processed')))
              return false;
            await handler(envelope, withReceipt(scope, message));
            if (tracked) await this.advancePosition(scope, message);
            return true;
          },
          { correlationId: envelope.correlationId, causationId: envelope.id },
        );
        return this.report(message, applied ? 'processed' : 'duplicate', envelope.type);
      } catch (error) {
        if (error instanceof MessageRejected) {
          return this.report(
            message,
            await this.park(message, 'rejected', error.reason, attempt, envelope),
            envelope.type,
          );
        }
        this.observer.onRetry?.(message.topic, attempt, error);
        if (attempt >= this.retry.maxAttempts) {
          if (isTransientInfrastructureError(error)) throw error;
          const reason = `failed after ${attempt} attempts: ${describe(error)}`;
          return this.report(message, await this.park(message, 'failed', reason, attempt, envelope), envelope.type);
        }
        await this.sleep(this.retry.backoffMs * 2 ** (attempt - 1));
      }
    }
  }

  /**
   * Parks the message once: the inbox record makes a redelivered poison message a no-op. The whole
   * original, the inbox record and the dead-letter record commit together.
   */
  private async park(
    message: ReceivedMessage,
    kind: 'rejected' | 'failed',
    reason: string,
    attempts: number,
    envelope?: EventEnvelope,
  ): Promise<ConsumeOutcome> {
    const messageId = envelope?.id ?? `${message.topic}/${message.partition}/${message.offset}`;
    const eventType = envelope?.type ?? null;
    const parked = await this.unitOfWork.run(
      async (scope) => {
        if (!(await this.recordDelivery(scope, messageId, message.topic, eventType, 'dead-lettered'))) {
          return false;
        }
        await this.recordParked(scope, message, messageId, eventType, kind, reason, attempts);
        return true;
      },
      envelope ? { correlationId: envelope.correlationId, causationId: envelope.id } : undefined,
    );
    return parked ? 'dead-lettered' : 'duplicate';
  }

  /** The whole original in parked_messages, and the dead-letter record: the reason, and the original made storable. */
  private async recordParked(
    scope: EventScope,
    message: ReceivedMessage,
    messageId: string,
    eventType: string | null,
    kind: 'rejected' | 'failed',
    reason: string,
    attempts: number,
  ): Promise<void> {
    await ParkedMessages.park(scope.manager, {
      consumer: this.consumerName,
      messageId,
      eventType,
      kind,
      reason,
      attempts,
      parkedAt: this.unitOfWork.now(),
      message,
    });
    const value = message.value === null ? null : deadLetterValue(message.value.toString());
    scope.publish(MessageDeadLettered, {
      consumer: this.consumerName,
      reason: storableText(reason),
      kind,
      attempts,
      original: {
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        key: message.key === null ? null : storableText(message.key),
        headers: Object.fromEntries(
          Object.entries(message.headers).map(([name, text]) => [storableText(name), storableText(text)]),
        ),
        value: value?.text ?? null,
        truncated: value?.truncated ?? false,
      },
    });
  }

  private async recordDelivery(
    scope: EventScope,
    messageId: string,
    topic: string,
    eventType: string | null,
    outcome: 'processed' | 'dead-lettered',
  ): Promise<boolean> {
    const inserted: unknown[] = await scope.manager.query(
      `INSERT INTO inbox (consumer, message_id, outcome, topic, event_type, received_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING RETURNING 1`,
      // The clock's time, as retention measures the record's age by it (time travel included).
      [this.consumerName, messageId, outcome, topic, eventType, this.unitOfWork.now()],
    );
    return inserted.length > 0;
  }

  private report(
    message: ReceivedMessage,
    outcome: ConsumeOutcome,
    eventType: string | null | undefined,
  ): ConsumeOutcome {
    this.observer.onOutcome?.(message.topic, outcome, eventType ?? null);
    return outcome;
  }
}

type BatchItem =
  | { kind: 'skipped'; message: ReceivedMessage; type: string }
  | { kind: 'unreadable'; message: ReceivedMessage; reason: string; type: string | null }
  | { kind: 'handled'; message: ReceivedMessage; envelope: EventEnvelope; handler: EventHandler; type: string };

function causeOf(envelope: EventEnvelope): Cause {
  return { correlationId: envelope.correlationId, causationId: envelope.id };
}

/** The inbox key: the event id, or where it lay for a message too broken to have one. */
function deliveryId(item: Exclude<BatchItem, { kind: 'skipped' }>): string {
  const { message } = item;
  return item.kind === 'handled' ? item.envelope.id : `${message.topic}/${message.partition}/${message.offset}`;
}

/**
 * What was received, made storable (PostgreSQL holds no NUL, and no surrogate a cut split), cut to
 * the dead-letter record's share: the longest prefix whose encoding fits, found by bisection.
 */
function deadLetterValue(received: string): { text: string; truncated: boolean } {
  const fits = (text: string) => Buffer.byteLength(JSON.stringify(text)) <= MAX_DEAD_LETTER_VALUE_BYTES;
  const whole = storableText(received);
  if (fits(whole)) return { text: whole, truncated: false };
  let low = 0;
  let high = whole.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(storableText(whole.slice(0, middle)))) low = middle;
    else high = middle - 1;
  }
  return { text: storableText(whole.slice(0, low)), truncated: true };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The handler's scope, telling when its message came from the broker (when the consumer knows). */
function withReceipt(scope: EventScope, message: ReceivedMessage): EventScope {
  return message.receivedAt === undefined ? scope : { ...scope, receivedAt: message.receivedAt };
}
