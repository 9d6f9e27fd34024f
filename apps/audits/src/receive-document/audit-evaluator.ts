import { Inject, Injectable } from '@nestjs/common';
import { AuditCompleted } from '@recert/contracts';
import { Clock, CLOCK } from '@recert/clock';
import { EventScope } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { AuditDocumentKind, CalendarDate, evaluateAudit, RecertPolicy, RequiredDocument } from '@recert/rules';

/**
 * R11: an audit awaiting documents passes once every required document arrived by its deadline,
 * and fails when the deadline passed with documents missing (naming them). A completed audit is final.
 */
@Injectable()
export class AuditEvaluator {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
  ) {}

  /**
   * Serialises the draw and the documents of one application: they come on different topics, and
   * without a common lock a document could miss the draw (and the draw the document) while both
   * commit, leaving the audit waiting for a document it has.
   */
  async lock(scope: EventScope, applicationId: string): Promise<void> {
    await scope.manager.query(`SELECT pg_advisory_xact_lock(hashtext('audit:' || $1))`, [applicationId]);
  }

  async evaluate(scope: EventScope, applicationId: string): Promise<void> {
    const [audit] = await scope.manager.query(
      `SELECT trainer_id, documentation_due_on, required_documents FROM audits
       WHERE application_id = $1 AND status = 'awaiting-documents' FOR UPDATE`,
      [applicationId],
    );
    if (!audit) return;
    const documents: { kind: AuditDocumentKind; completion_id: string | null; uploaded_at: Date }[] =
      await scope.manager.query(
        `SELECT kind, completion_id, uploaded_at FROM audit_documents WHERE application_id = $1`,
        [applicationId],
      );
    const zone = this.policy.defaultTimeZone;
    const today = CalendarDate.fromInstant(this.clock.now(), zone);
    const result = evaluateAudit(
      audit.required_documents as RequiredDocument[],
      documents.map((d) => ({
        kind: d.kind,
        proves: d.completion_id ?? undefined,
        submittedOn: CalendarDate.fromInstant(new Date(d.uploaded_at), zone),
      })),
      CalendarDate.parse(audit.documentation_due_on),
      today,
    );
    if (result.status === 'awaiting-documents') return;
    const completedOn = result.status === 'passed' ? result.completedOn : today;
    await scope.manager.query(`UPDATE audits SET status = $2, completed_on = $3 WHERE application_id = $1`, [
      applicationId,
      result.status,
      completedOn.toString(),
    ]);
    scope.publish(AuditCompleted, {
      applicationId,
      trainerId: audit.trainer_id,
      outcome: result.status,
      completedOn: completedOn.toString(),
      missingDocuments: result.status === 'failed' ? result.missing.map((m) => ({ ...m })) : [],
    });
  }
}
