import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recertify for Life is a membership payments records, not a flag the submission sets (issue 13):
 * the flag's column goes; the fee is fixed once payments says which membership the trainer held
 * at receipt (`fee_fixed`), and the membership that waived it is kept with it. Applications taken
 * in before had their fee fixed at receipt already.
 */
export class RecertifyForLifeMembership1767000000000 implements MigrationInterface {
  name = 'RecertifyForLifeMembership1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE applications ADD COLUMN fee_waived_by jsonb`);
    await q.query(`ALTER TABLE applications ADD COLUMN fee_fixed boolean NOT NULL DEFAULT true`);
    await q.query(`ALTER TABLE applications ALTER COLUMN fee_fixed SET DEFAULT false`);
    await q.query(`ALTER TABLE applications DROP COLUMN recertify_for_life`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE applications ADD COLUMN recertify_for_life boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE applications DROP COLUMN fee_fixed`);
    await q.query(`ALTER TABLE applications DROP COLUMN fee_waived_by`);
  }
}
