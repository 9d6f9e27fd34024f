import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A ledger per credential (a trainer may hold several, "A credential's life"), the credits each
 * approved recertification used ("Credits are used once", R4), and the applications waiting for
 * the ledger as it stood at their receipt ("A decision waits for the facts").
 */
export class CredentialLedgers1764810000000 implements MigrationInterface {
  name = 'CredentialLedgers1764810000000';

  async up(q: QueryRunner): Promise<void> {
    // Cycles recorded before this migration came from one credential per trainer, whose id this
    // service was never told: they keep the trainer id in its place until the credential's next cycle.
    await q.query(`ALTER TABLE trainer_cycles ADD COLUMN credential_id text`);
    await q.query(`UPDATE trainer_cycles SET credential_id = trainer_id`);
    await q.query(`ALTER TABLE trainer_cycles ALTER COLUMN credential_id SET NOT NULL`);
    await q.query(`ALTER TABLE trainer_cycles DROP CONSTRAINT trainer_cycles_pkey`);
    await q.query(`ALTER TABLE trainer_cycles ADD PRIMARY KEY (credential_id, expires_on)`);
    await q.query(`CREATE INDEX trainer_cycles_trainer ON trainer_cycles (trainer_id)`);
    // R4, R6: what a petition was for, so one course counts once.
    await q.query(`ALTER TABLE petition_credits ADD COLUMN completion_id text, ADD COLUMN course_title text`);
    await q.query(`
      CREATE TABLE consumed_credits (
        credential_id    text NOT NULL,
        credit_id        text NOT NULL,
        cycle_expires_on date NOT NULL,
        application_id   uuid NOT NULL,
        PRIMARY KEY (credential_id, credit_id)
      )`);
    await q.query(`
      CREATE TABLE receipts_awaiting_inputs (
        application_id   uuid PRIMARY KEY,
        trainer_id       text NOT NULL,
        credential_id    text NOT NULL,
        cycle_expires_on date NOT NULL
      )`);
    // What each waiting receipt still needs applied: a partition read up to an offset.
    await q.query(`
      CREATE TABLE receipt_waits (
        application_id uuid    NOT NULL REFERENCES receipts_awaiting_inputs ON DELETE CASCADE,
        topic          text    NOT NULL,
        partition      integer NOT NULL,
        next_offset    bigint  NOT NULL,
        PRIMARY KEY (application_id, topic, partition)
      )`);
    await q.query(`CREATE INDEX receipt_waits_partition ON receipt_waits (topic, partition, next_offset)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE receipt_waits`);
    await q.query(`DROP TABLE receipts_awaiting_inputs`);
    await q.query(`DROP TABLE consumed_credits`);
    await q.query(`ALTER TABLE petition_credits DROP COLUMN completion_id, DROP COLUMN course_title`);
    await q.query(`DROP INDEX trainer_cycles_trainer`);
    await q.query(`ALTER TABLE trainer_cycles DROP CONSTRAINT trainer_cycles_pkey`);
    await q.query(`ALTER TABLE trainer_cycles ADD PRIMARY KEY (trainer_id, expires_on)`);
    await q.query(`ALTER TABLE trainer_cycles DROP COLUMN credential_id`);
  }
}
