import { z } from 'zod';
import { defineEvent } from '@recert/contracts';

/**
 * The backbone's test event: a note about a trainer, keyed by trainer, written by a service and
 * read by no catalogued consumer. Each spec gives its topic and what a note carries besides.
 */
export function defineNoteTaken<Shape extends z.ZodRawShape>(
  topicName: string,
  fields: Shape,
  options: { partitions?: number } = {},
) {
  const schema = z.strictObject({ trainerId: z.string(), ...fields });
  return defineEvent({
    type: 'NoteTaken',
    version: 1,
    topic: {
      name: topicName,
      partitions: options.partitions ?? 3,
      writer: { kind: 'service', service: 'applications' },
      consumers: [],
      description: 'test',
    },
    description: 'A note about a trainer (test event).',
    schema,
    // zod cannot prove trainerId survives the spread of a generic shape; the schema above requires it.
    key: (p) => (p as { trainerId: string }).trainerId,
  });
}
