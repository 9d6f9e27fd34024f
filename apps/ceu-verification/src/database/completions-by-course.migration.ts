import { MigrationInterface, QueryRunner } from 'typeorm';

/** A registry change's pages read a course's trainers in trainer id order (keyset): one index range per page. */
export class CompletionsByCourse1767300000000 implements MigrationInterface {
  name = 'CompletionsByCourse1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX completions_course_trainer ON completions (provider_id, course_id, trainer_id)`);
    await q.query(`DROP INDEX completions_course`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX completions_course ON completions (provider_id, course_id)`);
    await q.query(`DROP INDEX completions_course_trainer`);
  }
}
