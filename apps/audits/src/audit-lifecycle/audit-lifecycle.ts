import { Inject, Injectable } from '@nestjs/common';
import { AuditCompleted, AuditReminderDue } from '@recert/contracts';
import { DeadlineScheduler } from '@recert/deadlines';
import { Clock, CLOCK } from '@recert/clock';
import { EventScope } from '@recert/messaging';
import {
  assessDocuments,
  CalendarDate,
  DocumentAssessment,
  MissingDocument,
  openAuditState,
  RejectedDocument,
} from '@recert/rules';
import { Actor, AuditRecord, AuditRepository } from '../database/audit.repository';

/**
 * R11: what every use case of an audit shares — where its documents stand, the open state they
 * put it in (awaiting documents or under review), and its completion, which only a reviewer or
 * the deadline brings about and which is final.
 */
@Injectable()
export class AuditLifecycle {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  /** Today in the credential's time zone. */
  today(audit: AuditRecord): CalendarDate {
    return CalendarDate.fromInstant(this.clock.now(), audit.timeZone);
  }

  now(): Date {
    return this.clock.now();
  }

  async assess(repository: AuditRepository, audit: AuditRecord): Promise<DocumentAssessment> {
    const documents = await repository.documents(audit.applicationId, audit.timeZone);
    return assessDocuments(audit.required, documents, audit.lastDay ?? audit.drawnOn);
  }

  /** An open audit's state after its documents or their reviews changed; a closed one is left as it is. */
  async refresh(scope: EventScope, applicationId: string): Promise<AuditRecord | null> {
    const repository = new AuditRepository(scope.manager);
    const audit = await repository.audit(applicationId);
    if (!audit || (audit.status !== 'awaiting-documents' && audit.status !== 'under-review')) return audit;
    const status = openAuditState(await this.assess(repository, audit));
    if (status !== audit.status) await repository.setStatus(applicationId, status);
    return { ...audit, status };
  }

  /** Passes or fails an audit, once: its deadlines are cancelled and AuditCompleted names the findings. */
  async complete(
    scope: EventScope,
    audit: AuditRecord,
    outcome: { status: 'passed' | 'failed'; by: Actor; reason: string | null },
    findings: { missing: readonly MissingDocument[]; rejected: readonly RejectedDocument[] },
  ): Promise<void> {
    const repository = new AuditRepository(scope.manager);
    const completedOn = this.today(audit);
    await repository.complete(audit.applicationId, { ...outcome, completedOn, decidedBy: outcome.by, ...findings });
    await repository.recordAction(
      audit.applicationId,
      outcome.status === 'passed' ? 'pass' : 'fail',
      outcome.by,
      this.clock.now(),
      outcome.reason,
      outcome.status === 'failed' ? { missing: findings.missing, rejected: findings.rejected } : {},
    );
    // The audit is over: its reminders and deadline have nothing left to do.
    await DeadlineScheduler.cancel(scope.manager, audit.applicationId);
    scope.publish(AuditCompleted, {
      applicationId: audit.applicationId,
      trainerId: audit.trainerId,
      outcome: outcome.status,
      completedOn: completedOn.toString(),
      missingDocuments: findings.missing.map((m) => ({ ...m })),
      rejectedDocuments: findings.rejected.map((r) => ({ ...r })),
      decidedBy: outcome.by.name,
      reason: outcome.reason,
    });
  }

  /** R11: a reminder while documents are missing or rejected; none under review or once the audit is over. */
  async remind(scope: EventScope, applicationId: string, daysBefore: number): Promise<string> {
    const repository = new AuditRepository(scope.manager);
    const audit = await repository.audit(applicationId);
    if (!audit || audit.status !== 'awaiting-documents' || !audit.lastDay) return 'stale: no documents are awaited';
    const a = await this.assess(repository, audit);
    const awaited = [...a.missing, ...a.rejected.map((r) => ({ kind: r.kind, proves: r.proves }))];
    scope.publish(AuditReminderDue, {
      applicationId,
      trainerId: audit.trainerId,
      lastDay: audit.lastDay.toString(),
      daysBefore,
      missingDocuments: awaited.map((m) =>
        m.proves === undefined ? { kind: m.kind } : { kind: m.kind, proves: m.proves },
      ),
    });
    return `reminded: ${awaited.length} documents awaited`;
  }
}
