import { MigrationInterface, QueryRunner } from 'typeorm';

/** How far each consumer applied each partition (see ConsumerPositions), for services that track it. */
export class ConsumerPositionsTable1764800000000 implements MigrationInterface {
  name = 'ConsumerPositionsTable1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE consumer_positions (
        consumer    text    NOT NULL,
        topic       text    NOT NULL,
        partition   integer NOT NULL,
        next_offset bigint  NOT NULL,
        PRIMARY KEY (consumer, topic, partition)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE consumer_positions`);
  }
}
