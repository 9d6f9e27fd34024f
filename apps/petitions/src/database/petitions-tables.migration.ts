import { MigrationInterface, QueryRunner } from 'typeorm';

export class PetitionsTables1764500000000 implements MigrationInterface {
  name = 'PetitionsTables1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE petitions (
        petition_id     uuid PRIMARY KEY,
        trainer_id      text    NOT NULL,
        course_title    text    NOT NULL,
        provider_name   text    NOT NULL,
        completed_on    date    NOT NULL,
        contact_hours   text    NOT NULL,
        certificate_ref text    NOT NULL,
        fee_cents       integer NOT NULL,
        state           text    NOT NULL CHECK (state IN ('submitted', 'fee-paid', 'under-review', 'approved', 'denied', 'withdrawn')),
        ceu_granted     integer,
        decision_reason text,
        submitted_at    timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX petitions_queue ON petitions (state, submitted_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE petitions`);
  }
}
