import { MigrationInterface, QueryRunner } from 'typeorm';

/** The backlog over time (issue 14): gauges are instants, the ops dashboard draws a history of them. */
export class BacklogSamples1765100000000 implements MigrationInterface {
  name = 'BacklogSamples1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE backlog_samples (
        sampled_at     timestamptz NOT NULL,
        service        text        NOT NULL,
        consumer_lag   bigint      NOT NULL,
        outbox_backlog bigint      NOT NULL,
        PRIMARY KEY (sampled_at, service)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE backlog_samples`);
  }
}
