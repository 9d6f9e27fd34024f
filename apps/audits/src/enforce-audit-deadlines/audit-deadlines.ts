import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { dayStartsAt, DeadlineRunner, DeadlineScheduler } from '@recert/deadlines';
import { EventScope } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { auditDeadlines, CalendarDate, RecertPolicy } from '@recert/rules';
import { AuditLifecycle } from '../audit-lifecycle/audit-lifecycle';
import { EnforceAuditDeadlineHandler } from './enforce-audit-deadline.handler';

const AUDIT_KINDS = ['audit-reminder', 'audit-documentation'];

/**
 * R11: the documentation window of a selected application. Reminders go out while documents are
 * missing; the day after the last day, the deadline fails an audit still missing or rejecting
 * documents. Deadlines are due at the start of their day in the credential's time zone.
 */
@Injectable()
export class AuditDeadlines implements OnModuleInit {
  constructor(
    private readonly runner: DeadlineRunner,
    private readonly lifecycle: AuditLifecycle,
    private readonly enforce: EnforceAuditDeadlineHandler,
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
  ) {}

  onModuleInit(): void {
    this.runner.register('audit-reminder', (scope, d) =>
      this.lifecycle.remind(scope, d.subjectId, (d.payload['offsetDays'] as number | undefined) ?? 0),
    );
    this.runner.register('audit-documentation', (scope, d) => this.enforce.execute(scope, d.subjectId));
  }

  async schedule(scope: EventScope, applicationId: string, lastDay: CalendarDate, timeZone: string): Promise<void> {
    await DeadlineScheduler.schedule(
      scope.manager,
      auditDeadlines(lastDay, this.policy).map((d) => ({
        kind: d.kind,
        subjectId: applicationId,
        dueAt: dayStartsAt(d.dueOn.toString(), timeZone),
        payload: { lastDay: lastDay.toString(), ...(d.offsetDays === undefined ? {} : { offsetDays: d.offsetDays }) },
      })),
    );
  }

  /** An extended window: the old reminders and deadline are cancelled, the new ones scheduled. */
  async reschedule(scope: EventScope, applicationId: string, lastDay: CalendarDate, timeZone: string): Promise<void> {
    await DeadlineScheduler.cancel(scope.manager, applicationId, AUDIT_KINDS);
    await this.schedule(scope, applicationId, lastDay, timeZone);
  }

  /**
   * A document rejected after the last day sends the audit back to awaiting documents when its
   * deadline has already found it under review: the deadline checks again at the start of the
   * next day (the rest of today is left for an extension).
   */
  async recheckAfterLastDay(
    scope: EventScope,
    applicationId: string,
    lastDay: CalendarDate,
    today: CalendarDate,
    timeZone: string,
  ) {
    if (!today.isAfter(lastDay)) return;
    await DeadlineScheduler.schedule(scope.manager, [
      {
        kind: 'audit-documentation',
        subjectId: applicationId,
        dueAt: dayStartsAt(today.addDays(1).toString(), timeZone),
        payload: { lastDay: lastDay.toString(), recheck: true },
      },
    ]);
  }
}
