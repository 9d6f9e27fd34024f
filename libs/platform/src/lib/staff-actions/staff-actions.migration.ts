import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every service's log of staff actions (DOMAIN.md, "Who did it"): the person, their roles, the
 * time, the action, what it was done to, and the reason. Append-only, and the database says so:
 * an UPDATE, DELETE or TRUNCATE is refused whoever tries.
 */
export class StaffActions1767100000000 implements MigrationInterface {
  name = 'StaffActions1767100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE staff_actions (
        seq          bigserial   PRIMARY KEY,
        acted_at     timestamptz NOT NULL,
        actor_name   text        NOT NULL,
        actor_roles  text[]      NOT NULL,
        action       text        NOT NULL,
        subject      text        NOT NULL,
        reason       text,
        details      jsonb       NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX staff_actions_acted_at ON staff_actions (acted_at)`);
    await q.query(`
      CREATE FUNCTION staff_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'staff_actions is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER staff_actions_no_change BEFORE UPDATE OR DELETE ON staff_actions
      FOR EACH ROW EXECUTE FUNCTION staff_actions_append_only()`);
    await q.query(`
      CREATE TRIGGER staff_actions_no_truncate BEFORE TRUNCATE ON staff_actions
      FOR EACH STATEMENT EXECUTE FUNCTION staff_actions_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE staff_actions`);
    await q.query(`DROP FUNCTION staff_actions_append_only()`);
  }
}
