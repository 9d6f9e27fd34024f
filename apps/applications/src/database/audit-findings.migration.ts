import { MigrationInterface, QueryRunner } from 'typeorm';

/** R11: a failed audit's findings (who decided, why, each missing or rejected document), for the denial. */
export class AuditFindings1764900000000 implements MigrationInterface {
  name = 'AuditFindings1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE applications ADD COLUMN audit_findings jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE applications DROP COLUMN audit_findings`);
  }
}
