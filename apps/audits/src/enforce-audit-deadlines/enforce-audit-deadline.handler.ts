import { Injectable } from '@nestjs/common';
import { EventScope } from '@recert/messaging';
import { deadlineEffect } from '@recert/rules';
import { AuditLifecycle } from '../audit-lifecycle/audit-lifecycle';
import { AuditRepository, DEADLINE_ACTOR } from '../database/audit.repository';

/**
 * R11: at the end of the last day the deadline fails an audit for the documents still missing or
 * rejected, naming each; an audit under review is left to its reviewer, and a deadline of an
 * extended or completed audit does nothing.
 */
@Injectable()
export class EnforceAuditDeadlineHandler {
  constructor(private readonly lifecycle: AuditLifecycle) {}

  async execute(scope: EventScope, applicationId: string): Promise<string> {
    const repository = new AuditRepository(scope.manager);
    await repository.lock(applicationId);
    const audit = await repository.audit(applicationId);
    if (!audit?.lastDay) return 'stale: no audit awaits documents';
    const assessment = await this.lifecycle.assess(repository, audit);
    const effect = deadlineEffect(audit.status, assessment, audit.lastDay, this.lifecycle.today(audit));
    if (effect.effect === 'none') return effect.why;
    await this.lifecycle.complete(
      scope,
      audit,
      { status: 'failed', by: DEADLINE_ACTOR, reason: effect.reason },
      effect.findings,
    );
    return `audit failed: ${effect.findings.missing.length} missing, ${effect.findings.rejected.length} rejected`;
  }
}
