import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { dayStartsAt, DeadlineRunner, DeadlineScheduler } from '@recert/deadlines';
import { EventScope } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { auditDeadlines, CalendarDate, RecertPolicy } from '@recert/rules';
import { AuditEvaluator } from '../receive-document/audit-evaluator';

/**
 * R11: the 30-day documentation window of a selected application. Reminders go out while
 * documents are missing; the day after the last day, an audit still missing documents fails.
 * Deadlines are due at the start of their day in the policy's time zone, as audits are dated.
 */
@Injectable()
export class AuditDeadlines implements OnModuleInit {
  constructor(
    private readonly runner: DeadlineRunner,
    private readonly evaluator: AuditEvaluator,
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
  ) {}

  onModuleInit(): void {
    this.runner.register('audit-reminder', async (scope, d) => {
      await this.evaluator.lock(scope, d.subjectId);
      return this.evaluator.remind(scope, d.subjectId, (d.payload['offsetDays'] as number | undefined) ?? 0);
    });
    this.runner.register('audit-documentation', async (scope, d) => {
      await this.evaluator.lock(scope, d.subjectId);
      await this.evaluator.evaluate(scope, d.subjectId);
      const [audit] = await scope.manager.query(`SELECT status FROM audits WHERE application_id = $1`, [d.subjectId]);
      return `audit ${audit?.status ?? 'unknown'}`;
    });
  }

  async schedule(scope: EventScope, applicationId: string, lastDay: CalendarDate): Promise<void> {
    await DeadlineScheduler.schedule(
      scope.manager,
      auditDeadlines(lastDay, this.policy).map((d) => ({
        kind: d.kind,
        subjectId: applicationId,
        dueAt: dayStartsAt(d.dueOn.toString(), this.policy.defaultTimeZone),
        payload: { lastDay: lastDay.toString(), ...(d.offsetDays === undefined ? {} : { offsetDays: d.offsetDays }) },
      })),
    );
  }
}
