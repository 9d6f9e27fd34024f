import { Injectable, NotFoundException } from '@nestjs/common';
import { EventScope } from '@recert/messaging';
import { checkDocumentReview } from '@recert/rules';
import { AuditLifecycle } from '../audit-lifecycle/audit-lifecycle';
import { noAudit, refuse } from '../audit-lifecycle/refusals';
import { Actor, AuditRepository } from '../database/audit.repository';
import { AuditDeadlines } from '../enforce-audit-deadlines/audit-deadlines';

export interface ReviewDocumentCommand {
  readonly applicationId: string;
  readonly documentId: string;
  readonly verdict: 'accept' | 'reject';
  /** The rejection's reason (required), or the acceptance's note (optional). */
  readonly reason?: string;
  readonly by: Actor;
}

/**
 * R11: a reviewer accepts or rejects one document, awaiting documents or under review. A
 * rejection sends the audit back to awaiting documents with the same last day; the review is
 * recorded with who, when and why.
 */
@Injectable()
export class ReviewDocumentHandler {
  constructor(
    private readonly lifecycle: AuditLifecycle,
    private readonly deadlines: AuditDeadlines,
  ) {}

  async execute(scope: EventScope, c: ReviewDocumentCommand) {
    const repository = new AuditRepository(scope.manager);
    await repository.lock(c.applicationId);
    const audit = await repository.audit(c.applicationId);
    if (!audit) noAudit(c.applicationId);
    const document = (await repository.documents(c.applicationId, audit.timeZone)).find(
      (d) => d.documentId === c.documentId,
    );
    if (!document) throw new NotFoundException(`no document ${c.documentId} for application ${c.applicationId}`);
    const lastDay = audit.lastDay ?? audit.drawnOn;
    const refusal = checkDocumentReview(audit.status, document, c.verdict, c.reason, lastDay);
    if (refusal) refuse(refusal);

    const reason = c.reason?.trim() || null;
    const review = c.verdict === 'accept' ? 'accepted' : 'rejected';
    const now = this.lifecycle.now();
    await repository.reviewDocument(c.applicationId, c.documentId, review, reason, c.by, now);
    await repository.recordAction(c.applicationId, `${c.verdict}-document`, c.by, now, reason, {
      documentId: c.documentId,
    });
    const after = await this.lifecycle.refresh(scope, c.applicationId);
    if (after?.status === 'awaiting-documents')
      await this.deadlines.recheckAfterLastDay(
        scope,
        c.applicationId,
        lastDay,
        this.lifecycle.today(audit),
        audit.timeZone,
      );
    return {
      applicationId: c.applicationId,
      documentId: c.documentId,
      review,
      reason,
      status: after?.status ?? audit.status,
      documentationDueOn: lastDay.toString(),
    };
  }
}
