import { Writable } from 'node:stream';
import { storage } from 'nestjs-pino/storage';
import pino from 'pino';
import { z } from 'zod';
import { createEnvelope, defineEvent, EventCatalog, Topics } from '@recert/contracts';
import { UnitOfWork } from '../outbox/unit-of-work';
import { eventLogContext } from './event-log-context';
import { IdempotentConsumer } from './idempotent-consumer';

describe('event log context', () => {
  const Pinged = defineEvent({
    type: 'Pinged',
    version: 1,
    topic: Topics.examCertifications,
    description: 'test',
    schema: z.strictObject({ trainerId: z.string() }),
    key: (p) => p.trainerId,
  });
  // A unit of work whose inbox always takes the delivery: this test is about logging only.
  const unitOfWork = {
    run: (work: (scope: unknown) => Promise<unknown>) =>
      work({ manager: { query: async () => [{}] }, publish: () => undefined }),
    now: () => new Date('2026-06-01T00:00:00Z'),
  } as unknown as UnitOfWork;

  it("gives every log line written while an event is handled the event's correlation id, id and type", async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const root = pino({ base: { service: 'test' } }, sink);
    const consumer = new IdempotentConsumer(
      'test-group',
      new EventCatalog([Pinged]),
      unitOfWork,
      {
        maxAttempts: 1,
        backoffMs: 0,
      },
      { inContext: eventLogContext(() => root) },
    );
    const envelope = createEnvelope(
      Pinged,
      { trainerId: 'T-1' },
      {
        producer: 'test',
        occurredAt: new Date('2026-11-25T00:00:00Z'),
        correlationId: '0b7e2a4c-1111-4000-8000-000000000001',
      },
    );

    consumer.handle(Topics.examCertifications.name, {
      Pinged: async () => {
        // What nestjs-pino's PinoLogger (behind Nest's Logger) writes to: the store's logger.
        storage.getStore()?.logger.info('handled');
      },
    });
    const outcome = await consumer.consume({
      topic: Topics.examCertifications.name,
      partition: 0,
      offset: '0',
      key: 'T-1',
      headers: {},
      value: JSON.stringify(envelope),
    });

    expect(outcome).toBe('processed');
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'handled',
        service: 'test',
        correlationId: '0b7e2a4c-1111-4000-8000-000000000001',
        eventId: envelope.id,
        eventType: 'Pinged',
      }),
    ]);
    expect(storage.getStore()).toBeUndefined();
  });

  it('handles the event without a context where no root logger exists yet', async () => {
    let inside: unknown = 'not run';
    const run = eventLogContext(() => undefined);
    const envelope = createEnvelope(Pinged, { trainerId: 'T-2' }, { producer: 'test', occurredAt: new Date() });
    expect(await run(envelope, async () => (inside = storage.getStore()) && 'done')).toBeUndefined();
    expect(inside).toBeUndefined();
  });
});
