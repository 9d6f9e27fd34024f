import { Injectable } from '@nestjs/common';
import { EventScope } from '@recert/messaging';
import { checkFail, checkPass } from '@recert/rules';
import { AuditLifecycle } from '../audit-lifecycle/audit-lifecycle';
import { noAudit, refuse } from '../audit-lifecycle/refusals';
import { Actor, AuditRepository } from '../database/audit.repository';

export interface DecideAuditCommand {
  readonly applicationId: string;
  readonly outcome: 'pass' | 'fail';
  /** Required to fail; an optional note to pass. */
  readonly reason?: string;
  readonly by: Actor;
}

/**
 * R11: only a reviewer passes an audit — once every required document is in and accepted — or
 * fails it, with the reason; a failure names each document still missing or rejected.
 */
@Injectable()
export class DecideAuditHandler {
  constructor(private readonly lifecycle: AuditLifecycle) {}

  async execute(scope: EventScope, c: DecideAuditCommand) {
    const repository = new AuditRepository(scope.manager);
    await repository.lock(c.applicationId);
    const audit = await repository.audit(c.applicationId);
    if (!audit) noAudit(c.applicationId);
    const assessment = await this.lifecycle.assess(repository, audit);
    const refusal = c.outcome === 'pass' ? checkPass(audit.status, assessment) : checkFail(audit.status, c.reason);
    if (refusal) refuse(refusal);
    const status = c.outcome === 'pass' ? 'passed' : 'failed';
    const findings =
      status === 'failed'
        ? { missing: assessment.missing, rejected: assessment.rejected }
        : { missing: [], rejected: [] };
    await this.lifecycle.complete(scope, audit, { status, by: c.by, reason: c.reason?.trim() || null }, findings);
    return { applicationId: c.applicationId, status, ...findings };
  }
}
