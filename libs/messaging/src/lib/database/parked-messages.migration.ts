import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a consumer parked, kept whole (the value as received, as bytes, up to the 64 KB message
 * limit) for ops to read, replay or discard: the source of truth for a dead letter. The record on
 * the dead-letter topic is a bounded copy. A row is never deleted: a replay or a discard marks it,
 * with who and when, and a replay that fails again parks the message in a new row.
 */
export class ParkedMessages1767400000000 implements MigrationInterface {
  name = 'ParkedMessages1767400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE parked_messages (
        id             bigserial   PRIMARY KEY,
        consumer       text        NOT NULL,
        message_id     text        NOT NULL,
        topic          text        NOT NULL,
        partition      integer     NOT NULL,
        "offset"       text        NOT NULL,
        message_key    text,
        headers        jsonb       NOT NULL,
        value          bytea,
        event_type     text,
        kind           text        NOT NULL CHECK (kind IN ('rejected', 'failed')),
        reason         text        NOT NULL,
        attempts       integer     NOT NULL,
        parked_at      timestamptz NOT NULL,
        status         text        NOT NULL DEFAULT 'parked' CHECK (status IN ('parked', 'replayed', 'discarded')),
        settled_by     text,
        settled_at     timestamptz,
        discard_reason text
      )`);
    // A message is parked at most once at a time (its inbox row says so too).
    await q.query(
      `CREATE UNIQUE INDEX parked_messages_once ON parked_messages (consumer, message_id) WHERE status = 'parked'`,
    );
    await q.query(`CREATE INDEX parked_messages_parked_at ON parked_messages (parked_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE parked_messages`);
  }
}
