import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deadlines table, in the owning service's schema: the truth about every deadline. BullMQ
 * holds only the trigger, and only for deadlines due within the horizon, so Redis stays small
 * (1.4 M trainers hold some 11 M deadlines; a few days' worth are in Redis at any time).
 */
export class DeadlinesTables1764600000000 implements MigrationInterface {
  name = 'DeadlinesTables1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deadlines (
        deadline_id  text PRIMARY KEY,
        kind         text        NOT NULL,
        subject_id   text        NOT NULL,
        due_at       timestamptz NOT NULL,
        payload      jsonb       NOT NULL,
        status       text        NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'fired', 'cancelled')),
        enqueued_at  timestamptz,
        fired_at     timestamptz,
        outcome      text,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    // What the relay hands to BullMQ next, and what the reconciler checks: scheduled rows by due time.
    await q.query(`CREATE INDEX deadlines_scheduled ON deadlines (due_at, deadline_id) WHERE status = 'scheduled'`);
    await q.query(`CREATE INDEX deadlines_subject ON deadlines (subject_id) WHERE status = 'scheduled'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE deadlines`);
  }
}
