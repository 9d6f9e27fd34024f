import { Inject, Injectable } from '@nestjs/common';
import { EventScope } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { extendedLastDay, RecertPolicy } from '@recert/rules';
import { AuditLifecycle } from '../audit-lifecycle/audit-lifecycle';
import { noAudit, refuse } from '../audit-lifecycle/refusals';
import { Actor, AuditRepository } from '../database/audit.repository';
import { AuditDeadlines } from '../enforce-audit-deadlines/audit-deadlines';

export interface ExtendAuditCommand {
  readonly applicationId: string;
  readonly days: number;
  readonly reason: string;
  readonly by: Actor;
}

/**
 * R11 [policy]: a reviewer extends the documentation window once, by 1 to 30 days, with a
 * reason; the reminders and the deadline move with the last day.
 */
@Injectable()
export class ExtendAuditHandler {
  constructor(
    private readonly lifecycle: AuditLifecycle,
    private readonly deadlines: AuditDeadlines,
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
  ) {}

  async execute(scope: EventScope, c: ExtendAuditCommand) {
    const repository = new AuditRepository(scope.manager);
    await repository.lock(c.applicationId);
    const audit = await repository.audit(c.applicationId);
    if (!audit) noAudit(c.applicationId);
    const lastDay = audit.lastDay ?? audit.drawnOn;
    const extended = extendedLastDay(audit.status, lastDay, audit.extensions.length, c.days, c.reason, this.policy);
    if ('refused' in extended) refuse(extended);
    const now = this.lifecycle.now();
    const reason = c.reason.trim();
    await repository.extend(c.applicationId, extended.lastDay, [
      ...audit.extensions,
      { days: c.days, reason, by: { name: c.by.name, roles: [...c.by.roles] }, at: now.toISOString() },
    ]);
    await repository.recordAction(c.applicationId, 'extend', c.by, now, reason, {
      days: c.days,
      from: lastDay.toString(),
      to: extended.lastDay.toString(),
    });
    await this.deadlines.reschedule(scope, c.applicationId, extended.lastDay, audit.timeZone);
    return {
      applicationId: c.applicationId,
      status: audit.status,
      documentationDueOn: extended.lastDay.toString(),
      extendedFrom: lastDay.toString(),
    };
  }
}
