import { z } from 'zod';
import { defineEvent, EnvelopeHeaders, EventCatalog } from '@recert/contracts';
import { UnitOfWork } from '../outbox/unit-of-work';
import { IdempotentConsumer, ReceivedMessage } from './idempotent-consumer';

const handled = defineEvent({
  type: 'Pinged',
  version: 1,
  topic: {
    name: 'unit.pings',
    partitions: 1,
    writer: { kind: 'service', service: 'gateway' },
    consumers: [],
    description: 'test',
  },
  description: 'A test event.',
  schema: z.strictObject({ trainerId: z.string() }),
  key: (p) => p.trainerId,
});

/** A unit of work that must not be used: a batch of skipped messages needs no transaction. */
const noTransactions = {
  run: () => Promise.reject(new Error('no transaction expected')),
  runEach: () => Promise.reject(new Error('no transaction expected')),
} as unknown as UnitOfWork;

function message(offset: number, headers: Record<string, string>): ReceivedMessage {
  return {
    topic: 'unit.pings',
    partition: 0,
    offset: String(offset),
    key: 'T-1',
    headers,
    value: Buffer.from('{"id":"x"}'),
  };
}

describe('IdempotentConsumer: types the service does not handle (issue 16, less work per message)', () => {
  const consumer = new IdempotentConsumer('unit', new EventCatalog([handled]), noTransactions, {
    maxAttempts: 1,
    backoffMs: 0,
  });
  consumer.handle('unit.pings', { Pinged: async () => undefined });
  afterEach(() => jest.restoreAllMocks());

  it('skips a message by its type header without parsing its value', async () => {
    const parse = jest.spyOn(JSON, 'parse');
    const outcomes = await consumer.consumeBatch([
      message(0, { [EnvelopeHeaders.eventType]: 'SomethingElse' }),
      message(1, { [EnvelopeHeaders.eventType]: 'AnotherOne' }),
    ]);
    expect(outcomes).toEqual(['skipped', 'skipped']);
    expect(parse).not.toHaveBeenCalled();
  });

  it('skips one alone the same way', async () => {
    const parse = jest.spyOn(JSON, 'parse');
    expect(await consumer.consume(message(2, { [EnvelopeHeaders.eventType]: 'SomethingElse' }))).toBe('skipped');
    expect(parse).not.toHaveBeenCalled();
  });

  it('parses a message whose header names a type it handles, or that has no type header', async () => {
    const parse = jest.spyOn(JSON, 'parse');
    // Neither is a valid envelope, so both are parked, which needs the (refused) transaction.
    await expect(consumer.consume(message(3, { [EnvelopeHeaders.eventType]: 'Pinged' }))).rejects.toThrow(
      'no transaction expected',
    );
    await expect(consumer.consume(message(4, {}))).rejects.toThrow('no transaction expected');
    expect(parse).toHaveBeenCalledTimes(2);
  });
});
