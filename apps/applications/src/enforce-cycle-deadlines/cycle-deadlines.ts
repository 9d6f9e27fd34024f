import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CredentialExpired, LateWindowClosed, RecertificationReminderDue } from '@recert/contracts';
import { dayStartsAt, DeadlineRecord, DeadlineRunner, DeadlineScheduler } from '@recert/deadlines';
import { Clock, CLOCK } from '@recert/clock';
import { EventScope } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { CalendarDate, Cycle, cycleDeadlines, RecertPolicy } from '@recert/rules';
export interface CycleDeadlinePayload {
  trainerId: string;
  credentialId: string;
  cycleExpiresOn: string;
  dueOn: string;
  offsetDays?: number;
}

/**
 * The deadlines of each credential's cycles (DOMAIN.md): reminders before and after expiry,
 * expiration (R8), the end of the late window (R4, R10) and of the final window (R9). Scheduled
 * when the cycle starts, cancelled when its recertification is approved; each re-reads the
 * applications before acting, so a deadline made stale by an approval or a timely application
 * does nothing. The final window's end has its own use case (FinalWindowEnd).
 */
@Injectable()
export class CycleDeadlines implements OnModuleInit {
  constructor(
    private readonly runner: DeadlineRunner,
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.runner.register('expiry-reminder', (scope, d) => this.remind(scope, d));
    this.runner.register('expiration', (scope, d) => this.expire(scope, d));
    this.runner.register('late-window-end', (scope, d) => this.closeLateWindow(scope, d));
  }

  async schedule(scope: EventScope, trainerId: string, credentialId: string, cycle: Cycle, timeZone: string) {
    const today = CalendarDate.fromInstant(this.clock.now(), timeZone);
    // A reminder of a day already past (a credential recorded late) would only be noise.
    const ahead = cycleDeadlines(cycle, this.policy).filter(
      (d) => d.kind !== 'expiry-reminder' || !d.dueOn.isBefore(today),
    );
    await DeadlineScheduler.schedule(
      scope.manager,
      ahead.map((d) => ({
        kind: d.kind,
        subjectId: subjectOf(credentialId, cycle.expiresOn),
        dueAt: dayStartsAt(d.dueOn.toString(), timeZone),
        payload: {
          trainerId,
          credentialId,
          cycleExpiresOn: cycle.expiresOn.toString(),
          dueOn: d.dueOn.toString(),
          ...(d.offsetDays === undefined ? {} : { offsetDays: d.offsetDays }),
        } satisfies CycleDeadlinePayload,
      })),
    );
  }

  /** The cycle was recertified: none of its deadlines applies any more. */
  async cancel(scope: EventScope, credentialId: string, cycleExpiresOn: CalendarDate): Promise<void> {
    await DeadlineScheduler.cancel(scope.manager, subjectOf(credentialId, cycleExpiresOn));
  }

  private async remind(scope: EventScope, d: DeadlineRecord): Promise<string> {
    const p = d.payload as unknown as CycleDeadlinePayload;
    if (await this.applicationIn(scope, p, ['approved'])) return 'stale: recertified';
    scope.publish(RecertificationReminderDue, {
      ...cycleOf(p),
      daysBefore: p.offsetDays ?? 0,
      dueOn: p.dueOn,
    });
    return `reminded: ${p.offsetDays} days before expiry`;
  }

  /** R8: expired until a recertification is approved, even while an application is pending. */
  private async expire(scope: EventScope, d: DeadlineRecord): Promise<string> {
    const p = d.payload as unknown as CycleDeadlinePayload;
    if (await this.applicationIn(scope, p, ['approved'])) return 'stale: recertified';
    scope.publish(CredentialExpired, { ...cycleOf(p), expiredOn: p.dueOn });
    return 'expired';
  }

  private async closeLateWindow(scope: EventScope, d: DeadlineRecord): Promise<string> {
    const p = d.payload as unknown as CycleDeadlinePayload;
    if (await this.applicationIn(scope, p, ['approved'])) return 'stale: recertified';
    scope.publish(LateWindowClosed, { ...cycleOf(p), closedOn: p.dueOn });
    return 'late window closed';
  }

  async applicationIn(scope: EventScope, p: CycleDeadlinePayload, statuses: string[]): Promise<boolean> {
    const rows = await scope.manager.query(
      `SELECT 1 FROM applications WHERE credential_id = $1 AND cycle_expires_on = $2 AND status = ANY($3::text[]) LIMIT 1`,
      [p.credentialId, p.cycleExpiresOn, statuses],
    );
    return rows.length > 0;
  }
}

export function cycleOf(p: CycleDeadlinePayload) {
  return { trainerId: p.trainerId, credentialId: p.credentialId, cycleExpiresOn: p.cycleExpiresOn };
}

function subjectOf(credentialId: string, cycleExpiresOn: CalendarDate): string {
  return `${credentialId}/${cycleExpiresOn}`;
}
