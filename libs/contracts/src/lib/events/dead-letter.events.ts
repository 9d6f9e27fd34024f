import { z } from 'zod';
import { defineEvent } from '../catalog';
import { Topics } from '../topics';

/**
 * A message a consumer refused (bad input) or kept failing on (after its retries), with the reason.
 * The record is a message under the 64 KB limit too, so it carries a bounded copy of the original;
 * the whole original is in the consumer's service, table parked_messages.
 */
export const MessageDeadLettered = defineEvent({
  type: 'MessageDeadLettered',
  version: 1,
  topic: Topics.deadLetter,
  description: 'A consumer parked a message it could not process: the original message and the reason.',
  schema: z.strictObject({
    consumer: z.string(),
    reason: z.string(),
    kind: z.enum(['rejected', 'failed']),
    attempts: z.number().int().nonnegative(),
    original: z.strictObject({
      topic: z.string(),
      partition: z.number().int().nonnegative(),
      offset: z.string(),
      key: z.string().nullable(),
      headers: z.record(z.string(), z.string()),
      /** The original value as received (UTF-8), cut (and `truncated`) to keep the record under the limit. */
      value: z.string().nullable(),
      truncated: z.boolean(),
    }),
  }),
  key: (p) => `${p.original.topic}/${p.original.partition}`,
});
