import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R11 as the department works it (issue 12): a reviewer accepts or rejects each document and
 * passes or fails the audit; audits are dated in the credential's time zone; a failed audit of a
 * cycle forces selection on reapplying; every staff action is kept with who, when and why.
 */
export class AuditReview1764900000000 implements MigrationInterface {
  name = 'AuditReview1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audits DROP CONSTRAINT IF EXISTS audits_status_check`);
    await q.query(`
      ALTER TABLE audits
        ADD CONSTRAINT audits_status_check
          CHECK (status IN ('not-selected', 'awaiting-documents', 'under-review', 'passed', 'failed')),
        ADD COLUMN credential_id    text,
        ADD COLUMN cycle_expires_on date,
        ADD COLUMN time_zone        text    NOT NULL DEFAULT 'UTC',
        ADD COLUMN forced           boolean NOT NULL DEFAULT false,
        ADD COLUMN forced_reason    text,
        ADD COLUMN extensions       jsonb   NOT NULL DEFAULT '[]',
        ADD COLUMN decided_by       text,
        ADD COLUMN decision_reason  text,
        ADD COLUMN findings         jsonb`);
    // The forced re-selection looks up a failed audit of the same credential's cycle.
    await q.query(
      `CREATE INDEX audits_failed_cycle ON audits (credential_id, cycle_expires_on) WHERE status = 'failed'`,
    );
    await q.query(`DROP INDEX IF EXISTS audits_awaiting`);
    await q.query(
      `CREATE INDEX audits_open ON audits (documentation_due_on) WHERE status IN ('awaiting-documents', 'under-review')`,
    );
    await q.query(`
      ALTER TABLE audit_documents
        ADD COLUMN review            text NOT NULL DEFAULT 'pending' CHECK (review IN ('pending', 'accepted', 'rejected')),
        ADD COLUMN review_reason     text,
        ADD COLUMN reviewed_by       text,
        ADD COLUMN reviewed_by_roles text[],
        ADD COLUMN reviewed_at       timestamptz`);
    await q.query(`
      UPDATE audit_documents SET review = 'rejected', review_reason = rejected_reason, reviewed_at = rejected_at
      WHERE rejected_at IS NOT NULL`);
    await q.query(`ALTER TABLE audit_documents DROP COLUMN rejected_reason, DROP COLUMN rejected_at`);
    await q.query(`
      CREATE TABLE audit_actions (
        action_id      bigserial   PRIMARY KEY,
        application_id uuid        NOT NULL,
        action         text        NOT NULL,
        document_id    text,
        actor_name     text        NOT NULL,
        actor_roles    text[]      NOT NULL,
        acted_at       timestamptz NOT NULL,
        reason         text,
        details        jsonb       NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX audit_actions_application ON audit_actions (application_id, action_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_actions`);
    await q.query(`ALTER TABLE audit_documents ADD COLUMN rejected_reason text, ADD COLUMN rejected_at timestamptz`);
    await q.query(`
      UPDATE audit_documents SET rejected_reason = review_reason, rejected_at = reviewed_at WHERE review = 'rejected'`);
    await q.query(`
      ALTER TABLE audit_documents DROP COLUMN review, DROP COLUMN review_reason, DROP COLUMN reviewed_by,
        DROP COLUMN reviewed_by_roles, DROP COLUMN reviewed_at`);
    await q.query(`DROP INDEX audits_open`);
    await q.query(`CREATE INDEX audits_awaiting ON audits (documentation_due_on) WHERE status = 'awaiting-documents'`);
    await q.query(`DROP INDEX audits_failed_cycle`);
    await q.query(`UPDATE audits SET status = 'awaiting-documents' WHERE status = 'under-review'`);
    await q.query(`
      ALTER TABLE audits DROP CONSTRAINT audits_status_check, DROP COLUMN credential_id, DROP COLUMN cycle_expires_on,
        DROP COLUMN time_zone, DROP COLUMN forced, DROP COLUMN forced_reason, DROP COLUMN extensions,
        DROP COLUMN decided_by, DROP COLUMN decision_reason, DROP COLUMN findings`);
    await q.query(`
      ALTER TABLE audits ADD CONSTRAINT audits_status_check
        CHECK (status IN ('not-selected', 'awaiting-documents', 'passed', 'failed'))`);
  }
}
