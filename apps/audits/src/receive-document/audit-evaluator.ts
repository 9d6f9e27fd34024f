import { Inject, Injectable } from '@nestjs/common';
import { AuditCompleted, AuditReminderDue } from '@recert/contracts';
import { DeadlineScheduler } from '@recert/deadlines';
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
    const assessed = await this.assess(scope, applicationId);
    if (!assessed || assessed.result.status === 'awaiting-documents') return;
    const { result, today, trainerId } = assessed;
    const completedOn = result.status === 'passed' ? result.completedOn : today;
    await scope.manager.query(`UPDATE audits SET status = $2, completed_on = $3 WHERE application_id = $1`, [
      applicationId,
      result.status,
      completedOn.toString(),
    ]);
    // The audit is over: its reminders and deadline have nothing left to do.
    await DeadlineScheduler.cancel(scope.manager, applicationId);
    scope.publish(AuditCompleted, {
      applicationId,
      trainerId,
      outcome: result.status,
      completedOn: completedOn.toString(),
      missingDocuments: result.status === 'failed' ? result.missing.map((m) => ({ ...m })) : [],
    });
  }

  /** R11: a reminder while documents are still missing; none once the audit is over. */
  async remind(scope: EventScope, applicationId: string, daysBefore: number): Promise<string> {
    const assessed = await this.assess(scope, applicationId);
    if (!assessed || assessed.result.status !== 'awaiting-documents') return 'stale: the audit is over';
    scope.publish(AuditReminderDue, {
      applicationId,
      trainerId: assessed.trainerId,
      lastDay: assessed.lastDay.toString(),
      daysBefore,
      missingDocuments: assessed.result.missing.map((m) => ({ ...m })),
    });
    return `reminded: ${assessed.result.missing.length} documents missing`;
  }

  /** Where an audit awaiting documents stands today; null when it is not awaiting any. */
  private async assess(scope: EventScope, applicationId: string) {
    const [audit] = await scope.manager.query(
      `SELECT trainer_id, documentation_due_on, required_documents FROM audits
       WHERE application_id = $1 AND status = 'awaiting-documents' FOR UPDATE`,
      [applicationId],
    );
    if (!audit) return null;
    const documents: { kind: AuditDocumentKind; completion_id: string | null; uploaded_at: Date }[] =
      await scope.manager.query(
        `SELECT kind, completion_id, uploaded_at FROM audit_documents WHERE application_id = $1 AND rejected_at IS NULL`,
        [applicationId],
      );
    const zone = this.policy.defaultTimeZone;
    const today = CalendarDate.fromInstant(this.clock.now(), zone);
    const lastDay = CalendarDate.parse(audit.documentation_due_on);
    const result = evaluateAudit(
      audit.required_documents as RequiredDocument[],
      documents.map((d) => ({
        kind: d.kind,
        proves: d.completion_id ?? undefined,
        submittedOn: CalendarDate.fromInstant(new Date(d.uploaded_at), zone),
      })),
      lastDay,
      today,
    );
    return { trainerId: audit.trainer_id as string, lastDay, today, result };
  }
}
