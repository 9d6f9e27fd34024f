import { EntityManager } from 'typeorm';
import {
  AuditDocumentKind,
  AuditLifecycle,
  CalendarDate,
  DocumentReviewState,
  MissingDocument,
  RejectedDocument,
  RequiredDocument,
  ReviewedDocument,
} from '@recert/rules';
import { recordStaffAction } from '@recert/platform';

/** Who did something: a staff caller (name and roles), or the system ('deadline'). */
export interface Actor {
  readonly name: string;
  readonly roles: readonly string[];
}

export const DEADLINE_ACTOR: Actor = { name: 'deadline', roles: [] };

export interface Extension {
  readonly days: number;
  readonly reason: string;
  readonly by: Actor;
  readonly at: string;
}

export interface AuditRecord {
  readonly applicationId: string;
  readonly trainerId: string;
  readonly status: AuditLifecycle;
  readonly timeZone: string;
  readonly drawnOn: CalendarDate;
  /** The last day to submit documents (selected audits only). */
  readonly lastDay: CalendarDate | null;
  readonly required: readonly RequiredDocument[];
  readonly extensions: readonly Extension[];
}

export interface NewDraw {
  readonly applicationId: string;
  readonly trainerId: string;
  readonly credentialId: string;
  readonly cycleExpiresOn: string;
  readonly timeZone: string;
  readonly seed: string;
  readonly value: number;
  readonly ratePpm: number;
  readonly selected: boolean;
  readonly forced: boolean;
  readonly forcedReason: string | null;
  readonly drawnOn: CalendarDate;
  readonly lastDay: CalendarDate | null;
  readonly required: readonly RequiredDocument[];
}

export interface NewDocument {
  readonly documentId: string;
  readonly applicationId: string;
  readonly trainerId: string;
  readonly kind: AuditDocumentKind;
  readonly completionId: string | null;
  readonly storageRef: string;
  readonly uploadedAt: string;
}

export interface Completion {
  readonly status: 'passed' | 'failed';
  readonly completedOn: CalendarDate;
  readonly decidedBy: Actor;
  readonly reason: string | null;
  readonly missing: readonly MissingDocument[];
  readonly rejected: readonly RejectedDocument[];
}

/** The audits service's tables, read and written inside the caller's transaction. */
export class AuditRepository {
  constructor(private readonly m: EntityManager) {}

  /**
   * Serialises the draw, the documents and the reviews of one application: they come on
   * different topics and requests, and without a common lock a document could miss the draw
   * (and the draw the document) while both commit.
   */
  async lock(applicationId: string): Promise<void> {
    await this.m.query(`SELECT pg_advisory_xact_lock(hashtext('audit:' || $1))`, [applicationId]);
  }

  async audit(applicationId: string): Promise<AuditRecord | null> {
    const [r] = await this.m.query(
      `SELECT application_id, trainer_id, status, time_zone, drawn_on, documentation_due_on, required_documents, extensions
       FROM audits WHERE application_id = $1 FOR UPDATE`,
      [applicationId],
    );
    if (!r) return null;
    return {
      applicationId: r.application_id,
      trainerId: r.trainer_id,
      status: r.status,
      timeZone: r.time_zone,
      drawnOn: CalendarDate.parse(r.drawn_on),
      lastDay: r.documentation_due_on ? CalendarDate.parse(r.documentation_due_on) : null,
      required: r.required_documents,
      extensions: r.extensions,
    };
  }

  /** The documents on record for an application, dated in `timeZone` (the credential's). */
  async documents(applicationId: string, timeZone: string): Promise<ReviewedDocument[]> {
    const rows: {
      document_id: string;
      kind: AuditDocumentKind;
      completion_id: string | null;
      uploaded_at: Date;
      review: DocumentReviewState;
      review_reason: string | null;
    }[] = await this.m.query(
      `SELECT document_id, kind, completion_id, uploaded_at, review, review_reason FROM audit_documents
       WHERE application_id = $1 ORDER BY uploaded_at, document_id`,
      [applicationId],
    );
    return rows.map((d) => ({
      documentId: d.document_id,
      kind: d.kind,
      ...(d.completion_id === null ? {} : { proves: d.completion_id }),
      submittedOn: CalendarDate.fromInstant(new Date(d.uploaded_at), timeZone),
      review: d.review,
      ...(d.review_reason === null ? {} : { reason: d.review_reason }),
    }));
  }

