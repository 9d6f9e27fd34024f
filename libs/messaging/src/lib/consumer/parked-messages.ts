import { EntityManager } from 'typeorm';
import { storableText } from '@recert/contracts';
import type { ReceivedMessage } from './idempotent-consumer';

export type ParkedStatus = 'parked' | 'replayed' | 'discarded';

/** What a consumer parks: the message as it received it, and why. */
export interface ParkedEntry {
  readonly consumer: string;
  /** The event id, or `topic/partition/offset` when the message had none readable. */
  readonly messageId: string;
  readonly eventType: string | null;
  readonly kind: 'rejected' | 'failed';
  readonly reason: string;
  readonly attempts: number;
  readonly parkedAt: Date;
  readonly message: ReceivedMessage;
}

/** A parked message as kept whole in its service's parked_messages table, and what ops did with it. */
export interface ParkedMessage extends Omit<ParkedEntry, 'message'> {
  readonly id: string;
  readonly status: ParkedStatus;
  /** Who replayed or discarded it, when, and why it was discarded. */
  readonly settledBy: string | null;
  readonly settledAt: Date | null;
  readonly discardReason: string | null;
  readonly original: ReceivedMessage & { value: Buffer | null };
}

/** What ops narrow the parked messages to. Absent fields do not filter. */
export interface ParkedFilter {
  readonly status?: ParkedStatus;
  readonly consumer?: string;
  readonly topic?: string;
  readonly eventType?: string;
  /** Text the reason contains (case-insensitive). */
  readonly reason?: string;
  /** Parked at or after `from`, and before `to`. */
  readonly from?: Date;
  readonly to?: Date;
}

const COLUMNS = `id, consumer, message_id, topic, partition, "offset", message_key, headers, value, event_type, kind,
  reason, attempts, parked_at, status, settled_by, settled_at, discard_reason`;

/**
 * The parked_messages table of a service's schema: the whole original of every message its
 * consumer parked (the dead-letter topic keeps a bounded copy), and what ops did with it.
 */
export class ParkedMessages {
  /** Keeps the message as received: the value's bytes untouched, the key and headers made storable. */
  static async park(m: EntityManager, entry: ParkedEntry): Promise<void> {
    const { message } = entry;
    await m.query(
      `INSERT INTO parked_messages (consumer, message_id, topic, partition, "offset", message_key, headers, value,
         event_type, kind, reason, attempts, parked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13)`,
      [
        entry.consumer,
        storableText(entry.messageId),
        message.topic,
        message.partition,
        message.offset,
        message.key === null ? null : storableText(message.key),
        JSON.stringify(
          Object.fromEntries(
            Object.entries(message.headers).map(([name, text]) => [storableText(name), storableText(text)]),
          ),
        ),
        message.value === null ? null : Buffer.isBuffer(message.value) ? message.value : Buffer.from(message.value),
        entry.eventType,
        entry.kind,
        storableText(entry.reason),
        entry.attempts,
        entry.parkedAt,
      ],
    );
  }

  /** One page of the messages the filter selects, latest first, and how many it selects in all. */
  static async list(
    m: EntityManager,
    filter: ParkedFilter,
    page: { limit: number; offset: number },
  ): Promise<{ total: number; items: ParkedMessage[] }> {
    const { where, params } = conditions(filter);
    const [{ total }] = await m.query(`SELECT count(*)::int AS total FROM parked_messages WHERE ${where}`, params);
    const rows: Row[] = await m.query(
      `SELECT ${COLUMNS} FROM parked_messages WHERE ${where} ORDER BY parked_at DESC, id DESC
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, page.limit, page.offset],
    );
    return { total, items: rows.map(parkedMessage) };
  }

  /** The ids the filter selects, oldest first (the order they were parked in, so replays keep it). */
  static async ids(m: EntityManager, filter: ParkedFilter, limit: number): Promise<string[]> {
    const { where, params } = conditions(filter);
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM parked_messages WHERE ${where} ORDER BY parked_at, id LIMIT $${params.length + 1}`,
      [...params, limit],
    );
    return rows.map((r) => String(r.id));
  }

  /** One parked message; `lock` holds it for the caller's transaction (a replay or a discard). */
  static async read(m: EntityManager, id: string, lock = false): Promise<ParkedMessage | null> {
    const rows: Row[] = await m.query(
      `SELECT ${COLUMNS} FROM parked_messages WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows.length ? parkedMessage(rows[0]) : null;
  }

  static async settle(
    m: EntityManager,
    id: string,
    status: Exclude<ParkedStatus, 'parked'>,
    by: string,
    at: Date,
    discardReason: string | null,
  ): Promise<void> {
    await m.query(
      `UPDATE parked_messages SET status = $2, settled_by = $3, settled_at = $4, discard_reason = $5 WHERE id = $1`,
      [id, status, by, at, discardReason],
    );
  }
}

interface Row {
  id: string;
  consumer: string;
  message_id: string;
  topic: string;
  partition: number;
  offset: string;
  message_key: string | null;
  headers: Record<string, string>;
  value: Buffer | null;
  event_type: string | null;
  kind: 'rejected' | 'failed';
  reason: string;
  attempts: number;
  parked_at: Date;
  status: ParkedStatus;
  settled_by: string | null;
  settled_at: Date | null;
  discard_reason: string | null;
}

function parkedMessage(r: Row): ParkedMessage {
  return {
    id: String(r.id),
    consumer: r.consumer,
    messageId: r.message_id,
    eventType: r.event_type,
    kind: r.kind,
    reason: r.reason,
    attempts: r.attempts,
    parkedAt: new Date(r.parked_at),
    status: r.status,
    settledBy: r.settled_by,
    settledAt: r.settled_at === null ? null : new Date(r.settled_at),
    discardReason: r.discard_reason,
    original: {
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      key: r.message_key,
      headers: r.headers,
      value: r.value,
    },
  };
}

function conditions(filter: ParkedFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(`$${params.length}`));
  };
  if (filter.status) add((n) => `status = ${n}`, filter.status);
  if (filter.consumer) add((n) => `consumer = ${n}`, filter.consumer);
  if (filter.topic) add((n) => `topic = ${n}`, filter.topic);
  if (filter.eventType) add((n) => `event_type = ${n}`, filter.eventType);
  // The reason is searched as text: LIKE's wildcards in it are matched literally.
  if (filter.reason) add((n) => `reason ILIKE '%' || ${n} || '%'`, filter.reason.replace(/[\\%_]/g, '\\$&'));
  if (filter.from) add((n) => `parked_at >= ${n}`, filter.from);
  if (filter.to) add((n) => `parked_at < ${n}`, filter.to);
  return { where: clauses.length ? clauses.join(' AND ') : 'true', params };
}
