import { MigrationInterface, QueryRunner } from 'typeorm';

export class PaymentsTables1764300000000 implements MigrationInterface {
  name = 'PaymentsTables1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per fee owed; its id is the idempotency key given to the processor.
    await q.query(`
      CREATE TABLE payables (
        payable_id      text PRIMARY KEY,
        purpose         text    NOT NULL CHECK (purpose IN ('application-fee', 'petition-fee')),
        reference_id    text    NOT NULL,
        trainer_id      text    NOT NULL,
        amount_cents    integer NOT NULL CHECK (amount_cents >= 0),
        status          text    NOT NULL CHECK (status IN ('open', 'paid', 'refunded')),
        paid_payment_id text,
        UNIQUE (purpose, reference_id)
      )`);
    // Every processor event, whatever became of it: the money trail.
    await q.query(`
      CREATE TABLE processor_events (
        processor_event_id text PRIMARY KEY,
        payable_id         text    NOT NULL,
        payment_id         text    NOT NULL,
        kind               text    NOT NULL CHECK (kind IN ('succeeded', 'failed', 'refunded')),
        amount_cents       integer NOT NULL,
        occurred_at        timestamptz NOT NULL,
        outcome            text    NOT NULL
      )`);
    await q.query(`CREATE INDEX processor_events_payable ON processor_events (payable_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE processor_events`);
    await q.query(`DROP TABLE payables`);
  }
}