  /** R11: the application whose audit of this credential's cycle failed, if any. */
  async failedAuditOfCycle(credentialId: string, cycleExpiresOn: string): Promise<string | null> {
    const [r] = await this.m.query(
      `SELECT application_id FROM audits WHERE credential_id = $1 AND cycle_expires_on = $2 AND status = 'failed'
       ORDER BY completed_on, application_id LIMIT 1`,
      [credentialId, cycleExpiresOn],
    );
    return r?.application_id ?? null;
  }

  /** Records a draw; false when this application was drawn already (a redelivery). */
  async insertDraw(d: NewDraw): Promise<boolean> {
    const inserted = await this.m.query(
      `INSERT INTO audits (application_id, trainer_id, credential_id, cycle_expires_on, time_zone, seed, draw_value,
                           rate_ppm, selected, forced, forced_reason, drawn_on, documentation_due_on,
                           required_documents, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [
        d.applicationId,
        d.trainerId,
        d.credentialId,
        d.cycleExpiresOn,
        d.timeZone,
        d.seed,
        d.value,
        d.ratePpm,
        d.selected,
        d.forced,
        d.forcedReason,
        d.drawnOn.toString(),
        d.lastDay?.toString() ?? null,
        JSON.stringify(d.required),
        d.selected ? 'awaiting-documents' : 'not-selected',
      ],
    );
    return inserted.length > 0;
  }

  async insertDocument(d: NewDocument): Promise<void> {
    await this.m.query(
      `INSERT INTO audit_documents (document_id, application_id, trainer_id, kind, completion_id, storage_ref, uploaded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [d.documentId, d.applicationId, d.trainerId, d.kind, d.completionId, d.storageRef, d.uploadedAt],
    );
  }

  async setStatus(applicationId: string, status: AuditLifecycle): Promise<void> {
    await this.m.query(`UPDATE audits SET status = $2 WHERE application_id = $1`, [applicationId, status]);
  }

  async extend(applicationId: string, lastDay: CalendarDate, extensions: readonly Extension[]): Promise<void> {
    await this.m.query(
      `UPDATE audits SET documentation_due_on = $2, extensions = $3::jsonb WHERE application_id = $1`,
      [applicationId, lastDay.toString(), JSON.stringify(extensions)],
    );
  }

  async complete(applicationId: string, c: Completion): Promise<void> {
    await this.m.query(
      `UPDATE audits SET status = $2, completed_on = $3, decided_by = $4, decision_reason = $5, findings = $6::jsonb
       WHERE application_id = $1`,
      [
        applicationId,
        c.status,
        c.completedOn.toString(),
        c.decidedBy.name,
        c.reason,
        JSON.stringify({ missing: c.missing, rejected: c.rejected }),
      ],
    );
  }

  async reviewDocument(
    applicationId: string,
    documentId: string,
    review: 'accepted' | 'rejected',
    reason: string | null,
    by: Actor,
    at: Date,
  ): Promise<void> {
    await this.m.query(
      `UPDATE audit_documents SET review = $3, review_reason = $4, reviewed_by = $5, reviewed_by_roles = $6, reviewed_at = $7
       WHERE application_id = $1 AND document_id = $2`,
      [applicationId, documentId, review, reason, by.name, by.roles, at],
    );
  }

  /** "Who did it": every staff action (and the deadline's) with the person, their roles, the time and the reason. */
  async recordAction(
    applicationId: string,
    action: string,
    by: Actor,
    at: Date,
    reason: string | null,
    details: { documentId?: string } & Record<string, unknown> = {},
  ): Promise<void> {
    const { documentId, ...rest } = details;
    await this.m.query(
      `INSERT INTO audit_actions (application_id, action, document_id, actor_name, actor_roles, acted_at, reason, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
      [applicationId, action, documentId ?? null, by.name, by.roles, at, reason, JSON.stringify(rest)],
    );
    // A person's act also goes to the service's staff log; the deadline is not staff.
    if (by !== DEADLINE_ACTOR)
      await recordStaffAction(this.m, { at, by, action: `audit.${action}`, subject: applicationId, reason, details });
  }
}
