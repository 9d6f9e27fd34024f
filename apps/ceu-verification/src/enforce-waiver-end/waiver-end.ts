import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CprAedWaiverEnded } from '@recert/contracts';
import { dayStartsAt, DeadlineRunner, DeadlineScheduler } from '@recert/deadlines';
import { RECERT_POLICY } from '@recert/platform';
import { RecertPolicy, waiverDeadline } from '@recert/rules';

/**
 * R7: once the date the distancing orders were lifted is known (WAIVER_ORDERS_LIFTED_ON), the
 * waiver of the hands-on assessment ends 60 days later. The rules already refuse online-only
 * cards from that day; this deadline tells the trainers who hold one, through a notification system.
 */
@Injectable()
export class WaiverEnd implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly runner: DeadlineRunner,
    private readonly dataSource: DataSource,
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
  ) {}

  onModuleInit(): void {
    this.runner.register('waiver-end', async (scope, d) => {
      const [{ trainers }] = await scope.manager.query(
        `SELECT count(DISTINCT trainer_id)::int AS trainers FROM cpr_aed_cards c
         WHERE NOT hands_on_assessment
           AND NOT EXISTS (SELECT 1 FROM cpr_aed_cards h WHERE h.trainer_id = c.trainer_id AND h.hands_on_assessment)`,
      );
      scope.publish(CprAedWaiverEnded, {
        lastDay: d.payload['lastDay'] as string,
        endedOn: d.payload['dueOn'] as string,
        trainersWithOnlineOnlyCards: trainers,
      });
      return `waiver ended: ${trainers} trainers hold only online-only cards`;
    });
  }

  /** Scheduling the same date again changes nothing (one id per deadline); a new date is a new deadline. */
  async onApplicationBootstrap(): Promise<void> {
    const end = waiverDeadline(this.policy);
    if (!end?.lastDay) return;
    await this.dataSource.transaction((manager) =>
      DeadlineScheduler.schedule(manager, [
        {
          kind: 'waiver-end',
          subjectId: 'cpr-aed-waiver',
          dueAt: dayStartsAt(end.dueOn.toString(), this.policy.defaultTimeZone),
          payload: { lastDay: end.lastDay?.toString(), dueOn: end.dueOn.toString() },
        },
      ]),
    );
  }
}
