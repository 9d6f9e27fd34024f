import { MigrationInterface, QueryRunner } from 'typeorm';

/** Everything dated for a trainer is dated in the credential's time zone ("today" of a ledger too). */
export class CredentialTimeZone1764820000000 implements MigrationInterface {
  name = 'CredentialTimeZone1764820000000';

  async up(q: QueryRunner): Promise<void> {
    // Cycles recorded before were announced in UTC or had no zone here: UTC, the policy's default.
    await q.query(`ALTER TABLE trainer_cycles ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trainer_cycles DROP COLUMN time_zone`);
  }
}
