import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditsTables1764400000000 implements MigrationInterface {
  name = 'AuditsTables1764400000000';

  async up(q: QueryRunner): Promise<void> {
    // R11: every draw with the inputs that reproduce it.
    await q.query(`
      CREATE TABLE audits (
        application_id       uuid PRIMARY KEY,
        trainer_id           text    NOT NULL,
        seed                 text    NOT NULL,
        draw_value           integer NOT NULL,
        rate_ppm             integer NOT NULL,
        selected             boolean NOT NULL,
        drawn_on             date    NOT NULL,
        documentation_due_on date,
        required_documents   jsonb   NOT NULL,
        status               text    NOT NULL CHECK (status IN ('not-selected', 'awaiting-documents', 'passed', 'failed')),
        completed_on         date
      )`);
    await q.query(`CREATE INDEX audits_awaiting ON audits (documentation_due_on) WHERE status = 'awaiting-documents'`);
    await q.query(`
      CREATE TABLE audit_documents (
        document_id    text PRIMARY KEY,
        application_id uuid NOT NULL,
        trainer_id     text NOT NULL,
        kind           text NOT NULL,
        completion_id  text,
        storage_ref    text NOT NULL,
        uploaded_at    timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_documents_application ON audit_documents (application_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_documents`);
    await q.query(`DROP TABLE audits`);
  }
}
