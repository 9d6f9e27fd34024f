import { MigrationInterface, QueryRunner } from 'typeorm';

/** People who sign in to the staff console, and their sessions (issue 14). */
export class StaffTables1765000000000 implements MigrationInterface {
  name = 'StaffTables1765000000000';

  async up(q: QueryRunner): Promise<void> {
    // The e-mail is kept lower-case: one account per address however it is typed. Failed sign-ins
    // are counted on the row, under its lock, so parallel guesses cannot slip past the lockout.
    await q.query(`
      CREATE TABLE staff_accounts (
        account_id      uuid PRIMARY KEY,
        email           text        NOT NULL UNIQUE CHECK (email = lower(email)),
        name            text        NOT NULL,
        roles           text[]      NOT NULL,
        password_hash   text        NOT NULL,
        failed_sign_ins integer     NOT NULL DEFAULT 0,
        locked_until    timestamptz,
        created_at      timestamptz NOT NULL,
        created_by      text        NOT NULL
      )`);
    // connect-pg-simple's table, as that library expects it.
    await q.query(`
      CREATE TABLE staff_sessions (
        sid    varchar     PRIMARY KEY,
        sess   json        NOT NULL,
        expire timestamp(6) NOT NULL
      )`);
    await q.query(`CREATE INDEX staff_sessions_expire ON staff_sessions (expire)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE staff_sessions`);
    await q.query(`DROP TABLE staff_accounts`);
  }
}
