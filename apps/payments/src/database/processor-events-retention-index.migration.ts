import { MigrationInterface, QueryRunner } from 'typeorm';

/** What retention of settled processor events reads (processor-events-retention.ts), oldest first. */
export class ProcessorEventsRetentionIndex1767200000002 implements MigrationInterface {
  name = 'ProcessorEventsRetentionIndex1767200000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX processor_events_occurred ON processor_events (occurred_at) WHERE outcome <> 'awaiting-payable'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX processor_events_occurred`);
  }
}
