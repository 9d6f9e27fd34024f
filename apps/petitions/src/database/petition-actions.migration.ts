import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who did what to a petition, when and why (DOMAIN.md, "Who did it"), and the learning platform's
 * completion a petition names (so one course counts once, R4).
 */
export class PetitionActions1766000000000 implements MigrationInterface {
  name = 'PetitionActions1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE petitions ADD COLUMN completion_id text`);
    await q.query(`
      CREATE TABLE petition_actions (
        petition_id uuid        NOT NULL REFERENCES petitions (petition_id),
        seq         bigserial   PRIMARY KEY,
        action      text        NOT NULL CHECK (action IN ('review', 'approve', 'deny', 'withdraw')),
        actor_name  text        NOT NULL,
        actor_roles text[]      NOT NULL,
        acted_at    timestamptz NOT NULL,
        reason      text,
        ceu_granted integer
      )`);
    await q.query(`CREATE INDEX petition_actions_petition ON petition_actions (petition_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE petition_actions`);
    await q.query(`ALTER TABLE petitions DROP COLUMN completion_id`);
  }
}
