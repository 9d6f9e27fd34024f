import { storage, Store } from 'nestjs-pino/storage';
import type { Logger } from 'pino';
import { EventEnvelope } from '@recert/contracts';

/**
 * Handles each event inside a logging context of its own (nestjs-pino's AsyncLocalStorage store,
 * the one HTTP requests use): every log line written meanwhile, through Nest's Logger or
 * PinoLogger, carries the event's correlation id, id and type — a trace across services.
 */
export function eventLogContext(root: () => Logger | undefined) {
  return <T>(envelope: EventEnvelope, work: () => Promise<T>): Promise<T> => {
    // nestjs-pino sets its root logger when an HTTP app configures it; a bare microservice has none.
    const logger = root();
    if (!logger) return work();
    return storage.run(
      new Store(
        logger.child({ correlationId: envelope.correlationId, eventId: envelope.id, eventType: envelope.type }),
      ),
      work,
    );
  };
}
