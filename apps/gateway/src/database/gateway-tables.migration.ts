import { MigrationInterface, QueryRunner } from 'typeorm';

export class GatewayTables1764500000000 implements MigrationInterface {
  name = 'GatewayTables1764500000000';

  async up(q: QueryRunner): Promise<void> {
    // Each Idempotency-Key an upstream system sent, the event it became and a digest of what it said:
    // a retry gets the same event, the same key with other content is refused.
    await q.query(`
      CREATE TABLE ingestions (
        idempotency_key text PRIMARY KEY,
        event_type      text        NOT NULL,
        event_id        uuid        NOT NULL,
        request_digest  text        NOT NULL,
        received_at     timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ingestions`);
  }
}
