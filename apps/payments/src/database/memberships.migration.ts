import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recertify for Life memberships, as the processor reported them (payments owns memberships), and
 * the receipts waiting for this service to have applied the trainer's processor events before it
 * says which membership the trainer held (issue 13, R10).
 */
export class Memberships1767000000000 implements MigrationInterface {
  name = 'Memberships1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE memberships (
        membership_id      text PRIMARY KEY,
        trainer_id         text        NOT NULL,
        processor_event_id text        NOT NULL UNIQUE,
        payment_id         text        NOT NULL,
        amount_cents       integer     NOT NULL CHECK (amount_cents >= 0),
        purchased_at       timestamptz NOT NULL,
        recorded_at        timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX memberships_trainer ON memberships (trainer_id, purchased_at)`);
    await q.query(`
      CREATE TABLE receipts_awaiting_memberships (
        application_id uuid PRIMARY KEY,
        trainer_id     text        NOT NULL,
        received_at    timestamptz NOT NULL,
        topic          text        NOT NULL,
        partition      integer     NOT NULL,
        next_offset    bigint      NOT NULL
      )`);
    await q.query(
      `CREATE INDEX receipts_awaiting_memberships_position ON receipts_awaiting_memberships (topic, partition, next_offset)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE receipts_awaiting_memberships`);
    await q.query(`DROP TABLE memberships`);
  }
}
