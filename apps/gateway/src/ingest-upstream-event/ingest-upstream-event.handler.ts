import { createHash } from 'node:crypto';
import {
  BadRequestException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ContractViolation, upstreamSystemWriting } from '@recert/contracts';
import { Clock, CLOCK } from '@recert/clock';
import { UnitOfWork } from '@recert/messaging';
import { eventSlug, INGESTED_EVENTS, processorEventBySlug, upstreamEventBySlug } from './upstream-event-routes';

export interface IngestUpstreamEvent {
  slug: string;
  /** Who sends it: the upstream systems it speaks for (API_TOKENS). */
  sender: { name: string; systems: readonly string[] };
  payload: unknown;
  idempotencyKey?: string;
  correlationId?: string;
}

export interface Ingested {
  eventId: string;
  type: string;
  version: number;
  topic: string;
  /** True when this Idempotency-Key was seen before: nothing new was published. */
  duplicate: boolean;
}

/** A retried request with the same Idempotency-Key yields the same event id (a UUID derived from the key). */
export function eventIdFor(idempotencyKey: string, type: string): string {
  const h = createHash('sha256').update(`${type}\n${idempotencyKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * An upstream event received over HTTP goes where the same event sent to Kafka goes: validated by
 * its schema, then into the gateway's outbox, and on to its topic. 202 means it is durably queued.
 */
@Injectable()
export class IngestUpstreamEventHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: IngestUpstreamEvent): Promise<Ingested> {
    const processorEvent = processorEventBySlug(command.slug);
    if (processorEvent)
      throw new ForbiddenException(
        `${processorEvent.type} is the payment processor's to state (issue 13): it is accepted only signed, at ` +
          `POST /v1/payments/processor-webhook, or from the processor on Kafka topic ${processorEvent.topic.name}`,
      );
    const definition = upstreamEventBySlug(command.slug);
    if (!definition)
      throw new NotFoundException(
        `no upstream event is called ${command.slug}; the events are ${INGESTED_EVENTS.map(eventSlug).join(', ')}`,
      );
    // Each caller publishes only its own systems' events (issue 13): a CPR/AED provider cannot certify a trainer.
    const owner = upstreamSystemWriting(definition.topic);
    if (!owner || !command.sender.systems.includes(owner))
      throw new ForbiddenException(
        `${command.sender.name} (${command.sender.systems.join(', ') || 'no upstream system'}) may not send ${definition.type}: it comes from ${owner ?? 'no upstream system'}`,
      );
    if (command.payload === null || typeof command.payload !== 'object' || Array.isArray(command.payload))
      throw new BadRequestException(`the body must be a JSON object: the ${definition.type} payload`);
    const answer = (eventId: string, duplicate: boolean): Ingested => ({
      eventId,
      type: definition.type,
      version: definition.version,
      topic: definition.topic.name,
      duplicate,
    });
    const cause = command.correlationId ? { correlationId: command.correlationId, causationId: null } : undefined;
    try {
      return await this.unitOfWork.run(async (scope) => {
        if (!command.idempotencyKey) return answer(scope.publish(definition, command.payload as never).id, false);
        const key = command.idempotencyKey;
        const digest = createHash('sha256')
          .update(`${definition.type}\n${JSON.stringify(command.payload)}`)
          .digest('hex');
        await scope.manager.query(`SELECT pg_advisory_xact_lock(hashtext('ingestion:' || $1))`, [key]);
        const [seen]: { event_id: string; request_digest: string }[] = await scope.manager.query(
          `SELECT event_id, request_digest FROM ingestions WHERE idempotency_key = $1`,
          [key],
        );
        if (seen) {
          if (seen.request_digest !== digest)
            throw new UnprocessableEntityException(
              `Idempotency-Key ${key} was already used for a different request; use a new key for a new event`,
            );
          return answer(seen.event_id, true);
        }
        const envelope = scope.publish(definition, command.payload as never, {
          eventId: eventIdFor(key, definition.type),
        });
        await scope.manager.query(
          `INSERT INTO ingestions (idempotency_key, event_type, event_id, request_digest, received_at) VALUES ($1, $2, $3, $4, $5)`,
          [key, definition.type, envelope.id, digest, this.clock.now()],
        );
        return answer(envelope.id, false);
      }, cause);
    } catch (error) {
      if (error instanceof ContractViolation) throw new BadRequestException(error.reason);
      throw error;
    }
  }
}
