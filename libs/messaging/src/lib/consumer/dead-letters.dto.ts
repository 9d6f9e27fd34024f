import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { ParkedFilter, ParkedMessage } from './parked-messages';

const Text = (max: number) => z.string().trim().min(1).max(max);

/** What ops narrow the parked messages to (see ParkedFilter); the time range is on when they were parked. */
// Names have shapes: a filter that could match nothing by its form is refused, not answered empty.
const Filter = z.strictObject({
  consumer: z
    .string()
    .regex(/^[\w.-]{1,200}$/, 'must be a consumer group name (letters, digits, dots, dashes, underscores)')
    .optional(),
  topic: z
    .string()
    // Kafka's own rule for topic names.
    .regex(/^[\w.-]{1,249}$/, 'must be a topic name (letters, digits, dots, dashes, underscores)')
    .optional(),
  eventType: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9]{0,99}$/, 'must be an event type name such as CourseCompleted')
    .optional(),
  reason: Text(200).optional().describe('Text the reason contains (case-insensitive)'),
  from: z.iso.datetime({ offset: true }).optional().describe('Parked at or after'),
  to: z.iso.datetime({ offset: true }).optional().describe('Parked before'),
});

export class ParkedQueryDto extends createZodDto(
  Filter.extend({
    status: z.enum(['parked', 'replayed', 'discarded']).optional().describe('All statuses when absent'),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  }),
) {}

export class ReplayParkedSetDto extends createZodDto(
  Filter.extend({
    limit: z.number().int().min(1).max(500).default(100).describe('At most this many, oldest first'),
  }),
) {}

export class DiscardParkedDto extends createZodDto(
  z.strictObject({ reason: Text(1000).describe('Why it is discarded rather than replayed') }),
) {}

export class ParkedIdDto extends createZodDto(
  z.strictObject({ parkedId: z.string().regex(/^[1-9]\d{0,17}$/, 'must be a parked message id') }),
) {}

export function parkedFilter(query: z.infer<typeof Filter> & { status?: ParkedFilter['status'] }): ParkedFilter {
  return {
    ...query,
    from: query.from === undefined ? undefined : new Date(query.from),
    to: query.to === undefined ? undefined : new Date(query.to),
  };
}

/** One parked message as listed: everything but the original's value, of which its size. */
export function parkedSummary(p: ParkedMessage) {
  return {
    id: p.id,
    consumer: p.consumer,
    messageId: p.messageId,
    topic: p.original.topic,
    partition: p.original.partition,
    offset: p.original.offset,
    eventType: p.eventType,
    kind: p.kind,
    reason: p.reason,
    attempts: p.attempts,
    parkedAt: p.parkedAt.toISOString(),
    status: p.status,
    settledBy: p.settledBy,
    settledAt: p.settledAt?.toISOString() ?? null,
    discardReason: p.discardReason,
    valueBytes: p.original.value?.length ?? null,
  };
}

/** One parked message whole: the original's key, headers and value (as UTF-8 text, and its exact bytes in base64). */
export function parkedWhole(p: ParkedMessage) {
  return {
    ...parkedSummary(p),
    key: p.original.key,
    headers: p.original.headers,
    value: p.original.value?.toString('utf8') ?? null,
    valueBase64: p.original.value?.toString('base64') ?? null,
  };
}
