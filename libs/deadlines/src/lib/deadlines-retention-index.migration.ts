import { MigrationInterface, QueryRunner } from 'typeorm';

/** What retention of finished deadlines reads (deadlines-retention.ts), oldest first. */
export class DeadlinesRetentionIndex1767200000001 implements MigrationInterface {
  name = 'DeadlinesRetentionIndex1767200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX deadlines_finished ON deadlines ((coalesce(fired_at, due_at))) WHERE status <> 'scheduled'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX deadlines_finished`);
  }
}
