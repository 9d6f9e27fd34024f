import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What retention (retention.ts) reads: published outbox rows and processed inbox rows by age,
 * oldest first, so each purge batch is an index range and never a scan of the whole table.
 */
export class RetentionIndexes1767200000000 implements MigrationInterface {
  name = 'RetentionIndexes1767200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL`);
    await q.query(`CREATE INDEX inbox_processed ON inbox (received_at) WHERE outcome = 'processed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX inbox_processed`);
    await q.query(`DROP INDEX outbox_published`);
  }
}
