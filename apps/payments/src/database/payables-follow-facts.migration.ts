import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A payable closes when what it pays for ends (petition withdrawn or denied, application refused or
 * denied), and remembers why; a refund of its settling payment reopens it (DOMAIN.md, "Money").
 */
export class PayablesFollowFacts1766000000000 implements MigrationInterface {
  name = 'PayablesFollowFacts1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payables DROP CONSTRAINT payables_status_check`);
    await q.query(
      `ALTER TABLE payables ADD CONSTRAINT payables_status_check CHECK (status IN ('open', 'paid', 'refunded', 'closed'))`,
    );
    await q.query(`ALTER TABLE payables ADD COLUMN ended_because text`);
    await q.query(`CREATE INDEX processor_events_payment ON processor_events (payable_id, payment_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX processor_events_payment`);
    await q.query(`ALTER TABLE payables DROP COLUMN ended_because`);
    await q.query(`ALTER TABLE payables DROP CONSTRAINT payables_status_check`);
    await q.query(
      `ALTER TABLE payables ADD CONSTRAINT payables_status_check CHECK (status IN ('open', 'paid', 'refunded'))`,
    );
  }
}
