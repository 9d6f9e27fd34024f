import { Controller, OnModuleInit } from '@nestjs/common';
import { CourseCompleted, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { CeuLedger } from '../ledger/ceu-ledger';

/** Course completions from the learning platform and providers (R4, R5). */
@Controller()
export class CourseCompletionsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly ledger: CeuLedger,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.courseCompletions.name, {
      [CourseCompleted.type]: async (envelope, scope) => {
        const c = envelope.payload as PayloadOf<typeof CourseCompleted>;
        // R4: the same completion reported twice is recorded once.
        await scope.manager.query(
          `INSERT INTO completions (completion_id, trainer_id, provider_id, course_id, completed_on, course_title)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (completion_id) DO NOTHING`,
          [c.completionId, c.trainerId, c.providerId, c.courseId, c.completedOn, c.courseTitle ?? null],
        );
        await this.ledger.recompute(scope, c.trainerId);
      },
    });
  }
}
