import { createHash } from 'node:crypto';

/** A deadline to schedule: what fires, about whom, when, with what the handler needs. */
export interface DeadlineRequest {
  /** What fires, e.g. `expiration`, `audit-documentation` (the rules library's DeadlineKind). */
  readonly kind: string;
  /** The aggregate it is about (a trainer, an application): handlers re-read its state. */
  readonly subjectId: string;
  /** The instant it is due (the start of its due day in the credential's time zone). */
  readonly dueAt: Date;
  readonly payload: Readonly<Record<string, unknown>>;
}

export type DeadlineStatus = 'scheduled' | 'fired' | 'cancelled';

export interface DeadlineRecord extends DeadlineRequest {
  readonly deadlineId: string;
  readonly status: DeadlineStatus;
}

/**
 * One id per (kind, subject, due instant, payload): scheduling the same deadline twice makes one
 * row and one job. A rescheduled deadline is a new one (the old is cancelled).
 */
export function deadlineId(request: DeadlineRequest): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([request.kind, request.subjectId, request.dueAt.toISOString(), request.payload]))
    .digest('hex')
    .slice(0, 24);
  // BullMQ job ids may not contain ":"; this id is also the job id.
  return `${request.kind}.${digest}`;
}

/**
 * The first instant of calendar day `isoDate` in `timeZone`: a deadline is due when its day
 * begins where the trainer lives (DST-safe: the zone's offset is read at that instant).
 */
export function dayStartsAt(isoDate: string, timeZone: string): Date {
  const utcMidnight = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(utcMidnight)) throw new RangeError(`Not a calendar date: ${isoDate}`);
  let instant = utcMidnight;
  // Two passes settle the offset, also when the day starts on the other side of a DST change.
  for (let i = 0; i < 2; i++) instant = utcMidnight - zoneOffsetMs(instant, timeZone);
  return new Date(instant);
}

// Building a formatter costs about a millisecond, and every scheduled cycle needs a dozen: one
// per zone is kept (formatters are stateless). The profile of the decision path found this.
const instantFormats = new Map<string, Intl.DateTimeFormat>();

function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  let format = instantFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    instantFormats.set(timeZone, format);
  }
  for (const p of format.formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts['year'],
    parts['month'] - 1,
    parts['day'],
    parts['hour'],
    parts['minute'],
    parts['second'],
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}
