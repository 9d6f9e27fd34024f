import { MigrationInterface, QueryRunner } from 'typeorm';

export class DocumentReviews1764700000000 implements MigrationInterface {
  name = 'DocumentReviews1764700000000';

  async up(q: QueryRunner): Promise<void> {
    // A reviewer may reject a document (illegible, not the course it claims): it then proves nothing.
    await q.query(`ALTER TABLE audit_documents ADD COLUMN rejected_reason text, ADD COLUMN rejected_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_documents DROP COLUMN rejected_reason, DROP COLUMN rejected_at`);
  }
}
